"""Validate stage, part 1: shape. Documents in, problems out, against the `*.schema.json` files.

The JSON Schemas in sitedata/schemas/ (dialect 2020-12) are the one judge of every collection's
shape. This module validates with them through jsonschema_rs, a compiled implementation of the
dialect (forty times faster on these documents than the pure-Python jsonschema, which was half
of all validation time; the tests keep that one as a second opinion, and the two must agree).
Its patterns are ECMA-262 regular expressions, as the dialect says, so the schemas' patterns are
written to mean the same in Python's `re` (a test holds them to it). The contributors' field
reference is generated from the same files, and they are published, bundled, beside the JSON
exports. Every enumerated value is defined once, in vocabulary.schema.json (see vocabulary.py).
Messages are rewritten for editors (what is wrong, where, what would be right) and placed on the
offending key or value.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

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


# The formats the schemas use besides the dialect's own "date" (checked as a format assertion).
FORMATS = {"partial-date": _is_partial_date}


@dataclass(frozen=True)
class SchemaError:
    """One way a value breaks a schema: the keyword it breaks, that keyword's value, the
    (sub)schema holding it, the value and its path in the document."""

    keyword: str
    expected: Any
    schema: dict
    instance: Any
    path: tuple
    message: str  # the validator's own words, for a keyword with none of ours


class Judge:
    """One schema, with its $refs inlined (inline_refs), compiled for validation."""

    def __init__(self, schema: dict):
        self.schema = inline_refs(schema, schema.get("$defs", {}))
        # offline: nothing is fetched; a format it does not know is an error, not a pass.
        self._validator = jsonschema_rs.Draft202012Validator(
            self.schema, formats=FORMATS, validate_formats=True, ignore_unknown_formats=False,
            offline=True)

    def errors(self, instance: Any) -> Iterator[SchemaError]:
        for error in self._validator.iter_errors(instance):
            # The path to the keyword that failed: real, since the schema has no $ref left.
            *where, keyword = error.schema_path or [""]  # [] when the whole schema is false
            schema = self.schema
            for step in where:
                schema = schema[step]
            if not isinstance(schema, dict):  # a list of subschemas (prefixItems), or `false`
                schema = {}
            # The value at the error's path, from the document itself: where a mapping allows
            # no field at all, the path is the mapping's (as for other additionalProperties)
            # but the validator's instance is one of its values.
            value = instance
            for step in error.instance_path:
                value = value[step]
            yield SchemaError(keyword, schema.get(keyword), schema, value,
                              tuple(error.instance_path), error.message)


class Schemas:
    """The JSON Schemas of the project at `root`, read once per load: each bundled so that it
    stands alone (as published), and compiled into a validator on first use."""

    def __init__(self, root: Path):
        self.folder = Path(root) / SCHEMA_DIR
        self._raw: dict[str, dict] = {}
        self._bundled: dict[str, dict] = {}
        self._judges: dict[str, Judge] = {}

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

    def judge(self, name: str) -> Judge:
        if name not in self._judges:
            self._judges[name] = Judge(self.bundled(name))
        return self._judges[name]

    def check(self, doc: Document, collection: Collection, report: Report) -> bool:
        """Report every schema error in one document; True when there were none."""
        skip = 1 if collection.layout == "list" else 0  # name fields within their list item
        return check_against(self.judge(collection.schema), doc, report, skip)


def check_against(judge: Judge, doc: Document, report: Report, skip: int = 0) -> bool:
    errors = list(judge.errors(doc.data))
    for error in errors:
        if error.path in doc.refused:
            continue  # the loader has said what is wrong with this value
        for path, key, message in _explain(error, doc, skip):
            line, col = doc.mark(path, key=key)
            report.add(doc.path, line, col, message)
    return not errors


def inline_refs(node: Any, defs: dict) -> Any:
    """The same schema, in the form validation uses: each local "$ref" replaced by the
    definition it names, each list of vocabulary values written as an "enum", and each mapping
    whose keys come from such a list (a text in each edition's language) written with those
    keys as its properties.

    Why: with no $ref left, an error's path through the schema leads to the very subschema
    that failed (whose errorMessage says what would be right); a value not in a list is one
    error whose message lists the allowed values (a oneOf of consts fails as a whole); and a
    key not in a list is an unknown field, named at the key, with the keys allowed. The verdict
    is the same by construction, in the same dialect: in 2020-12 a $ref applies its target
    beside the keywords next to it, exactly as an allOf does (neighbours that are only
    annotations, such as a description, are merged instead, since they decide nothing); a oneOf
    whose entries are distinct consts (the vocabulary refuses duplicates) accepts exactly the
    values an enum of them does; and a mapping whose keys must be in an enum, each value as
    "additionalProperties" says, is exactly one with those keys as "properties" of that schema
    and no other key. The definitions hold no cycles."""
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


def _custom(error: SchemaError) -> str | None:
    custom = error.schema.get("errorMessage")
    if isinstance(custom, dict):
        custom = custom.get(error.keyword)
    return custom


def _explain(error: SchemaError, doc: Document, skip: int):
    """Yield (path, point at key?, message) for one schema error."""
    path = error.path
    name = path_name(path[skip:])
    value = error.instance
    kind = error.keyword
    if kind == "required":
        unknown = [k for k in value if k not in error.schema.get("properties", {})]
        for missing in error.expected:  # (required applies to mappings only)
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
        allowed = error.expected if kind == "enum" else [error.expected]
        yield path, False, f"{name} {_quote(value)} is not one of {', '.join(map(str, allowed))}"
    elif kind == "type":  # one type per field in these schemas (a test holds them to it)
        expected = error.expected
        message = f"{name} must be {_TYPE_NAMES[expected]}, not {_describe(value)}"
        plain = doc.plain_text(path)
        if expected == "string" and plain is not None and value is not None:
            message += f"; YAML read '{plain}' as a value of another type: put it in quotes"
        yield path, False, message
    elif kind in ("pattern", "format", "minLength", "maxLength") and custom:
        yield path, False, f"{name} {_quote(value)} {custom}"
    elif kind in ("minLength", "maxLength"):
        than = "shorter" if kind == "minLength" else "longer"
        yield path, False, f"{name} {_quote(value)} is {than} than {error.expected} character(s)"
    elif kind in ("minItems", "maxItems") and custom:
        yield path, False, f"{name} {custom}"
    elif kind == "minItems":
        yield path, False, f"{name} must list at least {error.expected} item(s)"
    elif kind == "uniqueItems":
        yield path, False, f"{name} lists the same value more than once"
    elif kind == "dependentRequired":
        for field, needs in error.expected.items():
            for need in needs:
                if field in value and need not in value:
                    yield path, False, (f"{name} has" if path[skip:] else "has") + \
                        f" '{field}' but no '{need}'; give both or neither"
    elif error.expected is False:  # a field or an item that the schema allows nothing for
        yield path, True, f"{name} is not allowed here"
    elif kind in ("minimum", "maximum"):
        yield path, False, f"{name} {value} is out of range ({kind} {error.expected})"
    elif kind == "minProperties":
        yield path, False, f"{name} must have at least {error.expected} field(s)"
    else:
        yield path, False, f"{name}: {error.message}"


def _quote(value: Any) -> str:
    if isinstance(value, str):
        shown = re.sub(r"\s+", " ", value if len(value) <= 60 else value[:57] + "...")
        return f"'{shown}'"
    return _describe(value)
