"""Shared fixtures: a copy of the valid fixture data to break, and one real build of the site."""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from sitedata.schema import FORMATS

pytest_plugins = ["browser_fixtures"]  # Chromium and a loopback server, for tests/browser/

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid"
FIXTURE_DAY = datetime.date(2026, 11, 25)
PYTHON = sys.executable
MKDOCS = str(Path(PYTHON).with_name("mkdocs"))
sys.path.insert(0, str(ROOT))

def second_opinion(schema: dict) -> jsonschema.Draft202012Validator:
    """The pure-Python `jsonschema` validator for `schema`, with the site's formats: an
    implementation of the dialect independent of the one validation uses (jsonschema_rs), to
    check it and the schemas against."""
    checker = jsonschema.FormatChecker(formats=["date"])
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def examples(count: int) -> int:
    """How many examples a Hypothesis test tries: `count`, or a twentieth of it under
    `make mutation` (QUICK_FUZZ=1), which runs the fast tests once per mutant."""
    return max(5, count // 20) if os.environ.get("QUICK_FUZZ") else count


# What validation reads beside the data, copied at once; and what the command line and the build
# need besides, copied only when a test runs them (most tests validate in process).
SCHEMAS = "sitedata/schemas"
READ_WITH_DATA = (SCHEMAS, "sitedata/locale", "overrides")  # validation reads these too
PROJECT_FILES = ("mkdocs.yml", "mkdocs.ja.yml", "macros.py", "hooks.py", "CONTRIBUTING.md")
PROJECT_DIRS = ("sitedata", "docs")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order `make test` hands out (pytest-xdist's worksteal gives each worker an equal
    share of it in order, then moves the ends of the longest queues to idle workers): first
    what does not need the site built, so that one worker's share starts with it while the
    worker whose share starts with the built site builds it (about 10 s; before, both shares
    started with tests that wait for the build). Of the tests that need the site, the HTML
    checks (milliseconds each) come first, then the builds (the reproducibility test, the longest),
    then the browser tests. The order is stable within each group."""
    def rank(item: pytest.Item) -> int:
        if "built_site" not in item.fixturenames:
            return 0
        if item.get_closest_marker("browser"):
            return 3
        return 2 if item.get_closest_marker("process") else 1

    items.sort(key=rank)


class Project:
    """A throwaway copy of the project whose data a test can change."""

    def __init__(self, root: Path):
        self.root = root
        self.complete = False

    def copy_the_rest(self) -> None:
        """The code, pages and map data, for the command line and the build (the schemas and
        catalogs, which a test may have changed, stay as they are)."""
        if self.complete:
            return
        for name in PROJECT_FILES:
            shutil.copy(ROOT / name, self.root / name)
        for name in PROJECT_DIRS:
            shutil.copytree(ROOT / name, self.root / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "schemas", "locale"))
        (self.root / "node_modules").mkdir()
        (self.root / "node_modules" / "world-atlas").symlink_to(
            ROOT / "node_modules" / "world-atlas")
        self.complete = True

    def write(self, rel: str, content: str | bytes | None) -> Path:
        path = self.root / rel
        if content is None:
            path.unlink()
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def replace(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text(encoding="utf-8")
        if old not in text:
            raise ValueError(f"{old!r} not in {rel}")
        self.write(rel, text.replace(old, new, 1))

    def problems(self) -> list[str]:
        """Every problem in the data, as validate() reports it."""
        from sitedata import validate
        return [str(p) for p in validate(self.root, FIXTURE_DAY).report.sorted()]

    def run(self, *args: str, env: dict | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess:
        self.copy_the_rest()
        full_env = {**os.environ, "SITE_BUILD_DATE": FIXTURE_DAY.isoformat(),
                    "NO_MKDOCS_2_WARNING": "1", "GITHUB_ACTIONS": "", **(env or {})}
        return subprocess.run(args, cwd=self.root, env=full_env, capture_output=True, text=True,
                              timeout=timeout)

    def validate_cli(self, **env) -> subprocess.CompletedProcess:
        return self.run(PYTHON, "-m", "sitedata", "validate", env=env)

    def build(self, **env) -> subprocess.CompletedProcess:
        return self.run(MKDOCS, "build", "--strict", "--site-dir", "site", env=env)


def copy_project(dest: Path, data: Path) -> Project:
    shutil.copytree(data, dest / "data")
    for name in READ_WITH_DATA:
        shutil.copytree(ROOT / name, dest / name)
    return Project(dest)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The project's code with the small valid fixture data, ready to be broken."""
    return copy_project(tmp_path, FIXTURE / "data")


# What dates a build when set; a build made with one of them is dated by it, not by its commit.
DATE_PINS = ("SOURCE_DATE_EPOCH", "SITEDATA_EPOCH_FROM_COMMIT", "SITE_BUILD_DATE")
# Where the build copies files from whatever git says of them (an ignored file there is published).
COPIED_AS_THEY_ARE = ("docs", "overrides")


def committed_tree(root: Path = ROOT) -> str:
    """HEAD's commit if the working tree at `root` is exactly that commit: nothing modified,
    staged or untracked, and no ignored file where the build copies files from; else ""."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              check=False, timeout=60)

    head = git("rev-parse", "--verify", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=all")
    ignored = git("status", "--porcelain", "--ignored", "--untracked-files=all", "--",
                  *COPIED_AS_THEY_ARE)
    if head.returncode or dirty.returncode or dirty.stdout or ignored.returncode \
            or ignored.stdout:
        return ""
    return head.stdout.strip()


def how_built(site: Path) -> dict:
    """How the session's build (built_site) was made: `commit`, the commit the working tree was
    exactly when it started and when it ended ("" if it was not), and `pinned`, the DATE_PINS
    set in its environment."""
    record = site.with_name(site.name + ".json")
    if not record.is_file():
        return {"commit": "", "pinned": []}
    return json.loads(record.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test run exactly as `make build` does; with pytest-xdist
    the workers share one build (the first to take the lock builds it). How it was built is
    written beside it (how_built): the reproducibility test compares a clone's build with it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's folder is in the run's folder
        shared = shared.parent
    out = shared / "built-site"
    with open(shared / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (out / "index.html").is_file():
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GITHUB_ACTIONS": ""}
            before = committed_tree()
            result = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)],
                                    cwd=ROOT, env=env, capture_output=True, text=True,
                                    timeout=600)
            if result.returncode != 0:
                pytest.fail("the real site did not build:\n" + result.stdout + result.stderr)
            after = committed_tree()
            made = {"commit": before if before == after else "",
                    "pinned": [name for name in DATE_PINS if name in env]}
            out.with_name(out.name + ".json").write_text(json.dumps(made), encoding="utf-8")
    return out
