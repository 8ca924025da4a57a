"""The theme overrides use Jinja's filters and tests, never a Python method on a value
(`x.count("/")`, `x.rstrip("/")`): Zensical, Material for MkDocs' successor, renders templates
with MiniJinja, which has no Python to call them with. What needs Python is worked out in
macros.py (an edition's `up`, say) and handed to the templates as a value."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
METHOD_CALL = re.compile(r"\b(\w+)\.(\w+)\s*\(")
# Material's own idiom: `lang` is the macro module its templates import (partials/language.html).
ALLOWED = {("lang", "t")}
TEMPLATES = sorted((ROOT / "overrides").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_templates_call_no_python_methods(path):
    text = path.read_text(encoding="utf-8")
    calls = [f"{m.group(0)}…" for tag in TAG.findall(text) for m in METHOD_CALL.finditer(tag)
             if (m.group(1), m.group(2)) not in ALLOWED]
    assert not calls, f"{path.relative_to(ROOT)}: use a filter instead of {calls}"


def test_the_check_sees_a_method_call():
    assert METHOD_CALL.search('{%- set up = "../" * (here.root.count("/")) -%}')
    assert TEMPLATES
