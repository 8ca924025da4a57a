"""Validate stage, part 1: shape. Documents in, problems out, against the `*.schema.json` files.

The JSON Schemas in sitedata/schemas/ are the one source of truth for every collection's fields:
this module validates with them, the contributors' field reference is generated from them, and
the same files are published beside the JSON exports. Messages are rewritten for editors (what is
wrong, where, what would be right) and placed on the offending key or value.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    import jsonschema

from .collections import Collection
from .loader import Document
from .problems import Report
from .records import path_name

SCHEMA_DIR = Path(__file__).parent / "schemas"
COMMON = "common.schema.json"


def _is_partial_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return len(parts[0]) == 4 and parts[0].isdigit()
        if len(parts) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
            return True
        datetime.date.fromisoformat(value)
        return True
    except ValueError:
        return False


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(value: object) -> bool:
    """Format "date" for the fast check: a real calendar day written YYYY-MM-DD, the rule
    jsonschema applies (a test holds them together). Written out here so that checking valid
    data never imports jsonschema, a sixth of the validate command's start-up."""
    if not isinstance(value, str):
        return True
    if not _ISO_DAY.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def format_checker() -> jsonschema.FormatChecker:
    """The formats for jsonschema: its own "date", and this site's "partial-date"."""
    import jsonschema  # noqa: PLC0415 - only when a document is invalid (see _is_date)

    checker = jsonschema.FormatChecker(formats=["date"])
    checker.checks("partial-date")(_is_partial_date)
    return checker


@cache
def bundled(schema_file: str) -> dict:
    """A schema with the shared definitions folded in, so it stands alone (as published)."""
    schema = json.loads((SCHEMA_DIR / schema_file).read_text(encoding="utf-8"))
    common = json.loads((SCHEMA_DIR / COMMON).read_text(encoding="utf-8"))
    text = json.dumps(schema).replace(f'"{COMMON}#/$defs/', '"#/$defs/')
    schema = json.loads(text)
    schema["$defs"] = {**common["$defs"], **schema.get("$defs", {})}
    return schema


@cache
def validator(schema_file: str) -> jsonschema.Draft202012Validator:
    import jsonschema  # noqa: PLC0415 - see format_checker

    schema = bundled(schema_file)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=format_checker())


@cache
def fast_check(schema_file: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: a yes/no answer some ten times
    faster than jsonschema's, which still finds and explains the errors when the answer is no.

    fastjsonschema knows drafts up to 7; these schemas use nothing that reads differently there
    (no keywords beside a $ref), and a test checks that both validators always agree."""
    schema = {**bundled(schema_file), "$schema": "http://json-schema.org/draft-07/schema#"}
    formats = {"date": _is_date, "partial-date": _is_partial_date}
    return fastjsonschema.compile(schema, formats=formats, use_default=False)


def is_valid(schema_file: str, data: Any) -> bool:
    try:
        fast_check(schema_file)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_shape(doc: Document, collection: Collection, report: Report) -> bool:
    """Report every schema error in one document; True when there were none."""
    if is_valid(collection.schema, doc.data):
        return True
    errors = list(validator(collection.schema).iter_errors(doc.data))
    skip = 1 if collection.layout == "list" else 0  # name fields within their list item
    for error in errors:
        for path, key, message in _explain(error, doc, skip):
            line, col = doc.mark(path, key=key)
            report.add(doc.path, line, col, message)
    return not errors


def enum_of(schema_file: str, *path: str) -> list[str]:
    """The allowed values of an enum field, read from the schema (never restated in code)."""
    node: Any = bundled(schema_file)
    for step in path:
        node = _resolve(node, schema_file)
        node = node["items"] if step == "[]" else node["properties"][step]
    return list(_resolve(node, schema_file)["enum"])


def _resolve(node: dict, schema_file: str) -> dict:
    while "$ref" in node:
        node = bundled(schema_file)["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


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
        present = value if isinstance(value, dict) else {}
        unknown = [k for k in present if k not in error.schema.get("properties", {})]
        for missing in error.validator_value:
            # A misspelt key is reported once, as an unknown field with a "did you mean".
            if missing not in present and not difflib.get_close_matches(missing, unknown, 1, 0.6):
                yield path, False, f"{name} is missing the required field '{missing}'" \
                    if path[skip:] else f"missing the required field '{missing}'"
        return
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed)):
            guess = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            yield path + (extra,), True, (f"unknown field '{extra}'{hint}; "
                                          f"allowed here: {', '.join(allowed)}")
        return
    custom = _custom(error)
    if kind == "enum":
        yield path, False, f"{name} {_quote(value)} is not one of {', '.join(error.validator_value)}"
    elif kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        want = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        message = f"{name} must be {want}, not {_describe(value)}"
        plain = doc.plain_text(path)
        if "string" in expected and plain is not None and value is not None:
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
