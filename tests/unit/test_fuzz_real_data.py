"""Fuzzing: real data files, mutated at random, never crash the validator, and the loader and
the schemas as validated agree with the references they stand in for.

Hypothesis takes a real data file and damages it (bytes inserted, deleted or replaced, lines
swapped, hostile fragments spliced in). Whatever comes out, validation must return a report
(every problem a data/FILE.yaml:LINE:COL: message line), never raise; the loader must give what
PyYAML's safe_load gives or refuse with a reason; and the schemas as validated (schema.inline_refs)
must give the verdict that another implementation gives on the published 2020-12 schemas.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DAY, READ_WITH_DATA, ROOT, examples, second_opinion
from sitedata import validate
from sitedata.loader import load_document
from sitedata.problems import Report
from sitedata.registry import COLLECTIONS
from sitedata.schema import Schemas

DATA_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.yaml"))
FRAGMENTS = ["{{ x }}", "{% x %}", "<script>", "&a ", "*a", "!!python/object:os.system ", "\t",
             ": ", "- ", "[", "{", "'", '"', "\ufeff", "\u202e", "\x00", "no", "12:30",
             "2026-13-45", "null", "~", "---\n", "? ", "|\n", ">-\n", "%YAML 1.1\n", "\\"]
PROBLEM = re.compile(r"^data/[\w./-]*:\d+:\d+: \S")
PLAIN_PROBLEM = re.compile(r"^x\.yaml:\d+:\d+: \S")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "data", root / "data")
    for name in READ_WITH_DATA:
        shutil.copytree(ROOT / name, root / name)
    return root


def _mutate(data: bytes, ops: list[tuple[int, int, int, str]]) -> bytes:
    for kind, where, length, fragment in ops:
        at = where % (len(data) + 1)
        if kind == 0:
            data = data[:at] + fragment.encode() + data[at:]
        elif kind == 1:
            data = data[:at] + data[at + length:]
        elif kind == 2:
            data = data[:at] + bytes([length % 256]) + data[at + 1:]
        else:
            lines = data.split(b"\n")
            i, j = at % len(lines), length % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
    return data


OP = st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 40),
               st.sampled_from(FRAGMENTS))
OPS = st.lists(OP, min_size=1, max_size=4)


@settings(max_examples=examples(10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(DATA_FILES), ops=OPS)
def test_mutated_real_data_never_crashes_validation(sandbox, rel, ops):
    path = sandbox / rel
    original = (ROOT / rel).read_bytes()
    path.write_bytes(_mutate(original, ops))
    try:
        report = validate(sandbox, FIXTURE_DAY).report
    finally:
        path.write_bytes(original)
    for problem in report.sorted():
        assert PROBLEM.match(str(problem)), str(problem)


SCHEMA_OF = {c.path: c.schema for c in COLLECTIONS}
SCHEMAS = Schemas(ROOT)


def _damaged(rel: str, ops) -> str | None:
    """A damaged copy of a real data file's text (None when it is no longer UTF-8)."""
    try:
        return _mutate((ROOT / rel).read_bytes(), ops).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _load(tmp: Path, text: str) -> tuple[object, list[str]]:
    (tmp / "x.yaml").write_text(text, encoding="utf-8")
    report = Report()
    doc = load_document(tmp, "x.yaml", report)
    return (None if doc is None else doc.data), [str(p) for p in report.sorted()]


LIBYAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pyyaml(text: str, loader=LIBYAML) -> tuple[bool, object]:
    """What PyYAML's safe loader gives (dates as the text they were written as), or (False,
    None) when it refuses the text. By default PyYAML's libyaml binding, whose parser the
    loader uses; PyYAML's pure-Python parser refuses a few more tabs than libyaml does."""
    try:
        value = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, RecursionError):
        return False, None
    return True, _dates_as_text(value)


def _dates_as_text(value):
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@settings(max_examples=examples(300), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(DATA_FILES), ops=st.lists(OP, max_size=4))
def test_the_loader_agrees_with_pyyaml(tmp_path, rel, ops):
    """On whole documents, real or damaged: the loader gives what yaml.safe_load gives, or
    refuses with a reason (YAML 1.1 traps, anchors, tags, duplicate keys, merge keys...)."""
    text = _damaged(rel, ops)
    if text is None:
        return
    data, problems = _load(tmp_path, text)
    if problems:
        assert all(PLAIN_PROBLEM.match(p) for p in problems), problems
        return
    loads, expected = _pyyaml(text)
    assert loads, "the loader accepted what PyYAML refuses"
    assert data == expected
    loads, expected = _pyyaml(text, yaml.SafeLoader)
    assert not loads or data == expected


@pytest.mark.parametrize("text, why", [
    ("base: &b {a: 1}\nx:\n  <<: *b\n", "anchor '&b' is not allowed"),
    ("x:\n  <<: {a: 1}\n  c: 2\n", "merge keys ('<<') are not allowed"),
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("a: yes\n", "'yes' is read as true/false"),
    ("1: a\n", "key '1' is read as a int"),
    ("a: 2026-02-30\n", "'2026-02-30' is not a real date"),
])
def test_what_pyyaml_reads_silently_the_loader_refuses_with_a_reason(tmp_path, text, why):
    data, problems = _load(tmp_path, text)
    assert data is not None or problems
    assert any(why in p for p in problems), problems


@settings(max_examples=examples(200), deadline=None, derandomize=True)
@given(rel=st.sampled_from(DATA_FILES), ops=OPS)
def test_the_schemas_as_validated_agree_with_the_schemas_as_published(rel, ops):
    """Validation runs jsonschema_rs on each schema with its $refs inlined and its vocabulary
    lists written as enums (schema.inline_refs); on any document that must give the verdict
    that the published 2020-12 schema gives through another implementation of the dialect, the
    pure-Python jsonschema, with its own $ref resolution."""
    text = _damaged(rel, ops)
    if text is None:
        return
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, RecursionError):
        return
    try:  # as JSON: validation is handed nothing else (the loader refuses keys that are not
        # text, and infinity), and no JSON Schema validator need take anything else
        data = json.loads(json.dumps(_dates_as_text(data), allow_nan=False))
    except ValueError:
        return
    schema_file = SCHEMA_OF.get(rel) or SCHEMA_OF[rel.rsplit("/", 1)[0]]
    published = second_opinion(SCHEMAS.bundled(schema_file))
    errors = list(SCHEMAS.judge(schema_file).errors(data))
    assert published.is_valid(data) == (not errors)
    assert {tuple(e.absolute_path) for e in published.iter_errors(data)} >= \
        {e.path for e in errors} - {()}


@pytest.mark.process
def test_a_tightened_schema_keyword_beside_a_ref_is_applied(project):
    """A keyword next to a $ref counts in 2020-12 (in draft 7 it was ignored): tightening a
    field that way makes `make validate` refuse the data that breaks it."""
    assert project.validate_cli().returncode == 0
    path = project.root / "sitedata/schemas/source.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["title"]["maxLength"] = 10
    path.write_text(json.dumps(schema), encoding="utf-8")
    result = project.validate_cli()
    assert result.returncode == 1
    assert "data/sources/mea-briefing.yaml:3:8: title 'Transcript of the weekly media " \
        "briefing' is longer than 10 character(s)" in result.stderr.splitlines()
