"""The contributors' field reference, generated from the JSON Schemas (the one source of truth).

`field_table(schema)` flattens a collection's bundled schema into rows: dotted field name,
whether it is required, a short type, and the schema's own description (with the allowed values
of a vocabulary list).
"""

from __future__ import annotations


def field_table(schema: dict) -> dict:
    defs = schema.get("$defs", {})
    record = schema["items"] if schema.get("type") == "array" else schema
    rows: list[dict] = []
    _rows(record, "", defs, rows, depth=0)
    return {"title": schema["title"], "description": schema["description"], "fields": rows}


def _deref(node: dict, defs: dict) -> tuple[dict, str]:
    """The node with its $ref followed, and the name of the definition it came from."""
    name = ""
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, name


NAMED = {"date": "date YYYY-MM-DD", "partial_date": "date (YYYY-MM-DD, YYYY-MM or YYYY)",
         "time": "time 'HH:MM'", "id": "id", "url": "https URL", "text": "text (Markdown inline)",
         "line": "one line of text", "source_ids": "list of source ids", "quote": "quotation",
         "point": "statement", "points": "list of statements"}


def _type_name(node: dict, ref: str, defs: dict) -> str:
    if "oneOf" in node and all("const" in entry for entry in node["oneOf"]):
        return "one of: " + ", ".join(entry["const"] for entry in node["oneOf"])
    if ref in NAMED:
        return NAMED[ref]
    kind = node.get("type", "")
    if kind == "array":
        item, item_ref = _deref(node.get("items", {}), defs)
        inner = _type_name(item, item_ref, defs)
        return "list" if inner == "mapping" else f"list of {inner}"
    return {"object": "mapping", "number": "number", "string": "text"}.get(kind, kind)


def _rows(node: dict, prefix: str, defs: dict, rows: list[dict], depth: int) -> None:
    node, _ = _deref(node, defs)
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        resolved, ref = _deref(child, defs)
        field = prefix + name
        rows.append({"name": field, "required": name in required,
                     "type": _type_name(resolved, ref, defs),
                     "description": resolved.get("description", "")})
        if depth >= 3:
            continue
        if resolved.get("type") == "object" and "properties" in resolved:
            _rows(resolved, field + ".", defs, rows, depth + 1)
        elif resolved.get("type") == "array":
            item, _ = _deref(resolved.get("items", {}), defs)
            if item.get("type") == "object":
                _rows(item, field + "[].", defs, rows, depth + 1)
