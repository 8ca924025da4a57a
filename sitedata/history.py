"""Enrich stage, history: when each data file (and each entry of a list file) was added and last
changed, read from git at build time.

`read_history(root)` asks git once for the log of data/ and once per list file for its blame
(with a `HistoryMemo`, only for a new commit or a list file whose bytes changed).
Dates are the committer's, in UTC, so that two builds of one commit agree. Where the history is
missing (no git, a tarball, a shallow clone that stops short), `History.reason` says why and no
date is given: a shallow clone would otherwise date every record to its one commit.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

UNCOMMITTED = "0" * 40  # git blame's name for lines changed since the last commit


@dataclass
class History:
    reason: str = ""  # why there are no dates; empty when the history is complete
    changed: dict[str, str] = field(default_factory=dict)  # file -> day of its last commit
    added: dict[str, str] = field(default_factory=dict)  # file -> day of the commit adding it
    lines: dict[str, list[str]] = field(default_factory=dict)  # list file -> day of each line

    @property
    def available(self) -> bool:
        return not self.reason

    def span(self, path: str, first: int, last: int | None) -> tuple[str, str]:
        """(added, last changed) for lines first..last (1-based; None: to the end) of a file:
        its earliest and latest committed line. Empty strings when unknown."""
        days = [d for d in self.lines.get(path, [])[first - 1:last] if d]
        return (min(days), max(days)) if days else ("", "")


class HistoryMemo:
    """The history read at one commit, kept for the next read in the same process (each save
    under `mkdocs serve`): the log of data/ is the commit's alone, and a list file's blame is
    the commit's and the file's bytes'. Reading them is most of what a read costs (one git log,
    and a git blame per list file: about 0.2 s for the real data); at the same commit, a read
    with the memo asks git for the commit and blames again only the list files whose bytes
    changed."""

    def __init__(self) -> None:
        self.commit: tuple = ()  # (the checkout, its commit) that what is kept belongs to
        self.changed: dict[str, str] = {}
        self.added: dict[str, str] = {}
        self.blames: dict[str, tuple[bytes, list[str]]] = {}  # list file -> (bytes, days)


def read_history(root: Path, list_files: list[str], memo: HistoryMemo | None = None) -> History:
    """The history of data/ in the git checkout at `root` (what `memo` kept, where it holds)."""
    inside = git_output(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return History(reason="this copy has no git history (a download or an export), so "
                              "the days each record last changed are left out")
    if (git_output(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return History(reason="this is a shallow clone, whose history stops short, so the days "
                              "each record last changed are left out (git fetch --unshallow "
                              "gives them)")
    memo = memo or HistoryMemo()
    commit = (Path(root).resolve(), (git_output(root, "rev-parse", "HEAD") or "").strip())
    if not commit[1] or commit != memo.commit:
        log = git_output(root, "log", "--no-renames", "--relative", "--format=%x00%ct",
                         "--name-status", "--", "data")
        if log is None:
            return History(reason="git could not read the history of data/")
        memo.commit, memo.changed, memo.added, memo.blames = commit, {}, {}, {}
        day = ""
        for line in log.splitlines():  # newest commit first
            if line.startswith("\0"):
                day = _day(line[1:])
            elif "\t" in line:
                status, path = line.split("\t", 1)
                memo.changed.setdefault(path, day)
                if status == "A":
                    memo.added[path] = day  # the oldest addition wins
    history = History(changed=dict(memo.changed), added=dict(memo.added))
    for path in list_files:
        file = Path(root) / path
        raw = file.read_bytes() if file.is_file() else b""
        if memo.blames.get(path, (None,))[0] != raw:
            memo.blames[path] = (raw, _blame(root, path))
        history.lines[path] = memo.blames[path][1]
    return history


def _blame(root: Path, path: str) -> list[str]:
    """The day of the commit behind each line of a file ('' for uncommitted lines)."""
    out = git_output(root, "blame", "--line-porcelain", "--", path) or ""
    days: list[str] = []
    commit = ""
    for line in out.splitlines():
        if line.startswith("\t"):  # the line's own text ends its block
            continue
        word, _, rest = line.partition(" ")
        if len(word) == 40 and rest[:1].isdigit():
            commit = word
        elif word == "committer-time":
            days.append("" if commit == UNCOMMITTED else _day(rest))
    return days


def _day(epoch: str) -> str:
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()


def git_output(root: Path, *args: str) -> str | None:
    """What `git -C root args...` prints, or None if git is missing or fails."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                                timeout=60, check=False)
    except OSError:  # git is not installed
        return None
    return result.stdout if result.returncode == 0 else None
