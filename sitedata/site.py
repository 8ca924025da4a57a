"""The pipeline in one call: find the data files, load, validate, enrich.

`load_site(root)` returns an enriched `Site`, or raises `DataError` once, carrying every problem
found in every file. `validate(root)` runs the same stages and returns the report instead.

Each file is loaded, checked against its schema and its records checked on their own by
`check_file`; for large data (thousands of files) that work is shared between processes, one per
core. The rules across records then run once, on everything.
"""

from __future__ import annotations

import datetime
import gc
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .collections import COLLECTIONS, Collection
from .enrich import Site, enrich
from .loader import Document, load_document
from .problems import DataError, Problem, Report
from .records import Record, records_of
from .rules import Context, Facts, check_across, check_record
from .schema import check_shape, fast_check

ALLOWED_EXTRA = {"data/README.md"}
PARALLEL_MIN_FILES = 2000  # about where two processes start to win (measured as make bench does)
MAX_JOBS = 8
# This process takes a tenth more than an even share of the files: the forked ones still have to
# send their results, which it receives meanwhile (best of 0.8 to 1.4, measured with make bench).
OWN_SHARE = 1.1


def build_date() -> datetime.date:
    """Today, or SITE_BUILD_DATE (YYYY-MM-DD) for reproducible builds and tests."""
    value = os.environ.get("SITE_BUILD_DATE")
    return datetime.date.fromisoformat(value) if value else datetime.date.today()


def validate(root: Path, today: datetime.date | None = None,
             jobs: int | None = None) -> tuple[Report, dict]:
    """Load and check every data file; return the report and the records by collection.

    `jobs`: how many processes read the files (default: one per core for large data, see
    `_jobs`); the report is the same whatever the number."""
    # Loading allocates many small objects and frees none, so the cyclic garbage collector
    # only spends time re-scanning them (half the run for 10,000 records); pause it meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(Path(root), today or build_date(), jobs)
    finally:
        if was_enabled:
            gc.enable()


def load_site(root: Path, today: datetime.date | None = None) -> Site:
    today = today or build_date()
    report, records = validate(root, today)
    if report:
        raise DataError(report)
    return enrich(records, today)


def _validate(root: Path, today: datetime.date, jobs: int | None) -> tuple[Report, dict]:
    report = Report()
    files = _find_files(root, report)
    checked = _check_files_in_parallel(root, files, today, jobs or _jobs(len(files)))
    records: dict[str, list[Record]] = {c.name: [] for c in COLLECTIONS}
    valid: set[int] = set()
    facts: dict[int, Facts] = {}
    for (collection, _), (is_valid, found, problems) in zip(files, checked, strict=True):
        report.problems += problems
        for record, record_facts in found:
            records[collection.name].append(record)
            facts[id(record)] = record_facts
            if is_valid:
                valid.add(id(record))
    check_across(Context(records, valid, facts, today), report)
    return report, records


def _find_files(root: Path, report: Report) -> list[tuple[Collection, str]]:
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
                if entry.is_symlink():
                    _refuse(report, refused, rel, LINK)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(rel)
                elif entry.is_file(follow_symlinks=False):
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


Checked = tuple[bool, list[tuple[Record, Facts]], list[Problem]]


def check_file(root: Path, collection: Collection, rel: str, today: datetime.date) -> Checked:
    """Everything about one file that needs no other file: load it, check its shape, run the
    rules about each of its records. Returns whether it passed the schema, its records with
    their facts (none when the file is unreadable) and its problems."""
    report = Report()
    doc = load_document(root, os.path.join(root, rel), report, rel)
    if doc is None:
        return False, [], report.problems
    valid = check_shape(doc, collection, report)
    found = [(record, check_record(record, valid, today, report))
             for record in records_of(collection, [doc])]
    doc.forget_nodes()
    return valid, found, report.problems


def _check_files(root: Path, files: list[tuple[Collection, str]],
                 today: datetime.date) -> list[Checked]:
    return [check_file(root, collection, rel, today) for collection, rel in files]


def _jobs(files: int) -> int:
    """Processes to use: one per available core for large data (each process must pay for its
    own start and for sending its results back, some 30 ms, which small data does not repay),
    or SITEDATA_JOBS. Only where a process can fork safely: on Linux, and with no other thread
    running (mkdocs serve has some; a forked copy could inherit a lock one of them holds)."""
    wanted = os.environ.get("SITEDATA_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if files < PARALLEL_MIN_FILES or not sys.platform.startswith("linux") \
            or threading.active_count() > 1:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_JOBS))


def _check_files_in_parallel(root: Path, files: list[tuple[Collection, str]],
                             today: datetime.date, jobs: int) -> list[Checked]:
    """`_check_files` over every file, split into `jobs` runs of neighbouring files: this
    process takes the first run while forked ones take the others, then their results come back
    in order, as plain tuples (pickling Document and Facts objects took three times as long)."""
    jobs = min(jobs, len(files))
    if jobs <= 1:
        return _check_files(root, files, today)
    for collection in COLLECTIONS:
        fast_check(collection.schema)  # compiled once, here, rather than in every process
    own = int(len(files) / jobs * OWN_SHARE)
    rest = files[own:]
    size = -(-len(rest) // (jobs - 1))
    runs = [files[:own]] + [rest[i:i + size] for i in range(0, len(rest), size)]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context) as pool:
            others = [pool.submit(_check_files_to_send, root, run, today) for run in runs[1:]]
            checked = _check_files(root, runs[0], today)
            for run, other in zip(runs[1:], others, strict=True):
                checked += _received(run, other.result())
    except (OSError, BrokenProcessPool):  # no process could start, or one was killed
        return _check_files(root, files, today)
    return checked


# One file's results as sent between processes: (data, text, passed the schema, each record's
# references and statements) or None when it gave no record; then its problems.
Sent = tuple[tuple[object, str, bool, list[tuple[list, list]]] | None, list[Problem]]


def _check_files_to_send(root: Path, files: list[tuple[Collection, str]],
                         today: datetime.date) -> list[Sent]:
    """`_check_files`, its results as tuples of plain values for the process that asked."""
    sent = []
    for valid, found, problems in _check_files(root, files, today):
        doc = found[0][0].doc if found else None
        body = None if doc is None else (doc.data, doc.text, valid,
                                         [(f.references, f.statements) for _, f in found])
        sent.append((body, problems))
    return sent


def _received(files: list[tuple[Collection, str]], sent: list[Sent]) -> list[Checked]:
    """The results of `_check_files_to_send`, as `_check_files` gives them. The documents have
    no YAML nodes; they compose them again from their text if a problem needs a position."""
    checked: list[Checked] = []
    for (collection, rel), (body, problems) in zip(files, sent, strict=True):
        if body is None:
            checked.append((False, [], problems))
            continue
        data, text, valid, facts = body
        records = records_of(collection, [Document(rel, data, text)])
        checked.append((valid, [(r, Facts(*f)) for r, f in zip(records, facts, strict=True)],
                        problems))
    return checked


def _report_strays(present: set[str], expected: set[str], report: Report) -> None:
    """Files under data/ that no collection reads: usually a typo in a name or extension."""
    places = ", ".join(c.path + ("/<id>.yaml" if c.is_dir else "") for c in COLLECTIONS)
    for rel in sorted(present - expected - ALLOWED_EXTRA):
        report.add(rel, 1, 1, f"unexpected file: the site reads only {places}")
