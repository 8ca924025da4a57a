"""When a build is dated: the time of the commit it is built from, never the wall clock.

Two builds of one commit, from any folder, at any time, must be identical byte for byte. So
everything the site writes that is a date or a time (the API's `generated_at`, the day outcomes
are judged against, the "cite this page" date, the sitemap's dates) comes from one time, taken
in this order:

1. `SOURCE_DATE_EPOCH`, when it is set (https://reproducible-builds.org/specs/source-date-epoch/):
   whole seconds since 1970-01-01 UTC. A value that is not one is an error, not ignored.
2. The committer time of the commit checked out (`git log -1 --format=%ct`), when the folder is
   a git checkout; a shallow clone has it too.
3. Otherwise (a download or an export: no git, no SOURCE_DATE_EPOCH), midnight UTC of the newest
   day the data records as already past (a source published, an outcome update, a check, a
   correction, a search, a verification): the same for every copy of the same files. The build
   says so in its log; setting SOURCE_DATE_EPOCH gives an exact time instead.

The day the site judges against (is an outcome overdue? how long since its latest evidence? is
a timeline event still planned?) is that time's day in UTC, or the newest of those data days if
it is later: uncommitted edits, or a commit made before midnight UTC on a day that had begun
where its editor was, never make the data's own dates lie in the site's future.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .history import git_output
from .records import Record

EPOCH = "SOURCE_DATE_EPOCH"

# The dates validation holds to "not in the future" (rules.py, _not_future): they are past by
# the day the data was written, so the newest of them is a floor for that day. (Timeline dates
# and deadlines may lie ahead; they are not counted.)
PAST_FIELDS = {"published", "last_checked", "last_verified"}
PAST_DATES = {"outcomes": ("updates",), "corrections": (), "searches": ()}  # where "date" is past
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ClockError(ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a time."""


@dataclass(frozen=True)
class BuildTime:
    """The time a build is dated by, and where it came from."""

    when: datetime.datetime  # aware, UTC, whole seconds
    source: str  # "SOURCE_DATE_EPOCH", "commit", or "data"
    detail: str = ""  # the commit's id, or the day the data gave

    @property
    def iso(self) -> str:
        """RFC 3339 in UTC, as the API's `generated_at` writes it: 2026-12-02T09:46:04Z."""
        return self.when.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def epoch(self) -> int:
        return int(self.when.timestamp())

    def describe(self) -> str:
        """One line for the build's log: which time and why."""
        if self.source == EPOCH:
            return f"dated {self.iso}, from {EPOCH}"
        if self.source == "commit":
            return f"dated {self.iso}, the time of commit {self.detail[:12]}"
        if self.detail:
            return (f"dated {self.iso}: this copy has no git history and {EPOCH} is not set, so "
                    f"the build is dated by the newest day in the data ({self.detail}); set "
                    f"{EPOCH} for an exact time")
        return (f"dated {self.iso}: no git history, no {EPOCH} and no dated record; set "
                f"{EPOCH} for a real time")


def build_time(root: Path, records: Mapping[str, Iterable[Record]] | None = None,
               environ: Mapping[str, str] | None = None) -> BuildTime:
    """The time a build of the project at `root` is dated by (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    value = environ.get(EPOCH, "").strip()
    if value:
        if not value.isdigit():
            raise ClockError(f"{EPOCH} must be a whole number of seconds since 1970-01-01 UTC, "
                             f"not {value!r}")
        return BuildTime(_utc(int(value)), EPOCH)
    commit = git_output(root, "log", "-1", "--format=%H %ct")
    if commit:
        sha, _, seconds = commit.strip().partition(" ")
        if seconds.isdigit():
            return BuildTime(_utc(int(seconds)), "commit", sha)
    day = newest_past_day(records or {})
    if day is None:
        return BuildTime(_utc(0), "data")
    return BuildTime(datetime.datetime.combine(day, datetime.time(), datetime.UTC), "data",
                     day.isoformat())


def site_day(built: BuildTime, records: Mapping[str, Iterable[Record]]) -> datetime.date:
    """The day the site judges against: the build time's day (UTC), or the newest day the data
    records as past, if that is later."""
    day = built.when.date()
    newest = newest_past_day(records)
    return max(day, newest) if newest else day


def newest_past_day(records: Mapping[str, Iterable[Record]]) -> datetime.date | None:
    """The newest of the dates the data records as already past; None when there are none."""
    days = [value for name, recs in records.items() for record in recs
            for value in _past_days(record, name)]
    return datetime.date.fromisoformat(max(days)) if days else None


def _past_days(record: Record, collection: str) -> list[str]:
    """The dates in a record that are past by the day it was written (each record's values are
    walked once, and kept: validation walked them already)."""
    found: list[str] = []
    for path, value in record.walk():
        if isinstance(value, str) and path and DAY.match(value):
            keys = tuple(step for step in path if not isinstance(step, int))  # in any list
            if keys[-1] in PAST_FIELDS or (keys[-1] == "date" and collection in PAST_DATES
                                           and keys[:-1] == PAST_DATES[collection]):
                found.append(value)
    return found


def _utc(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)
