"""Two builds of one commit are identical byte for byte (issue 14, item 2).

The commit checked out (HEAD: uncommitted changes are not in a clone) is cloned into a folder and
built there with a hash seed, a time zone and a wall clock of its own (the clock is moved 40 days
on, so that anything that reads the clock's day, not only its seconds, shows up). The other build
is made in another folder of another name and depth, at another time: the session's shared build
(conftest.built_site, made from the checkout at the start of the run with the machine's zone, a
random hash seed and the real clock) when that checkout was exactly HEAD, as a CI checkout
always is; otherwise (uncommitted changes, or a date pinned in the environment) a second clone,
built the same way as before with the real clock, the other zone and seed. Every file must be
the same. Slow: one full build with its Japanese edition, two when the checkout has changes.
"""

from __future__ import annotations

import datetime
import difflib
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATE_PINS, MKDOCS, ROOT, how_built

CLOCK_DAYS = 40
# Put on the second build's PYTHONPATH: moves the clock that datetime and time read by
# CLOCK_DAYS days, in the build and in the other editions' builds it starts.
SHIFTED_CLOCK = f'''
import datetime, time
_time = time.time
time.time = lambda: _time() + {CLOCK_DAYS} * 86400
class _DateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def utcnow(cls):
        return datetime.datetime.fromtimestamp(time.time(), datetime.UTC).replace(tzinfo=None)
class _Date(datetime.date):
    @classmethod
    def today(cls):
        return datetime.date.fromtimestamp(time.time())
datetime.datetime, datetime.date = _DateTime, _Date
'''


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()


def _clone(dest: Path) -> Path:
    dest.parent.mkdir(parents=True)
    _git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest), cwd=dest.parent)
    (dest / "node_modules").symlink_to((ROOT / "node_modules").resolve())  # the map data
    return dest


def _build(root: Path, seed: str, zone: str, extra: dict | None = None) -> Path:
    env = {key: value for key, value in os.environ.items() if key not in DATE_PINS}
    env.update(NO_MKDOCS_2_WARNING="1", GITHUB_ACTIONS="", PYTHONHASHSEED=seed, TZ=zone,
               **(extra or {}))
    result = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", "site"], cwd=root,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"the build in {root} failed:\n{result.stderr[-3000:]}"
    return root / "site"


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def _readable(rel: str, data: bytes) -> list[str]:
    if rel.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace").splitlines()


def _gzip_header_differs(a: bytes, b: bytes) -> bool:
    return a[:10] != b[:10]  # magic, method, flags, mtime (4 bytes), flags, OS


def _a_zone_unlike_here(*zones: str) -> str:
    """The first of `zones` whose offset from UTC is not this machine's now."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    now = datetime.datetime.now(datetime.UTC)
    for zone in zones:
        try:
            if now.astimezone(ZoneInfo(zone)).utcoffset() != now.astimezone().utcoffset():
                return zone
        except ZoneInfoNotFoundError:  # no time zone database to compare with
            return zone
    raise AssertionError(f"this machine's offset from UTC is that of each of {zones}")


@pytest.mark.process
def test_two_builds_of_one_commit_are_identical_byte_for_byte(tmp_path, built_site):
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=60)
    if inside.stdout.strip() != "true":
        pytest.skip("not a git checkout git can read: nothing to clone")
    first = _clone(tmp_path / "a" / "x")
    (tmp_path / "clock").mkdir()
    (tmp_path / "clock" / "sitecustomize.py").write_text(SHIFTED_CLOCK, encoding="utf-8")
    shifted = {"PYTHONPATH": str(tmp_path / "clock")}

    session = how_built(built_site)
    folders = [first, ROOT, Path(MKDOCS).parent.parent]
    if session["commit"] == _git("rev-parse", "HEAD", cwd=first) and not session["pinned"]:
        # The session's build: the checkout, exactly this commit, in another folder, built with
        # the machine's zone, a random seed and the real clock before this test started.
        seed = "1" if os.environ.get("PYTHONHASHSEED") == "2" else "2"
        one = _files(_build(first, seed, _a_zone_unlike_here("Asia/Tokyo", "America/New_York"),
                            shifted))
        two = _files(built_site)
        folders.append(built_site)
    else:  # the checkout is not the commit: build it in a second clone
        second = _clone(tmp_path / "b" / "y" / "z")
        one = _files(_build(first, "1", "UTC"))
        two = _files(_build(second, "2", "Asia/Tokyo", shifted))
        folders.append(second)

    assert one.keys() == two.keys(), (
        f"only in the first build: {sorted(one.keys() - two.keys())[:10]}; "
        f"only in the second: {sorted(two.keys() - one.keys())[:10]}")
    differ = [rel for rel in one if one[rel] != two[rel]]
    if differ:
        rel = differ[0]
        diff = list(difflib.unified_diff(_readable(rel, one[rel]), _readable(rel, two[rel]),
                                         rel, rel, n=0, lineterm=""))[:12]
        if rel.endswith(".gz") and not diff and _gzip_header_differs(one[rel], two[rel]):
            diff = ["the same once decompressed: the gzip headers differ (mtime?)"]
        pytest.fail(f"{len(differ)} of {len(one)} files differ between the two builds, first "
                    f"{differ[:10]}; {rel}:\n" + "\n".join(line[:300] for line in diff))

    # The build is dated by the commit: the API's generated_at is the commit's time.
    seconds = int(_git("log", "-1", "--format=%ct", cwd=first))
    commit_time = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    assert json.loads(one["api/v2/index.json"])["generated_at"] == \
        f"{commit_time:%Y-%m-%dT%H:%M:%SZ}"
    # No folder the builds ran in is named in what they wrote.
    for folder in folders:
        named = [rel for rel, data in one.items() if str(folder).encode() in data]
        assert not named, f"{folder} is named in {named[:5]}"
    shutil.rmtree(tmp_path / "a")
    shutil.rmtree(tmp_path / "b", ignore_errors=True)
