"""Build the site with MkDocs and with ProperDocs, and compare the two outputs file by file.

    python tools/compare_engines.py              # build with both engines (strict), compare
    python tools/compare_engines.py SITE_A SITE_B  # compare two sites already built

ProperDocs is a fork of MkDocs 1.x that continues it under another name; the site must build
the same with either. The two outputs must be identical except for the generator tag
(`<meta name="generator" content="...">`) in each page's head, which names the engine. Both
builds get one SOURCE_DATE_EPOCH and SITE_BUILD_DATE, from the build's own clock
(sitedata/clock.py: SOURCE_DATE_EPOCH when set, else the commit's time), never the wall clock.
Each engine also builds the other editions (macros.py runs the running engine's own build for
each): every page of the ProperDocs build, in every edition, must name ProperDocs.

Prints every file that differs (or is in one output only) with its first differing line, and
exits 1 if any does; exits 2 if a build fails; 0 when the outputs agree.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sitedata.clock import build_time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs")
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')
LISTED = 20  # differing files printed in full; the rest are counted


def normalised(rel: str, data: bytes) -> bytes:
    """The file as compared: in HTML pages, the generator tag's content left out."""
    if rel.endswith(".html"):
        return GENERATOR.sub(b'<meta name="generator" content="">', data)
    return data


def files(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*"))
            if path.is_file()}


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 100 else line[:97] + "..."


def first_difference(a: bytes, b: bytes) -> str:
    """The first lines that differ, shortened: `line N: 'old' != 'new'`."""
    lines_a = a.decode("utf-8", "replace").splitlines()
    lines_b = b.decode("utf-8", "replace").splitlines()
    matcher = difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old = _short(lines_a[i1]) if i1 < i2 else "(nothing)"
            new = _short(lines_b[j1]) if j1 < j2 else "(nothing)"
            return f"line {i1 + 1}: {old!r} != {new!r}"
    return "the bytes differ, not the lines (line endings?)"


def compare(site_a: Path, site_b: Path) -> list[str]:
    """One line per file that differs beyond the generator tag, or is in one site only."""
    a, b = files(site_a), files(site_b)
    problems = [f"only in {site_a}: {rel}" for rel in sorted(a.keys() - b.keys())]
    problems += [f"only in {site_b}: {rel}" for rel in sorted(b.keys() - a.keys())]
    for rel in sorted(a.keys() & b.keys()):
        data_a, data_b = (normalised(rel, path.read_bytes()) for path in (a[rel], b[rel]))
        if data_a != data_b:
            problems.append(f"differs: {rel}: {first_difference(data_a, data_b)}")
    return problems


def generators(site: Path) -> dict[str, str]:
    """Each HTML page's generator tag content ('' when it has none)."""
    found = {}
    for rel, path in files(site).items():
        if rel.endswith(".html"):
            match = GENERATOR.search(path.read_bytes())
            found[rel] = match.group(1).decode() if match else ""
    return found


def engine_problems(engine: str, site: Path) -> list[str]:
    """Pages that do not name the engine that was to build them (an edition built by the other)."""
    names_properdocs = engine == "properdocs"
    return [f"{engine} build: {rel} has generator {content!r}"
            for rel, content in generators(site).items()
            if ("properdocs" in content.lower()) != names_properdocs]


def build(engine: str, out: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", engine, "build", "--strict", "--quiet", "--site-dir", str(out)]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,
                          check=False)


def build_environment() -> dict[str, str]:
    built = build_time(ROOT)  # the build's own clock: SOURCE_DATE_EPOCH, else the commit
    return {**os.environ, "SOURCE_DATE_EPOCH": str(built.epoch),
            "SITE_BUILD_DATE": os.environ.get("SITE_BUILD_DATE") or built.when.date().isoformat(),
            "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def report(problems: list[str], pages: int, total: int) -> int:
    for line in problems[:LISTED]:
        print(line)
    if len(problems) > LISTED:
        print(f"... and {len(problems) - LISTED} more")
    if problems:
        print(f"engines differ: {len(problems)} of {total} files")
        return 1
    print(f"engines agree: {total} files the same, the generator tag of the {pages} pages aside")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="*", type=Path, help="two built sites to compare")
    args = parser.parse_args(argv)
    if len(args.sites) not in (0, 2):
        parser.error("give two built sites, or none to build both")
    if args.sites:
        site_a, site_b = args.sites
        problems = compare(site_a, site_b)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="engines-")
        environment = build_environment()
        sites = {}
        for engine in ENGINES:
            sites[engine] = Path(temporary.name) / engine
            print(f"building with {engine}...", flush=True)
            result = build(engine, sites[engine], environment)
            if result.returncode != 0:
                print(f"{engine} build failed:\n{(result.stderr or result.stdout).strip()}")
                return 2
        site_a, site_b = sites.values()
        problems = [line for engine, site in sites.items() for line in engine_problems(engine, site)]
        problems += compare(site_a, site_b)
    pages = sum(1 for rel in files(site_a) if rel.endswith(".html"))
    return report(problems, pages, len(files(site_a).keys() | files(site_b).keys()))


if __name__ == "__main__":
    sys.exit(main())
