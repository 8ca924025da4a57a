"""Benchmark: validation and the full strict build, on the real data and on copies of it
multiplied 10 and 100 times, with peak memory, in one table with the growth against 1x
(the real data, measured again just before and just after each larger copy).

    python tools/bench.py [--scales 1,10,100] [--runs 3]

The copies are generated from the real files: every record of every collection (and every
itinerary event and tour stop of the visit, up to the most its schema allows) repeated under new
ids, still citing the real sources, so that the copy is valid and every stage works on it as on
real data. Each figure is measured in a fresh process: validation is the median of --runs calls
of `validate()` in one process (every call reads every file), on the wall clock and in processor
time; its targets and growth are judged on processor time, which for one single-threaded process
on an idle machine is its wall time, and which other work on a busy machine does not inflate;
the build is `mkdocs build --strict` from start to exit (both editions, in one process), timed
on the wall clock and in processor time. Beside it, the same pages pasted into a MkDocs project
as static HTML (`static_copy`) are built the same way: the ratio of processor times is what the
data layer costs over MkDocs and Material alone. Growth and ratios use processor time, which a
busy machine disturbs less than the wall clock. Peak memory is the process's maximum resident
size. This is a benchmark, not a test: it prints figures and the targets they meet, and exits 1
only if the generated data does not validate. Single runs vary by up to a third on a shared
2-core machine, so compare figures from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from hooks import _Indexer  # noqa: E402
from sitedata.registry import BY_NAME, COLLECTIONS, SCHEMA_DIR, split_lists  # noqa: E402

PYTHON = sys.executable
MKDOCS = str(Path(PYTHON).with_name("mkdocs"))
PROJECT_FILES = ("mkdocs.yml", "mkdocs.ja.yml", "macros.py", "hooks.py", "CONTRIBUTING.md")
PROJECT_DIRS = ("sitedata", "docs", "overrides")
TARGETS = {"validate 1x": 0.3, "validate 10x": 2.0}  # seconds, in one process
MAX_GROWTH = 1.2  # validation: 100x the data in at most 120x the time of 1x
MAX_BUILD_GROWTH = 1.1  # the build: 100x the data in at most 110x the processor time of 1x
SERVE_TARGETS = {1: 1.5, 10: 4.0}  # seconds from saving a data file to the page showing it
MAX_VS_STATIC = 1.5  # the build's processor time against the same pages as static HTML
# Bounded: at any scale, the largest page, and the largest file a search downloads, at most
# twice their size with the real data (the data is 100 times larger at 100x).
MAX_PART_GROWTH = 2.0

# Run in a fresh process: `validate()` `runs` times, then its figures as JSON.
VALIDATE = """
import json, resource, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from sitedata import validate
runs = int(sys.argv[2])
times, cpu = [], []
for _ in range(runs):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = validate(sys.argv[1])
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
print(json.dumps({"seconds": statistics.median(times), "cpu": statistics.median(cpu),
                  "problems": len(result.report),
                  "first": [str(p) for p in result.report.sorted()[:5]],
                  "records": sum(len(r) for r in result.records.values()),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def multiply(root: Path, factor: int) -> None:
    """Write the project at `root` with the real data repeated `factor` times."""
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "node_modules").mkdir()
    (root / "node_modules" / "world-atlas").symlink_to(ROOT / "node_modules" / "world-atlas")
    shutil.copytree(ROOT / "data", root / "data")
    if factor == 1:
        return
    copies = [f"-x{k}" for k in range(2, factor + 1)]
    for collection in COLLECTIONS:  # every collection the registry knows, as it is laid out
        if collection.layout == "dir":
            for path in sorted((ROOT / collection.path).glob("*.yaml")):
                record = _load(path)
                for suffix in copies:
                    _dump(root / collection.path / f"{record['id']}{suffix}.yaml",
                          {**record, "id": record["id"] + suffix})
        elif collection.layout == "list":
            items = _load(ROOT / collection.path)
            out = list(items)
            for suffix in copies:
                for item in items:
                    copy = {**item, "id": item["id"] + suffix}
                    if collection.name == "glossary":  # terms are unique too, in each edition
                        copy["term"] = {edition: f"{term} {suffix[2:]}"
                                        for edition, term in item["term"].items()}
                        copy.pop("related", None)
                    out.append(copy)
            _dump(root / collection.path, out)
    # The single record: its lists grow instead, up to the most its schema allows (the visit
    # page shows them all; a visit's events do not grow with the site). Each copy next to its
    # original keeps the order.
    visit = _load(ROOT / "data" / "visit.yaml")
    schema = json.loads((ROOT / SCHEMA_DIR / BY_NAME["visit"].schema).read_text(encoding="utf-8"))
    for key in ("itinerary", "tour"):
        most = schema["properties"][key]["maxItems"] // len(visit[key])
        visit[key] = [{**item, "id": item["id"] + suffix} for item in visit[key]
                      for suffix in ["", *copies][:most]]
    _dump(root / "data" / "visit.yaml", visit)


def _load(path: Path):
    return _dates_as_text(yaml.safe_load(path.read_text(encoding="utf-8")))


def _dates_as_text(value):
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # noqa: ANN001 - PyYAML's signature
        return True  # copies share values; the data files write each out in full


def _dump(path: Path, value) -> None:
    path.write_text(yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def measure_validate(root: Path, runs: int) -> dict:
    out = subprocess.run([PYTHON, "-c", VALIDATE, str(root), str(runs)], check=True,
                         capture_output=True, text=True, env=_env())
    return json.loads(out.stdout)


def measure_build(root: Path) -> dict:
    site = root / "site"
    seconds, cpu, peak = _run([MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(site)],
                              root)
    sizes = {p.relative_to(site).parent.as_posix(): p.stat().st_size
             for p in site.rglob("*.html")}
    largest = max(sizes, key=sizes.get)
    # The pages of the lists split over pages (registry.pages), in every edition.
    stems = {first.removesuffix(".md") for first in split_lists()}
    lists = {page: size for page, size in sizes.items() if stems & set(page.split("/")[:2])}
    longest = max(lists, key=lists.get)
    return {"seconds": seconds, "cpu": cpu, "peak_kib": peak, "html_mb": sum(sizes.values()) / 1e6,
            "largest": largest, "largest_kb": sizes[largest] / 1e3,
            "list": longest, "list_kb": lists[longest] / 1e3, **measure_search(site)}


def measure_search(site: Path) -> dict:
    """Pagefind's index (hooks.py), both editions: all of it, and the largest of the files a
    search downloads as it needs them (a part of the index, a page's text, the list of pages),
    Pagefind's own script and WebAssembly aside (the same size at every scale)."""
    bundle = site / "pagefind"
    files = [p for p in bundle.rglob("*") if p.is_file()]
    parts = [p for p in files if p.suffix in (".pf_index", ".pf_fragment", ".pf_meta",
                                              ".pf_filter")]
    largest = max(parts, key=lambda p: p.stat().st_size)
    return {"search_mb": sum(p.stat().st_size for p in files) / 1e6,
            "search_part_kb": largest.stat().st_size / 1e3,
            "search_part": largest.relative_to(bundle).parent.as_posix()}


ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def static_copy(root: Path, out: Path) -> None:
    """The same pages as `root`'s built site, pasted into a MkDocs project as static HTML: each
    page's Markdown is its built article; no macros, no data layer. Its build time is what
    MkDocs and Material cost for these pages, the reference the data layer is measured against.
    Material's own templates stand in for overrides/ (which need the data layer's interface
    words), with the same theme settings, extensions, stylesheet and navigation. Its search is
    the site's: each page left out of Material's index, and Pagefind run over the built pages
    with the site's settings (measure_static), as hooks.py does."""
    site = root / "site"
    for config in PROJECT_FILES[:2]:
        text = (root / config).read_text(encoding="utf-8")
        text = re.sub(r"\n  - macros:\n(?:      .*\n)+", "\n", text)  # the plugin and its options
        text = text.replace("  custom_dir: overrides\n", "")
        text = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", text)  # what serving watches
        text = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\n", text)  # the pages data adds: below
        (out / config).write_text(text, encoding="utf-8")
    shutil.copytree(root / "overrides" / "assets", out / "docs" / "assets")
    pasted = set()
    for page in (root / "docs").rglob("*.md"):
        rel = page.relative_to(root / "docs").with_suffix("")
        built = site / rel.parent / ("" if rel.name == "index" else rel.name) / "index.html"
        _paste(built, out / "docs" / page.relative_to(root / "docs"))
        pasted.add(built)
    # The pages the data adds (hooks.py: the split lists' further pages), as pages of their own.
    for built in sorted(set(site.rglob("*/index.html")) - pasted):
        _paste(built, out / "docs" / built.parent.relative_to(site).with_suffix(".md"))


def _paste(built: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    article = ARTICLE.search(built.read_text(encoding="utf-8"))
    target.write_text("---\nsearch:\n  exclude: true\n---\n" + (article.group(1) if article else ""),
                      encoding="utf-8")


def measure_static(root: Path) -> dict:
    """Build the static copy of `root`'s site as the site builds: each edition in turn."""
    out = root / "static"
    out.mkdir()
    static_copy(root, out)
    runs = [_run([MKDOCS, "build", "--quiet", "--config-file", config, "--site-dir", site], out)
            for config, site in (("mkdocs.yml", "site"), ("mkdocs.ja.yml", "site/ja"))]
    runs.append(_run([PYTHON, "-m", "pagefind", "--site", "site", *_Indexer.ARGS], out))
    return {"seconds": sum(r[0] for r in runs), "cpu": sum(r[1] for r in runs)}


def _run(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run a build: its wall time, its processor time (its own and any children's), and its
    peak resident size in KiB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        errors = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"the build in {cwd} failed:\n{errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure_serve(root: Path, edits: int = 3) -> dict:
    """`mkdocs serve` as an editor runs it: from saving a data file (a source's title) to the
    served page showing the change, in the default edition and in every edition (the median of
    `edits` saves, each made once the previous one shows everywhere)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    pages = [base + "sources/", base + "ja/sources/"]
    process = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                               env={**_env(), "SITE_URL": base}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait_for(pages[-1], "</html>", timeout=900)  # the first build, both editions
        # The watcher takes its first look at the files in a thread of its own once serving
        # starts, and says nothing when it has: a save before that look would not be seen.
        time.sleep(2)
        # A source that the first of the sources' pages lists (they are split over several).
        with urllib.request.urlopen(pages[0], timeout=30) as response:
            listed = re.search(r'<li id="src-([^"]+)"', response.read().decode("utf-8")).group(1)
        source = root / BY_NAME["sources"].file_of(listed)
        record = _load(source)
        first, every = [], []
        for n in range(edits):
            token = f"edited{n}x{os.getpid()}"
            _dump(source, {**record, "title": f"{record['title']} {token}"})
            start = time.perf_counter()
            first.append(_wait_for(pages[0], token) - start)
            every.append(max(_wait_for(page, token) for page in pages) - start)
        return {"page": statistics.median(first), "editions": statistics.median(every)}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str, text: str, timeout: float = 120) -> float:
    """Poll `url` until its body has `text`; the time it did (perf_counter)."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def _env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GITHUB_ACTIONS": ""}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve-scales", default="1,10",
                        help="the scales at which to time mkdocs serve after an edit")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    serve_scales = {int(s) for s in args.serve_scales.split(",") if s}
    rows, status = [], 0
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        # The real data, measured again just before and just after each larger copy: growth is
        # judged against that pair, not against a 1x figure taken minutes earlier, since the
        # machine's speed drifts by a third within one run.
        reference = Path(tmp) / "x1-reference"
        reference.mkdir()
        multiply(reference, 1)
        for factor in scales:
            root = Path(tmp) / f"x{factor}"
            root.mkdir()
            multiply(root, factor)
            files = sum(1 for _ in (root / "data").rglob("*.yaml"))
            beside = factor > 1
            before_v = measure_validate(reference, args.runs) if beside else None
            check = measure_validate(root, 1 if factor >= 100 else args.runs)
            after_v = measure_validate(reference, args.runs) if beside else None
            if check["problems"]:  # e.g. a list file over the loader's size limit at 100x
                print(f"the {factor}x copy is not valid ({check['problems']} problems), so it is "
                      "not measured; the first:\n  " + "\n  ".join(check["first"]),
                      file=sys.stderr)
                status = 1
                break
            before_b = measure_build(reference) if beside else None
            build = measure_build(root)
            after_b = measure_build(reference) if beside else None
            static = measure_static(root)
            if beside:
                check["reference_cpu"] = (before_v["cpu"] + after_v["cpu"]) / 2
                build["reference_cpu"] = (before_b["cpu"] + after_b["cpu"]) / 2
            serve = measure_serve(root) if factor in serve_scales else {}
            rows.append({"factor": factor, "files": files, **{f"v_{k}": v for k, v in check.items()},
                         **{f"b_{k}": v for k, v in build.items()},
                         **{f"s_{k}": v for k, v in static.items()},
                         **{f"e_{k}": v for k, v in serve.items()}})
            shutil.rmtree(root)
            print(f"  measured {factor}x", file=sys.stderr, flush=True)
    if rows:
        print_table(rows)
    return status


def _growth(row: dict, prefix: str, base: dict) -> float:
    """A stage's processor time at a scale over the real data's, measured beside it (or, for
    the first row, at the start)."""
    return row[prefix + "cpu"] / row.get(prefix + "reference_cpu", base[prefix + "cpu"])


def print_table(rows: list[dict]) -> None:
    base = rows[0]
    header = ("scale", "files", "records", "validate s", "validate cpu s", "growth", "peak MiB",
              "build s",
              "build cpu s", "growth", "static cpu s", "vs static", "peak MiB", "HTML MB",
              "search MB", "largest search part kB", "largest page kB", "largest list page kB",
              "edit→page s", "edit→both s")
    lines = [header]
    for r in rows:
        lines.append((f"{r['factor']}x", str(r["files"]), str(r["v_records"]),
                      f"{r['v_seconds']:.2f}", f"{r['v_cpu']:.2f}",
                      f"{_growth(r, 'v_', base):.1f}x",
                      f"{r['v_peak_kib'] / 1024:.0f}", f"{r['b_seconds']:.1f}",
                      f"{r['b_cpu']:.1f}", f"{_growth(r, 'b_', base):.1f}x",
                      f"{r['s_cpu']:.1f}", f"{r['b_cpu'] / r['s_cpu']:.2f}x",
                      f"{r['b_peak_kib'] / 1024:.0f}", f"{r['b_html_mb']:.1f}",
                      f"{r['b_search_mb']:.1f}",
                      f"{r['b_search_part_kb']:.0f} ({r['b_search_part']})",
                      f"{r['b_largest_kb']:.0f} ({r['b_largest']})",
                      f"{r['b_list_kb']:.0f} ({r['b_list']})",
                      f"{r['e_page']:.1f}" if "e_page" in r else "-",
                      f"{r['e_editions']:.1f}" if "e_editions" in r else "-"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))
    print()
    by_factor = {r["factor"]: r for r in rows}
    for name, limit in TARGETS.items():
        factor = int(name.split()[1].rstrip("x"))
        if factor in by_factor:
            seconds = by_factor[factor]["v_cpu"]
            print(f"{name}: {seconds:.2f} s of processor time (target under {limit} s): "
                  f"{'met' if seconds < limit else 'MISSED'}")
    for r in rows[1:]:
        for stage, prefix, most in (("validation", "v_", MAX_GROWTH),
                                    ("build", "b_", MAX_BUILD_GROWTH)):
            growth = _growth(r, prefix, base)
            limit = r["factor"] * most
            beside = r.get(prefix + "reference_cpu")
            print(f"{stage} growth at {r['factor']}x: {growth:.1f}x (target at most "
                  f"{limit:.0f}x" + (f"; the real data took {beside:.2f} s of processor time "
                                     "beside it" if beside else "") +
                  f"): {'met' if growth <= limit else 'MISSED'}")
    for r in rows:
        if "e_page" in r and r["factor"] in SERVE_TARGETS:
            limit = SERVE_TARGETS[r["factor"]]
            print(f"edit to page while serving at {r['factor']}x: {r['e_page']:.1f} s (target "
                  f"under {limit} s): {'met' if r['e_page'] < limit else 'MISSED'}")
    for r in rows[1:]:
        for what, key in (("the largest page", "b_largest_kb"),
                          ("the largest file a search downloads", "b_search_part_kb")):
            growth = r[key] / base[key]
            print(f"{what} at {r['factor']}x: {r[key]:.0f} kB, {growth:.1f}x its size at 1x "
                  f"(target at most {MAX_PART_GROWTH:.0f}x): "
                  f"{'met' if growth <= MAX_PART_GROWTH else 'MISSED'}")
    for r in rows:
        ratio = r["b_cpu"] / r["s_cpu"]
        print(f"build at {r['factor']}x against the same pages as static HTML: {ratio:.2f}x "
              f"(target at most {MAX_VS_STATIC}x): {'met' if ratio <= MAX_VS_STATIC else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
