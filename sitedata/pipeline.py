"""The pipeline in one call: find the data files, load, validate, enrich.

`load_site(root)` returns an enriched `Site`, or raises `DataError` once, carrying every problem
found in every file. `validate(root)` runs the same stages and returns the report instead.
The vocabulary is read first (the schemas need it); then each file is loaded, checked against
its schema and its records checked on their own; the rules across records run last.

A build of several editions validates once: `load_data(root)` returns the validated, dated
data (`SiteData`), and its `site(edition)` each edition's `Site`. A process that validates the
same files again and again (`mkdocs serve`, on every save) passes a `Memo`, so that only the
files whose bytes changed are read and judged again.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from .clock import BuildTime, build_time, site_day
from .editions import Catalog, load_catalogs
from .enrich import Site, enrich
from .history import History, HistoryMemo, read_history
from .loader import parse_document, read_file
from .problems import DataError, Problem, Report
from .records import Record, records_of
from .registry import COLLECTIONS, SCHEMA_DIR, Collection
from .rules import Context, check_across, check_record
from .schema import Schemas
from .vocabulary import Vocabulary, load_vocabulary

ALLOWED_EXTRA = {"data/README.md"}


def build_date() -> datetime.date:
    """The real today, against which validation refuses dates in the future; or SITE_BUILD_DATE
    (YYYY-MM-DD), which tests set. It decides only whether the data is valid: what a build
    writes is dated by the commit (sitedata/clock.py)."""
    return judged_day() or datetime.date.today()


def judged_day() -> datetime.date | None:
    """SITE_BUILD_DATE, when set: tests fix the day the site judges against with it."""
    value = os.environ.get("SITE_BUILD_DATE")
    return datetime.date.fromisoformat(value) if value else None


@dataclass
class Validated:
    """What validation found: the problems, and the records with what they were read with."""

    report: Report
    records: dict[str, list[Record]]
    schemas: Schemas
    vocabulary: Vocabulary | None
    catalogs: dict[str, Catalog] = field(default_factory=dict)  # by edition


def validate(root: Path, today: datetime.date | None = None,
             memo: Memo | None = None) -> Validated:
    """Load and check every data file; return the report and the records by collection.
    With a `memo`, a file whose bytes it has judged before is not judged again."""
    root = Path(root)
    today = today or build_date()
    report = Report()
    memo = memo or Memo()
    schemas = memo.schemas(root, today)
    records: dict[str, list[Record]] = {c.name: [] for c in COLLECTIONS}
    vocabulary = load_vocabulary(root, schemas, report)
    if vocabulary is None:  # the schemas cannot be applied without it
        return Validated(report, records, schemas, None)
    valid: dict[str, list[Record]] = {c.name: [] for c in COLLECTIONS}
    unread = set()  # files that gave no records because of their own errors
    for collection, rel in find_files(root, report):
        judged = memo.judge(root, collection, rel, today, report)
        if judged is None or (judged.problems and not judged.records):
            unread.add(rel)
        if judged is not None:
            records[collection.name] += judged.records
            valid[collection.name] += judged.valid
    check_across(Context(records, valid, tuple(vocabulary.editions), frozenset(unread)), report)
    catalogs = load_catalogs(root, vocabulary.editions, report)
    return Validated(report, records, schemas, vocabulary, catalogs)


@dataclass
class Judged:
    """What validation found in one file on its own: its problems, its records, and those of
    them that may be trusted to have their schema's shape (all, when the file passed its
    schema; none otherwise)."""

    raw: bytes
    problems: list[Problem]
    records: list[Record]
    valid: list[Record]


class Memo:
    """What validation found in each data file on its own, by the file's bytes.

    A file is judged on its own (read, parsed, checked against its schema, each record checked
    by the rules about one record) from its bytes, its path, the schemas (the vocabulary is one
    of them) and the judged day only: the same judge gives the same verdict on the same bytes.
    So a memo keeps each file's verdict with its bytes, and judges again only a file whose
    bytes differ; it forgets every verdict when a schema file, the day or the project (whose
    schemas they are) changes. What depends on every file (the rules across records, the
    vocabulary, the catalogs) is checked anew on every validation. The records it hands out are
    shared by the validations that use it: nothing downstream changes a record (enrich makes
    each edition's copies)."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._schemas: Schemas | None = None
        self._files: dict[str, Judged] = {}
        self.history = HistoryMemo()  # and the history from git (see there)

    def schemas(self, root: Path, today: datetime.date) -> Schemas:
        """The schemas to judge with on `today`; a new set, and no verdicts kept, when the
        project, a schema file or the day is not what it was."""
        folder = root / SCHEMA_DIR
        files = sorted(path for path in folder.glob("*") if path.is_file())
        key = (root.resolve(), today, [(path.name, path.read_bytes()) for path in files])
        if key != self._key:
            self._key, self._schemas, self._files = key, Schemas(root), {}
        return self._schemas

    def judge(self, root: Path, collection: Collection, rel: str, today: datetime.date,
              report: Report) -> Judged | None:
        """One file's verdict, its problems added to `report`: the one kept for these bytes,
        or a new one; None when the file cannot be read (the reason reported)."""
        raw = read_file(root, rel, report)
        if raw is None:
            return None
        judged = self._files.get(rel)
        if judged is None or judged.raw != raw:
            judged = self._files[rel] = _judge(raw, collection, rel, self._schemas, today)
        report.problems += judged.problems
        return judged


# A memo for the life of the process, for a caller loaded again on each build (macros.py under
# `mkdocs serve`).
PROCESS_MEMO = Memo()


def _judge(raw: bytes, collection: Collection, rel: str, schemas: Schemas,
           today: datetime.date) -> Judged:
    report = Report()
    doc = parse_document(raw, rel, report)
    if doc is None:
        return Judged(raw, report.problems, [], [])
    is_valid = schemas.check(doc, collection, report)
    records = records_of(collection, doc)
    for record in records:
        check_record(record, is_valid, today, report)
    return Judged(raw, report.problems, records, records if is_valid else [])


@dataclass
class SiteData:
    """The data of one build, validated and dated once, from which each edition is made."""

    validated: Validated
    built: BuildTime
    today: datetime.date  # the day the site judges against
    history: History

    def site(self, edition: str = "") -> Site:
        """The enriched site as `edition` shows it (the default edition when empty)."""
        result = self.validated
        editions = result.vocabulary.editions
        if edition and edition not in editions:
            report = Report()
            report.add("mkdocs.yml", 1, 1, f"extra.edition '{edition}' is not an edition of "
                       f"the vocabulary ({', '.join(editions)})")
            raise DataError(report)
        site = enrich(result.records, result.vocabulary, result.schemas, self.today,
                      self.history, result.catalogs[edition or editions[0]])
        site.catalogs = result.catalogs  # every edition's, for what a page says in the others
        site.built = self.built
        return site


def load_data(root: Path, today: datetime.date | None = None,
              memo: Memo | None = None) -> SiteData:
    """The validated data with each record's dates from git history, dated by the commit and
    judged on `today`: by default the commit's day (sitedata/clock.py), or SITE_BUILD_DATE.
    Raises `DataError` with every problem found."""
    root = Path(root)
    result = validate(root, today, memo)
    if result.report:
        raise DataError(result.report)
    built = build_time(root, result.records)
    today = today or judged_day() or site_day(built, result.records)
    lists = [c.path for c in COLLECTIONS if c.layout == "list"]
    return SiteData(result, built, today,
                    read_history(root, lists, memo.history if memo else None))


def load_site(root: Path, today: datetime.date | None = None, edition: str = "") -> Site:
    """The validated, enriched site as `edition` shows it (the default edition when empty),
    with each record's dates from git history, dated by the commit (`site.built`) and judged
    on `today`: by default the commit's day (sitedata/clock.py), or SITE_BUILD_DATE."""
    return load_data(root, today).site(edition)


def find_files(root: Path, report: Report) -> list[tuple[Collection, str]]:
    """Every data file each collection reads, in order; missing ones and strays reported."""
    present, refused = _scan_data(root, report)
    by_folder: dict[str, list[str]] = {}
    for rel in present:
        folder, _, name = rel.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    files: list[tuple[Collection, str]] = []
    for collection in COLLECTIONS:
        if any(collection.path == r or collection.path.startswith(r + "/") for r in refused):
            continue  # already reported: a link or a special file where the data should be
        if collection.is_dir:
            names = sorted(n for n in by_folder.get(collection.path, []) if n.endswith(".yaml"))
            found = [f"{collection.path}/{name}" for name in names]
            if not found:
                report.add(collection.path + "/", 1, 1, f"folder {collection.path}/ has no "
                           "<id>.yaml files; the site needs at least one")
        else:
            found = [collection.path] if collection.path in present else []
            if not found:
                report.add(collection.path, 1, 1, f"file {collection.path} is missing")
        files += [(collection, rel) for rel in found]
    _report_strays(present, {rel for _, rel in files}, report)
    return files


def _scan_data(root: Path, report: Report) -> tuple[set[str], set[str]]:
    """The ordinary files under data/ (paths from the root), and what was refused there.

    Symbolic links are refused, not followed: one in a pull request could point anywhere on
    the machine that builds the site (its files would be read, and quoted in error messages).
    So are pipes, sockets and devices, which could stop the build waiting to read."""
    present: set[str] = set()
    refused: set[str] = set()
    if os.path.islink(os.path.join(root, "data")):  # links below are caught as entries
        _refuse(report, refused, "data", LINK)
        return present, refused
    folders = ["data"] if os.path.isdir(os.path.join(root, "data")) else []
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(root, folder)) as entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}"
                if entry.is_symlink():  # first: is_dir and is_file below follow links
                    _refuse(report, refused, rel, LINK)
                elif entry.is_dir():
                    folders.append(rel)
                elif entry.is_file():
                    present.add(rel)
                else:
                    _refuse(report, refused, rel, SPECIAL)
    return present, refused


LINK = ("a symbolic link is not allowed in data/: data must be ordinary files in the repository "
        "(a link could point anywhere on the machine that builds the site)")
SPECIAL = ("only ordinary files are allowed in data/, not pipes, sockets or devices (reading one "
           "could stop the build)")


def _refuse(report: Report, refused: set[str], rel: str, message: str) -> None:
    refused.add(rel)
    report.add(rel, 1, 1, message)


def _report_strays(present: set[str], expected: set[str], report: Report) -> None:
    """Files under data/ that no collection reads: usually a typo in a name or extension."""
    places = ", ".join(c.path + ("/<id>.yaml" if c.is_dir else "") for c in COLLECTIONS)
    for rel in sorted(present - expected - ALLOWED_EXTRA):
        report.add(rel, 1, 1, f"unexpected file: the site reads only {places}")
