"""The pipeline in one call: find the data files, load, validate, enrich.

`load_site(root)` returns an enriched `Site`, or raises `DataError` once, carrying every problem
found in every file. `validate(root)` runs the same stages and returns the report instead.
"""

from __future__ import annotations

import datetime
import gc
import os
from pathlib import Path

from .collections import COLLECTIONS
from .enrich import Site, enrich
from .loader import Document, load_document
from .problems import DataError, Report
from .records import Record, records_of
from .rules import Context, check_all
from .schema import check_shape

ALLOWED_EXTRA = {"data/README.md"}


def build_date() -> datetime.date:
    """Today, or SITE_BUILD_DATE (YYYY-MM-DD) for reproducible builds and tests."""
    value = os.environ.get("SITE_BUILD_DATE")
    return datetime.date.fromisoformat(value) if value else datetime.date.today()


def validate(root: Path, today: datetime.date | None = None) -> tuple[Report, dict]:
    """Load and check every data file; return the report and the records by collection."""
    # Loading allocates many small objects and frees none, so the cyclic garbage collector
    # only spends time re-scanning them (half the run for 10,000 records); pause it meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(root, today)
    finally:
        if was_enabled:
            gc.enable()


def _validate(root: Path, today: datetime.date | None) -> tuple[Report, dict]:
    root = Path(root)
    today = today or build_date()
    report = Report()
    docs = _load_all(root, report)
    valid: set[int] = set()
    for collection in COLLECTIONS:
        for doc in docs.get(collection.name, []):
            if check_shape(doc, collection, report):
                valid.add(id(doc))
    records: dict[str, list[Record]] = {c.name: records_of(c, docs.get(c.name, []))
                                        for c in COLLECTIONS}
    check_all(Context(records, valid, today), report)
    return report, records


def load_site(root: Path, today: datetime.date | None = None) -> Site:
    today = today or build_date()
    report, records = validate(root, today)
    if report:
        raise DataError(report)
    return enrich(records, today)


def _load_all(root: Path, report: Report) -> dict[str, list[Document]]:
    docs: dict[str, list[Document]] = {}
    expected: set[str] = set()
    for collection in COLLECTIONS:
        target = root / collection.path
        if collection.is_dir:
            names = sorted(n for n in os.listdir(target) if n.endswith(".yaml")) \
                if target.is_dir() else []
            files = [f"{collection.path}/{name}" for name in names]
            if not files:
                report.add(collection.path + "/", 1, 1, f"folder {collection.path}/ has no "
                           "<id>.yaml files; the site needs at least one")
        else:
            files = [collection.path] if target.is_file() else []
            if not target.is_file():
                report.add(collection.path, 1, 1, f"file {collection.path} is missing")
        expected.update(files)
        loaded = [load_document(root, root / rel, report, rel) for rel in files]
        docs[collection.name] = [d for d in loaded if d is not None]
    _report_strays(root, expected, report)
    return docs


def _report_strays(root: Path, expected: set[str], report: Report) -> None:
    """Files under data/ that no collection reads: usually a typo in a name or extension."""
    data_dir = root / "data"
    if not data_dir.is_dir():
        return
    places = ", ".join(c.path + ("/<id>.yaml" if c.is_dir else "") for c in COLLECTIONS)
    found = []
    for folder, _, names in os.walk(data_dir):
        base = Path(folder).relative_to(root).as_posix()
        found += [f"{base}/{name}" for name in names]
    for rel in sorted(found):
        if rel not in expected and rel not in ALLOWED_EXTRA:
            report.add(rel, 1, 1, f"unexpected file: the site reads only {places}")
