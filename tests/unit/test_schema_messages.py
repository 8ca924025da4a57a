"""The schema's words for each kind of error, on small schemas of their own: the kinds the real
schemas do not use today (a plain enum, const, dependentRequired, a mapping with no fields) must
still read well, at the right place, the day a schema uses them."""

from __future__ import annotations

import json

import jsonschema
import pytest

from sitedata.loader import load_document
from sitedata.problems import Report
from sitedata.schema import Judge, SchemaError, _custom, _quote, check_against


def problems(tmp_path, schema: dict, yaml_text: str, skip: int = 0) -> list[str]:
    (tmp_path / "doc.yaml").write_text(yaml_text, encoding="utf-8")
    report = Report()
    doc = load_document(tmp_path, "doc.yaml", report)
    check_against(Judge(schema), doc, report, skip)
    return [str(p) for p in report.sorted()]


@pytest.mark.parametrize("schema, text, expected", [
    ({"properties": {"k": {"enum": ["a", "b"]}}}, "k: c\n",
     ["doc.yaml:1:4: k 'c' is not one of a, b"]),
    ({"properties": {"k": {"const": "a"}}}, "k: b\n", ["doc.yaml:1:4: k 'b' is not one of a"]),
    ({"dependentRequired": {"a": ["b"], "c": ["d"]}}, "a: 1\n",
     ["doc.yaml:1:1: has 'a' but no 'b'; give both or neither"]),
    ({"properties": {"x": {"dependentRequired": {"a": ["b"]}}}}, "x:\n  a: 1\n",
     ["doc.yaml:2:3: x has 'a' but no 'b'; give both or neither"]),
    ({"properties": {"x": {"additionalProperties": False}}}, "x:\n  y: 1\n",
     ["doc.yaml:2:3: unknown field 'y'; no fields are allowed here"]),
    ({"properties": {"x": {"required": ["a"]}}}, "x: 1\n", []),  # required applies to mappings
    ({"properties": {"k": {"multipleOf": 2}}}, "k: 3\n", ["doc.yaml:1:4: k: 3 is not a multiple of 2"]),
    ({"properties": {"k": {"minLength": 2}}}, "k: a\n",
     ["doc.yaml:1:4: k 'a' is shorter than 2 character(s)"]),
    ({"properties": {"x": {"additionalProperties": False}}}, "x:\n  y: 1\n  z: 2\n",
     ["doc.yaml:2:3: unknown field 'y'; no fields are allowed here",
      "doc.yaml:3:3: unknown field 'z'; no fields are allowed here"]),
    ({"properties": {"x": {"items": False}}}, "x: [1]\n", ["doc.yaml:1:5: x[0] is not allowed here"]),
    ({"properties": {"x": {"properties": {"y": False}}}}, "x:\n  y: 1\n",
     ["doc.yaml:2:3: x.y is not allowed here"]),
    # A failing subschema inside a list of subschemas: the validator's own words.
    ({"properties": {"x": {"prefixItems": [False]}}}, "x: [1]\n",
     ["doc.yaml:1:5: x[0]: False schema does not allow 1"]),
])
def test_each_kind_of_error_is_explained_where_it_is(tmp_path, schema, text, expected):
    assert problems(tmp_path, schema, text) == expected


def test_a_misspelt_required_field_is_reported_once_as_unknown(tmp_path):
    schema = {"required": ["title"], "properties": {"title": {}}, "additionalProperties": False}
    assert problems(tmp_path, schema, "titel: x\n") == [
        "doc.yaml:1:1: unknown field 'titel' (did you mean 'title'?); allowed here: title"]


def test_long_values_are_shortened_where_they_are_quoted():
    assert _quote("x" * 60) == "'" + "x" * 60 + "'"
    assert _quote("x" * 61) == "'" + "x" * 57 + "...'"
    assert _quote("a\n  b") == "'a b'"


def test_a_format_the_validator_does_not_know_is_an_error_not_a_pass():
    with pytest.raises(ValueError, match="Unknown format"):
        Judge({"properties": {"day": {"format": "partial-dat"}}})


def test_a_custom_message_is_the_one_for_the_keyword_that_failed():
    schema = {"errorMessage": {"enum": "!"}}
    assert _custom(SchemaError("enum", [], schema, 1, (), "no")) == "!"
    assert _custom(SchemaError("type", "string", schema, 1, (), "no")) is None
    assert _custom(SchemaError("type", "string", {"errorMessage": "?"}, 1, (), "no")) == "?"


def test_a_partial_date_is_a_real_year_month_or_day():
    from sitedata.schema import _is_partial_date

    good = ["1952", "2000-08", "2026-01-16", "2024-02-29"]
    bad = ["26", "19x2", "20000", "2000-13", "2000-00", "2026-02-30", "2026-1-5", "2026-01-16-1",
           "0000", "0000-05"]  # there is no year 0
    assert [_is_partial_date(v) for v in good] == [True] * len(good)
    assert [_is_partial_date(v) for v in bad] == [False] * len(bad)
    assert _is_partial_date(1952)  # not text: the type's verdict, not the format's


def test_a_link_is_refused_with_the_reason_in_full():
    from sitedata.markup import url_problem

    ascii_only = "must be written in ASCII with no spaces (percent-encode other characters)"
    assert url_problem("https://例え.jp/a") == ascii_only  # not ASCII, no space
    assert url_problem("https://a b.org/a") == ascii_only  # ASCII, with a space
    assert url_problem("https://a.org:99999/a") == "is not a well-formed URL"
    assert url_problem("https://a.org/a") is None
    assert url_problem("a.org/a") == "must use https://, not no scheme"
    assert url_problem("ftp://a.org/a") == "must use https://, not ftp:"
    assert url_problem("https://@a.org/a") == "must not carry a user name or password"
    assert url_problem("https://a.org:443/a") is None  # the https port, said
    assert url_problem("https://a.org/X", deep=True) is None  # a page, not the home page
    assert url_problem("https://a.org/") is None  # a home page is refused only when deep


# A schema that uses every keyword inline_refs treats, each with a $ref inside: the real schemas
# use some of them only (no anyOf, no prefixItems), and a new schema may use the others.
EVERY_KEYWORD = {
    "$defs": {"word": {"type": "string", "pattern": "^[a-z]+$"},
              "short": {"type": "string", "maxLength": 3},
              "lang": {"type": "string", "oneOf": [{"const": "en"}, {"const": "ja"}]}},
    "type": "object",
    "properties": {
        "both": {"allOf": [{"$ref": "#/$defs/word"}, {"$ref": "#/$defs/short"}]},
        "either": {"anyOf": [{"$ref": "#/$defs/word"}, {"type": "integer"}]},
        "pair": {"prefixItems": [{"$ref": "#/$defs/word"}, {"$ref": "#/$defs/short"}]},
        "shape": {"oneOf": [{"type": "object", "properties": {"w": {"$ref": "#/$defs/word"}},
                             "required": ["w"]},
                            {"$ref": "#/$defs/short"}]},
        "choice": {"oneOf": [{"const": "aaaa", "maxLength": 3}, {"const": "b"}]},
        "named": {"oneOf": [{"const": "a", "title": "A"}, {"const": "b", "x-label": "B"}]},
        # Keys from a list of values (written as properties), and the forms that must not be
        # rewritten: a pattern, a list beside named properties or patterns, a type no key has,
        # false.
        "local": {"type": "object", "propertyNames": {"$ref": "#/$defs/lang"},
                  "additionalProperties": {"$ref": "#/$defs/short"}},
        "open": {"type": "object", "propertyNames": {"$ref": "#/$defs/lang"}},
        "keys": {"propertyNames": {"$ref": "#/$defs/word"}, "additionalProperties": False},
        "mixed": {"propertyNames": {"enum": ["en", "ja"]}, "properties": {"en": {"const": "x"}}},
        "patterned": {"propertyNames": {"enum": ["en"]}, "patternProperties": {"^e": True}},
        "odd": {"propertyNames": {"type": "integer", "enum": ["en"]}},  # no key is an integer
        "none": {"propertyNames": False},
    },
}
INSTANCES = [
    {}, {"both": "ab"}, {"both": "abcd"}, {"both": "A"}, {"either": 3}, {"either": "ab"},
    {"either": "AB"}, {"pair": ["ab", "abc"]}, {"pair": ["AB", "abc"]}, {"pair": ["ab", "abcd"]},
    {"shape": {"w": "ab"}}, {"shape": {"w": "AB"}}, {"shape": "ab"}, {"shape": "abcd"},
    {"shape": {}}, {"choice": "aaaa"}, {"choice": "b"}, {"choice": "c"}, {"named": "a"},
    {"named": "c"}, {"local": {"en": "ab", "ja": "abc"}}, {"local": {"en": "abcd"}},
    {"local": {"fr": "ab"}}, {"local": {}}, {"open": {"ja": [1]}}, {"open": {"de": 1}},
    {"keys": {}}, {"keys": {"ab": 1}}, {"keys": {"AB": 1}}, {"mixed": {"en": "x", "ja": 1}},
    {"mixed": {"en": "y"}}, {"mixed": {"de": "x"}}, {"odd": {}}, {"odd": {"en": 1}},
    {"none": {}}, {"none": {"a": 1}}, {"patterned": {"en": 1}}, {"patterned": {"ex": 1}},
]


def test_inlined_refs_give_the_verdicts_of_the_published_schema_for_every_keyword():
    from sitedata.schema import inline_refs

    published = jsonschema.Draft202012Validator(EVERY_KEYWORD)
    schema = inline_refs(EVERY_KEYWORD, EVERY_KEYWORD["$defs"])
    inlined = jsonschema.Draft202012Validator(schema)
    verdicts = [(published.is_valid(i), inlined.is_valid(i)) for i in INSTANCES]
    assert [p for p, _ in verdicts] == [i for _, i in verdicts]
    assert sum(p for p, _ in verdicts) == 17  # the test tells valid from invalid at all
    # Keys from a list of values become properties (jsonschema then checks no key on its own).
    assert [name for name, value in schema["properties"].items() if "propertyNames" in value] \
        == ["keys", "mixed", "patterned", "odd", "none"]
    # It stands alone: no reference left, and so no definitions to carry.
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text


def _patterns(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        found |= set(node.get("patternProperties", {}))
        return found.union(*(_patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


def test_every_pattern_means_the_same_in_python_and_in_the_schemas_dialect():
    """The dialect's patterns are ECMA-262 regular expressions, which validation applies
    (jsonschema_rs); the rules, the tests' second opinion and many editors' tools read them
    with Python's `re`. The two differ on classes such as \\w and \\d (Unicode in Python, ASCII
    in ECMA-262): a schema pattern must give one verdict in both on every character a data file
    can hold (the loader refuses the rest)."""
    import re

    import jsonschema_rs

    from conftest import ROOT
    from sitedata.loader import _REFUSED

    patterns = set().union(*(_patterns(json.loads(path.read_text(encoding="utf-8")))
                             for path in (ROOT / "sitedata/schemas").glob("*.json")))
    assert len(patterns) >= 8  # the test sees the schemas' patterns at all
    chars = [chr(c) for c in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 97)]]
    chars = [c for c in chars if not _REFUSED.match(c)]
    for pattern in sorted(patterns):
        ecma = jsonschema_rs.Draft202012Validator({"pattern": pattern})
        python = re.compile(pattern)
        differ = [c for c in chars if ecma.is_valid(c) != bool(python.search(c))]
        assert not differ, f"{pattern} differs on {', '.join(f'U+{ord(c):04X}' for c in differ[:5])}"
