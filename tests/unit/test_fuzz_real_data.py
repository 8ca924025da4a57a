"""Fuzzing: real data files, mutated at random, never crash the validator.

Hypothesis takes a real data file and damages it (bytes inserted, deleted or replaced, lines
swapped, hostile fragments spliced in). Whatever comes out, validation must return a report
(every problem a data/FILE.yaml:LINE:COL: message line), never raise. The shortcuts taken for
speed must agree with what they replace, on every damaged file: the fast schema check with
jsonschema, the loader's list of values with a walk of the data, its tags with PyYAML's.
"""

from __future__ import annotations

import re
import shutil

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DAY, ROOT
from sitedata import validate
from sitedata.collections import COLLECTIONS
from sitedata.loader import _plain_tag, load_document
from sitedata.problems import Report
from sitedata.records import walk
from sitedata.schema import _is_date, is_valid, validator

DATA_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.yaml"))
FRAGMENTS = ["{{ x }}", "{% x %}", "<script>", "&a ", "*a", "!!python/object:os.system ", "\t",
             ": ", "- ", "[", "{", "'", '"', "\ufeff", "\u202e", "\x00", "no", "12:30",
             "2026-13-45", "null", "~", "---\n", "? ", "|\n", ">-\n", "%YAML 1.1\n", "\\"]
PROBLEM = re.compile(r"^data/[\w./-]*:\d+:\d+: \S")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "data", root / "data")
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


OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 40),
                         st.sampled_from(FRAGMENTS)), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(DATA_FILES), ops=OPS)
def test_mutated_real_data_never_crashes_validation(sandbox, rel, ops):
    path = sandbox / rel
    original = (ROOT / rel).read_bytes()
    path.write_bytes(_mutate(original, ops))
    try:
        report, _ = validate(sandbox, FIXTURE_DAY)
    finally:
        path.write_bytes(original)
    for problem in report.sorted():
        assert PROBLEM.match(str(problem)), str(problem)


SCHEMA_OF = {c.path: c.schema for c in COLLECTIONS}


def _load_damaged(sandbox, rel: str, ops):
    """The document a damaged copy of a real data file loads as (None if it does not)."""
    path = sandbox / rel
    path.write_bytes(_mutate((ROOT / rel).read_bytes(), ops))
    try:
        return load_document(sandbox, path, Report())
    finally:
        path.write_bytes((ROOT / rel).read_bytes())


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(DATA_FILES), ops=OPS)
def test_fast_and_full_schema_validators_always_agree(sandbox, rel, ops):
    """The fast yes/no check (fastjsonschema) must never pass what jsonschema would refuse."""
    doc = _load_damaged(sandbox, rel, ops)
    if doc is None:
        return
    schema = SCHEMA_OF.get(rel) or SCHEMA_OF[rel.rsplit("/", 1)[0]]
    full = not any(validator(schema).iter_errors(doc.data))
    assert is_valid(schema, doc.data) == full


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(DATA_FILES), ops=OPS)
def test_loader_lists_every_value_as_a_walk_would(sandbox, rel, ops):
    """The rules read the (path, value) list the loader builds on the way; it must be exactly
    what walking the finished data gives, however damaged the file."""
    doc = _load_damaged(sandbox, rel, ops)
    if doc is not None:
        assert doc.walked == walk(doc.data)


PLAIN = st.text(alphabet="0123456789+-._:eE~nNyYtTfFoOlLsSuUrRaA xX<=", max_size=12)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(text=PLAIN | st.sampled_from(["", "~", "null", "yes", "No", "on", "OFF", "12:30", "0o17",
                                      "0x1F", "1_000", ".inf", "-.NaN", "2026-01-15",
                                      "2026-01-15 10:00", "<<", "=", "1e3", "+1", "3.14"]))
def test_plain_scalars_get_the_tag_pyyaml_would_give(text):
    """The loader resolves plain scalars itself (see _CLoader); it must agree with PyYAML."""
    resolver = yaml.SafeLoader("")
    assert _plain_tag(text) == resolver.resolve(yaml.ScalarNode, text, (True, False))


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(value=st.text(alphabet="0123456789-:T Z+\n\u0663", max_size=12)
       | st.dates().map(str) | st.sampled_from(["2026-02-29", "2024-02-29", "2026-13-45",
                                                 "20260116", "2026-W03-5", "2026-01-16\n"]))
def test_fast_date_check_agrees_with_jsonschema(value):
    """The fast check's format "date" is written out (see schema._is_date); it must be
    jsonschema's own rule, which the full check and the API's readers use."""
    assert _is_date(value) == jsonschema.FormatChecker(formats=["date"]).conforms(value, "date")
