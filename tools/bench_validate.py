"""Benchmark: validate the real data plus 10,000 generated records, and print the figures.

    python tools/bench_validate.py [--records N] [--runs R]

Generated records are realistic source files (one file each, as editors write them: the
costliest layout, since every file is read and parsed on its own), added beside a copy of the
real data/, so every stage works on them: reading and YAML composition, JSON Schema, and the
text, URL, id and date rules. The figures are the median and best of R runs: of each stage in
one process, of the whole `validate()` in one process, of `validate()` as `make validate` and
the build run it (large data is shared between processes, one per core), and of the validate
command in a fresh process, start to exit. This is a benchmark, not a test: it prints numbers
and asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitedata import site as pipeline  # noqa: E402
from sitedata.collections import COLLECTIONS  # noqa: E402
from sitedata.loader import load_document  # noqa: E402
from sitedata.problems import Report  # noqa: E402
from sitedata.records import records_of  # noqa: E402
from sitedata.rules import Context, check_across, check_record  # noqa: E402
from sitedata.schema import check_shape  # noqa: E402

SOURCE = """# yaml-language-server: $schema=../../sitedata/schemas/source.schema.json
id: bench-{n:05d}
title: "Generated report number {n} on India–Japan economic security talks"
publisher: Benchmark Wire Service
url: https://example.org/news/2026/01/{n:05d}/india-japan-report
published: 2026-01-{day:02d}
kind: news
language: en
country: india
accessed: 2026-12-01
note: >-
  A generated record for the validation benchmark, with *emphasis* and a
  [link](https://example.org/about/{n}) so that the text rules have work to do.
"""


def make_data(root: Path, records: int) -> None:
    shutil.copytree(ROOT / "data", root / "data")
    for n in range(records):
        path = root / "data" / "sources" / f"bench-{n:05d}.yaml"
        path.write_text(SOURCE.format(n=n, day=n % 28 + 1), encoding="utf-8")


def time_stages(root: Path) -> dict[str, float]:
    """The stages of `pipeline.validate` in one process, timed one by one (with its
    garbage-collector pause)."""
    gc.disable()
    try:
        return _time_stages(root)
    finally:
        gc.enable()


def _time_stages(root: Path) -> dict[str, float]:
    today = pipeline.build_date()
    times = {}
    start = time.perf_counter()
    report = Report()
    files = pipeline._find_files(root, report)
    docs = [(c, load_document(root, root / rel, report, rel)) for c, rel in files]
    times["load (read, decode, compose YAML)"] = time.perf_counter() - start
    mark = time.perf_counter()
    shaped = [(c, doc, check_shape(doc, c, report)) for c, doc in docs]
    times["shape (JSON Schema)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    records = {c.name: [] for c in COLLECTIONS}
    valid, facts = set(), {}
    for collection, doc, is_valid in shaped:
        for record in records_of(collection, [doc]):
            records[collection.name].append(record)
            facts[id(record)] = check_record(record, is_valid, today, report)
            if is_valid:
                valid.add(id(record))
    times["rules about one record (text, URLs, dates)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    check_across(Context(records, valid, facts, today), report)
    times["rules across records (ids, references)"] = time.perf_counter() - mark
    times["total, one process"] = time.perf_counter() - start
    if report:
        raise SystemExit("benchmark data is invalid:\n" + report.format(github=False))
    times["records"] = sum(len(r) for r in records.values())
    return times


def time_validate(root: Path, jobs: int | None) -> float:
    """One whole `validate()`, as `make validate` and the build call it; its result is freed
    outside the timing (a process that exits never frees it)."""
    start = time.perf_counter()
    result = pipeline.validate(root, jobs=jobs)
    seconds = time.perf_counter() - start
    if result[0]:
        raise SystemExit("benchmark data is invalid:\n" + result[0].format(github=False))
    del result
    gc.collect()
    return seconds


def time_command(root: Path) -> float:
    """`python -m sitedata validate` in a fresh process, start to exit: what an editor waits for
    (interpreter start, imports, compiling the schemas, validating, exit)."""
    command = [sys.executable, "-m", "sitedata", "validate", "--root", str(root)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit("benchmark data is invalid:\n" + result.stderr)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_data(root, args.records)
        time_stages(root)  # warm the file cache and the compiled schemas
        runs = [time_stages(root) for _ in range(args.runs)]
        serial = [time_validate(root, 1) for _ in range(args.runs)]
        default = [time_validate(root, None) for _ in range(args.runs)]
        command = [time_command(root) for _ in range(args.runs)]
    jobs = pipeline._jobs(args.records)
    for run, one, auto, fresh in zip(runs, serial, default, command, strict=True):
        run["validate(), one process"] = one
        run[f"validate() as make validate runs it: {jobs} process{'es' if jobs > 1 else ''}"] \
            = auto
        run["python -m sitedata validate, a fresh process"] = fresh
    count = int(runs[0].pop("records"))
    for run in runs[1:]:
        run.pop("records")
    print(f"validation of {count:,} records ({args.records:,} generated + the real data), "
          f"{args.runs} runs, Python {sys.version.split()[0]}, {cores} cores")
    print(f"{'stage':52}  {'median':>9}  {'best':>9}  {'per record':>10}")
    for stage in runs[0]:
        values = [r[stage] for r in runs]
        median = statistics.median(values)
        print(f"{stage:52}  {median * 1000:7.0f} ms  {min(values) * 1000:7.0f} ms  "
              f"{median / count * 1e6:7.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
