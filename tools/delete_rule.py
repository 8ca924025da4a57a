"""A pytest plugin for tools/mutation.py: removes the rule named in DELETE_RULE from the lists
that sitedata/rules.py runs, as if its code had been deleted, for the whole test session."""

from __future__ import annotations

import os


def pytest_configure(config) -> None:  # noqa: ANN001, ARG001 - pytest's hook
    name = os.environ.get("DELETE_RULE")
    if not name:
        return
    from sitedata import rules

    for group in ("SAFETY", "RECORD_RULES", "ACROSS_RULES"):
        kept = tuple(rule for rule in getattr(rules, group) if rule.__name__ != name)
        setattr(rules, group, kept)
