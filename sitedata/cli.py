"""Command line: the pipeline without MkDocs, for editors and CI.

    python -m sitedata validate   check every data file; print every problem; exit 1 on any
    python -m sitedata stats      print the counts the editorial targets are measured by
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .pipeline import build_date, load_site, validate
from .problems import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitedata", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["validate", "stats"])
    parser.add_argument("--root", default=".", help="project root (default: current folder)")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.command == "validate":
        result = validate(root)
        if result.report:
            print(result.report.format(), file=sys.stderr)
            return 1
        count = sum(len(r) for r in result.records.values())
        print(f"data OK: {count} records in {len(result.records)} collections")
        return 0
    try:
        site = load_site(root, build_date())  # editors' counts are as of the real today
    except DataError as err:
        print(err.report.format(), file=sys.stderr)
        return 1
    from .stats import stats_table  # only this command needs it
    print(stats_table(site))
    return 0
