"""Mutation testing of the validation and enrichment modules: is every rule really tested?

    python tools/mutation.py [--jobs N]

Two kinds of mutant, each run against the fast tests (tests/unit, without those that start a
process of their own):

1. mutmut's, over the modules listed under [tool.mutmut] in pyproject.toml: operators swapped
   and negated (< for <=, not added or removed, and for or), constants and strings changed,
   arguments removed. A mutant the tests do not notice "survives".
2. Rule deletion, which mutmut does not do: each rule of sitedata/rules.py removed in turn
   (tools/delete_rule.py, a pytest plugin, takes it out of the lists that run it).

Prints every survivor, then as its last line `mutation: K killed of N (P%)`. Exits 1 if a rule
deletion survives. mutmut keeps its results in mutants/; a second run retests what changed, and
every earlier survivor against today's tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The fast tests that mutmut runs (pyproject.toml says which: not those of the contributor kit,
# the pins, the engines and the bench, which guard files and tools, not the mutated modules).
SELECTION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
FAST_TESTS = [*SELECTION["pytest_add_cli_args_test_selection"], "-x", "-q", "-p", "no:cacheprovider"]


def refresh_copies() -> None:
    """Bring mutants/ up to date with the files under the source paths that mutmut does not mutate.

    mutmut 3.8 copies a source path's other files (templates, schemas) only when mutants/ is
    first made, so a second run would test the mutants against yesterday's templates and fail
    "the clean test" (or pass it wrongly). mutmut offers no option for this.
    """
    for folder in SELECTION["source_paths"]:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix == ".py" or "__pycache__" in path.parts:
                continue
            copy = ROOT / "mutants" / path.relative_to(ROOT)
            if not copy.exists() or copy.read_bytes() != path.read_bytes():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)


def forget_test_map() -> None:
    """Make mutmut find again which tests run each function.

    mutmut 3.8 maps each function to the tests that call it once, then adds only new tests to
    the map: a function written since (or a test that has started to call it) keeps the tests
    first found, so its mutants face a few tests and survive. Its own verdicts and the hashes
    by which it sees what changed are kept; the map costs one traced run of the fast tests.
    """
    stats = ROOT / "mutants" / "mutmut-stats.json"
    if stats.is_file():
        data = json.loads(stats.read_text())
        data["tests_by_mangled_function_name"], data["duration_by_test"] = {}, {}
        stats.write_text(json.dumps(data))


# Besides "killed": a mutant that makes the tests time out, or crash the process that runs them,
# is detected too (the suite did not pass with it).
DETECTED = ("timeout", "segfault")


def run_mutmut(jobs: int) -> tuple[dict, list[str]]:
    refresh_copies()
    forget_test_map()
    log = ROOT / "reports" / "mutmut-run.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        _mutmut(["run", "--max-children", str(jobs)], out, log)
        # mutmut tries a mutant again only when the code it mutates has changed, not when a test
        # has been added: the survivors (and timeouts) of earlier runs face today's tests again.
        again = [name for name, status in _results() if status in ("survived", "timeout")]
        if again:
            _mutmut(["run", "--max-children", str(jobs), *again], out, log)
    subprocess.run([BIN / "mutmut", "export-cicd-stats"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    survivors = [f"{name}: {status}" for name, status in _results()
                 if status not in DETECTED]
    return stats, survivors


def _mutmut(args: list[str], out, log: Path) -> None:
    run = subprocess.run([BIN / "mutmut", *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                         env={**os.environ, "QUICK_FUZZ": "1"})
    if run.returncode != 0:  # mutmut stops when the tests fail without any mutant
        out.flush()
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"mutmut failed (exit {run.returncode}); the end of {log}:\n{tail}")


def _results() -> list[tuple[str, str]]:
    """Every mutant not killed, with its status (survived, timeout, not checked...)."""
    results = subprocess.run([BIN / "mutmut", "results"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    return [tuple(line.strip().rsplit(": ", 1)) for line in results.splitlines() if ": " in line]


def rule_names() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from sitedata import rules

    return [rule.__name__ for rule in rules.SAFETY + rules.RECORD_RULES + rules.ACROSS_RULES]


def rule_deletion_survivors() -> tuple[int, list[str]]:
    """Each rule removed in turn: the fast tests must fail."""
    survivors = []
    names = rule_names()
    for name in names:
        env = {**os.environ, "DELETE_RULE": name, "PYTHONPATH": str(ROOT), "QUICK_FUZZ": "1"}
        result = subprocess.run([sys.executable, "-m", "pytest", *FAST_TESTS, "-p",
                                 "tools.delete_rule"], cwd=ROOT, env=env, capture_output=True,
                                text=True)
        if result.returncode == 0:
            survivors.append(f"rules.{name}: deleted, and no test failed")
        print(f"  rule deleted: {name}: {'survived' if result.returncode == 0 else 'killed'}",
              file=sys.stderr, flush=True)
    return len(names), survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    stats, survivors = run_mutmut(args.jobs)
    deleted, deletion_survivors = rule_deletion_survivors()
    print("Survivors (mutmut show <name> prints the change):")
    for line in survivors + deletion_survivors:
        print("  " + line)
    detected = stats["killed"] + sum(stats[status] for status in DETECTED)
    total = stats["total"] - stats["skipped"] + deleted
    killed = detected + deleted - len(deletion_survivors)
    print(f"mutmut: {stats}")
    print(f"mutation: {killed} killed of {total} ({100 * killed / total:.1f}%)")
    return 1 if deletion_survivors else 0


if __name__ == "__main__":
    sys.exit(main())
