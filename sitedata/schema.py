"""Validate stage, part 1: shape. Documents in, problems out, against the `*.schema.json` files.

The JSON Schemas in sitedata/schemas/ (dialect 2020-12) are the one judge of every collection's
shape: this module validates with them through `jsonschema`, the contributors' field reference is
generated from them, and the same files, bundled, are published beside the JSON exports. Every
enumerated value is defined once, in vocabulary.schema.json (see vocabulary.py). Messages are
rewritten for editors (what is wrong, where, what would be right) and placed on the offending
key or value.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from .loader import Document
from .problems import Report, path_name
from .registry import SCHEMA_DIR, Collection

COMMON = "common.schema.json"
VOCABULARY = "vocabulary.schema.json"
SHARED = (COMMON, VOCABULARY)  # files whose definitions other schemas refer to
_SHARED_REF = re.compile(r'"(common|vocabulary)\.schema\.json#/\$defs/')
_LOCAL_REF = re.compile(r'"#/\$defs/([^"]+)"')


def _is_partial_date(value: object) -> bool:
    """Format "partial-date": a real date written YYYY-MM-DD, YYYY-MM or YYYY."""
    if not isinstance(value, str):
        return True
    parts = value.split("-")
    try:
        if len(parts) == 1:
            if len(value) != 4 or not value.isdigit():
                return False
            datetime.date(int(value), 1, 1)  # there is no year 0000
            return True
        if len(parts) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
            return True
        datetime.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def format_checker() -> jsonschema.FormatChecker:
    """The formats: jsonschema's own "date", and this site's "partial-date"."""
    checker = jsonschema.FormatChecker(formats=["date"])
    checker.checks("partial-date")(_is_partial_date)
    return checker


class Schemas:
    """The JSON Schemas of the project at `root`, read once per load: each bundled so that it
    stands alone (as published), and compiled into a validator on first use."""

    def __init__(self, root: Path):
        self.folder = Path(root) / SCHEMA_DIR
        self._raw: dict[str, dict] = {}
        self._bundled: dict[str, dict] = {}
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._formats = format_checker()

    def raw(self, name: str) -> dict:
        if name not in self._raw:
            self._raw[name] = json.loads((self.folder / name).read_text(encoding="utf-8"))
        return self._raw[name]

    def bundled(self, name: str) -> dict:
        """A schema with the shared definitions it uses folded into its own $defs."""
        if name not in self._bundled:
            schema = json.loads(_SHARED_REF.sub(r'"#/$defs/', json.dumps(self.raw(name))))
            shared = {key: json.loads(_SHARED_REF.sub(r'"#/$defs/', json.dumps(value)))
                      for other in SHARED if other != name
                      for key, value in self.raw(other).get("$defs", {}).items()}
            defs = schema.get("$defs", {})
            wanted = _LOCAL_REF.findall(json.dumps(schema))
            while wanted:  # each definition used, and those it uses in turn
                ref = wanted.pop()
                if ref not in defs:
                    defs[ref] = shared[ref]
                    wanted += _LOCAL_REF.findall(json.dumps(defs[ref]))
            schema["$defs"] = dict(sorted(defs.items()))
            self._bundled[name] = schema
        return self._bundled[name]

    def validator(self, name: str) -> jsonschema.Draft202012Validator:
        if name not in self._validators:
            schema = self.bundled(name)
            self._validators[name] = jsonschema.Draft202012Validator(
                inline_refs(schema, schema["$defs"]), format_checker=self._formats)
        return self._validators[name]

    def check(self, doc: Document, collection: Collection, report: Report) -> bool:
        """Report every schema error in one document; True when there were none."""
        skip = 1 if collection.layout == "list" else 0  # name fields within their list item
        return check_against(self.validator(collection.schema), doc, report, skip)



def check_against(validator: jsonschema.Draft202012Validator, doc: Document, report: Report,
                  skip: int = 0) -> bool:
    errors = list(validator.iter_errors(doc.data))
    for error in errors:
        if tuple(error.absolute_path) in doc.refused:
            continue  # the loader has said what is wrong with this value
        for path, key, message in _explain(error, doc, skip):
            line, col = doc.mark(path, key=key)
            report.add(doc.path, line, col, message)
    return not errors


def inline_refs(node: Any, defs: dict) -> Any:
    """The same schema, in a form jsonschema checks twice as fast: each local "$ref" replaced by
    the definition it names, each list of vocabulary values written as an "enum", and each
    mapping whose keys come from such a list (a text in each edition's language) written with
    those keys as its properties.

    Following a $ref, trying each entry of a oneOf, or checking each key of a mapping against
    "propertyNames", is most of jsonschema's time on these documents (it builds a new validator
    each time). The verdict is the same by construction, in the same dialect: in 2020-12 a $ref
    applies its target beside the keywords next to it, exactly as an allOf does (neighbours
    that are only annotations, such as a description, are merged instead, since they decide
    nothing); a oneOf whose entries are distinct consts (the vocabulary refuses duplicates)
    accepts exactly the values an enum of them does; and a mapping whose keys must be in an
    enum, each value as "additionalProperties" says, is exactly one with those keys as
    "properties" of that schema and no other key. The definitions hold no cycles."""
    if not isinstance(node, dict):
        return node
    out: dict = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS:  # names mapped to schemas
            out[key] = {name: inline_refs(v, defs) for name, v in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [inline_refs(v, defs) for v in value]
        elif key in _SCHEMA_VALUES:
            out[key] = inline_refs(value, defs)
        elif key not in ("$ref", "$defs", "oneOf"):
            out[key] = value  # values, not schemas: const, enum, type, patterns, annotations
    if "oneOf" in node:
        entries = node["oneOf"]
        if all("const" in e and all(k == "const" or _is_annotation(k) for k in e)
               for e in entries):
            values = [e["const"] for e in entries]
            out["enum"] = values
            out["errorMessage"] = {"enum": f"is not one of {', '.join(values)} (the values are "
                                           f"defined in {SCHEMA_DIR}/{VOCABULARY})"}
        else:
            out["oneOf"] = [inline_refs(e, defs) for e in entries]
    names = out.get("propertyNames")
    if isinstance(names, dict) and "enum" in names \
            and all(k == "enum" or _is_annotation(k) or (k, v) == ("type", "string")
                    for k, v in names.items()) \
            and not {"properties", "patternProperties"} & set(out):
        value = out.pop("additionalProperties", True)
        del out["propertyNames"]
        out["properties"] = dict.fromkeys(names["enum"], value)
        out["additionalProperties"] = False
    ref = node.get("$ref")
    if ref is None:
        return out
    target = inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
    if all(_is_annotation(key) for key in out):
        return {**target, **out}
    return {**out, "allOf": [target]}


# The 2020-12 keywords whose values are schemas: by name, in a list, or one.
_SCHEMA_MAPS = {"properties", "patternProperties", "dependentSchemas"}
_SCHEMA_LISTS = {"allOf", "anyOf", "prefixItems"}
_SCHEMA_VALUES = {"items", "additionalProperties", "not", "if", "then", "else", "contains",
                  "propertyNames", "unevaluatedItems", "unevaluatedProperties"}


def _is_annotation(keyword: str) -> bool:
    """Keywords that describe a value and decide nothing about it (ours start with x-)."""
    return keyword in _ANNOTATIONS or keyword.startswith("x-")


_ANNOTATIONS = {"title", "description", "errorMessage", "examples", "default", "$comment"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    return "a list" if isinstance(value, list) else "a mapping of fields"


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of fields",
               "number": "a number", "integer": "a whole number", "boolean": "true or false"}


def _custom(error: jsonschema.ValidationError) -> str | None:
    custom = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if isinstance(custom, dict):
        custom = custom.get(error.validator)
    return custom


def _explain(error: jsonschema.ValidationError, doc: Document, skip: int):
    """Yield (path, point at key?, message) for one schema error."""
    path = tuple(error.absolute_path)
    name = path_name(path[skip:])
    value = error.instance
    kind = error.validator
    if kind == "required":
        unknown = [k for k in value if k not in error.schema.get("properties", {})]
        for missing in error.validator_value:  # (required applies to mappings only)
            # A misspelt key is reported once, as an unknown field with a "did you mean".
            if missing not in value and not difflib.get_close_matches(missing, unknown):
                yield path, False, f"{name} is missing the required field '{missing}'" \
                    if path[skip:] else f"missing the required field '{missing}'"
        return
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed)):
            guess = difflib.get_close_matches(extra, allowed)  # the closest first
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            fields = f"allowed here: {', '.join(allowed)}" if allowed else "no fields are allowed here"
            yield path + (extra,), True, f"unknown field '{extra}'{hint}; {fields}"
        return
    custom = _custom(error)
    if kind == "enum" and custom:
        yield path, False, f"{name} {_quote(value)} {custom}"
    elif kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        yield path, False, f"{name} {_quote(value)} is not one of {', '.join(map(str, allowed))}"
    elif kind == "type":  # one type per field in these schemas (a test holds them to it)
        expected = error.validator_value
        message = f"{name} must be {_TYPE_NAMES[expected]}, not {_describe(value)}"
        plain = doc.plain_text(path)
        if expected == "string" and plain is not None and value is not None:
            message += f"; YAML read '{plain}' as a value of another type: put it in quotes"
        yield path, False, message
    elif kind in ("pattern", "format", "minLength", "maxLength") and custom:
        yield path, False, f"{name} {_quote(value)} {custom}"
    elif kind == "minItems" and custom:
        yield path, False, f"{name} {custom}"
    elif kind == "minItems":
        yield path, False, f"{name} must list at least {error.validator_value} item(s)"
    elif kind == "uniqueItems":
        yield path, False, f"{name} lists the same value more than once"
    elif kind == "dependentRequired":
        for field, needs in error.validator_value.items():
            for need in needs:
                if field in value and need not in value:
                    yield path, False, (f"{name} has" if path[skip:] else "has") + \
                        f" '{field}' but no '{need}'; give both or neither"
    elif kind in ("minimum", "maximum"):
        yield path, False, f"{name} {value} is out of range ({kind} {error.validator_value})"
    elif kind == "minProperties":
        yield path, False, f"{name} must have at least {error.validator_value} field(s)"
    else:
        yield path, False, f"{name}: {error.message}"


def _quote(value: Any) -> str:
    if isinstance(value, str):
        shown = re.sub(r"\s+", " ", value if len(value) <= 60 else value[:57] + "...")
        return f"'{shown}'"
    return _describe(value)
