"""Shared fixtures: a copy of the valid fixture data to break, and one real build of the site."""

from __future__ import annotations

import datetime
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["browser_fixtures"]  # Chromium and a loopback server, for tests/browser/

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid"
FIXTURE_DAY = datetime.date(2026, 11, 25)
PYTHON = sys.executable
MKDOCS = str(Path(PYTHON).with_name("mkdocs"))
sys.path.insert(0, str(ROOT))

def examples(count: int) -> int:
    """How many examples a Hypothesis test tries: `count`, or a twentieth of it under
    `make mutation` (QUICK_FUZZ=1), which runs the fast tests once per mutant."""
    return max(5, count // 20) if os.environ.get("QUICK_FUZZ") else count


# What validation reads beside the data, copied at once; and what the command line and the build
# need besides, copied only when a test runs them (most tests validate in process).
SCHEMAS = "sitedata/schemas"
READ_WITH_DATA = (SCHEMAS, "sitedata/locale", "overrides")  # validation reads these too
PROJECT_FILES = ("mkdocs.yml", "mkdocs.ja.yml", "macros.py", "CONTRIBUTING.md")
PROJECT_DIRS = ("sitedata", "docs")


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test run exactly as `make build` does; with pytest-xdist
    the workers share one build (the first to take the lock builds it)."""
    # Under xdist each worker's base folder is inside the run's own; without it, the base folder
    # is the run's, whose parent holds earlier runs' (and an earlier run's build is stale).
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "built-site"
    with open(shared / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (out / "index.html").is_file():
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GITHUB_ACTIONS": ""}
            result = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)],
                                    cwd=ROOT, env=env, capture_output=True, text=True,
                                    timeout=600)
            if result.returncode != 0:
                pytest.fail("the real site did not build:\n" + result.stdout + result.stderr)
    return out
