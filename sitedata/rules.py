"""Validate stage, part 2: meaning. Schema-valid records in, problems out.

One function per rule, each adding problems to the report at the offending value's line and
column; `check_all` runs them all. Text and URL safety also run on records that failed the schema,
so that a dangerous value is named even when its record has other faults.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable

from .markup import text_problems, url_problem
from .problems import Report
from .records import Record, path_name, walk

MAX_QUOTE_WORDS = 40
HTTPS_ASCII = re.compile(r"https://[!-~]+")  # the schema's url pattern

# Keys whose values refer to other records, and the collection they refer to.
REFERENCE_KEYS = {"sources": "sources", "source": "sources", "speaker": "people",
                  "participants": "people", "visitor": "people"}


class Context:
    """What the rules need: records by collection, valid ones apart, and the build date."""

    def __init__(self, records: dict[str, list[Record]], valid: set[int], today: datetime.date):
        self.records = records
        self.valid = {name: [r for r in rs if id(r.doc) in valid] for name, rs in records.items()}
        self.today = today
        self.ids = {name: {r.id for r in rs if r.id} for name, rs in records.items()}
        self.sources = {r.id: r.data for r in self.valid.get("sources", [])}
        self._walked: dict[int, list[tuple[tuple, object]]] = {}

    def walk(self, record: Record) -> list[tuple[tuple, object]]:
        """Every (path, value) in a record, worked out once and shared by all the rules."""
        key = id(record)
        if key not in self._walked:
            self._walked[key] = walk(record.data)
        return self._walked[key]


def check_all(context: Context, report: Report) -> None:
    for rule in RULES:
        rule(context, report)


def _add(report: Report, record: Record, path: tuple, message: str, key: bool = False) -> None:
    line, col = record.mark(*path, key=key)
    report.add(record.doc.path, line, col, message)


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def check_text(context: Context, report: Report) -> None:
    """No raw HTML, template syntax, images or unsafe links in any text, valid record or not."""
    for records in context.records.values():
        for record in records:
            for path, value in context.walk(record):
                if isinstance(value, str):
                    for problem in text_problems(value):
                        _add(report, record, path, f"{path_name(path)}: {problem}")


def check_urls(context: Context, report: Report) -> None:
    """Source URLs are https deep links with no credentials, on a real host name.

    Values that do not even look like an https URL were already reported by the schema."""
    for record in context.records.get("sources", []):
        for key in ("url", "archived_url"):
            value = record.data.get(key)
            if isinstance(value, str) and HTTPS_ASCII.fullmatch(value):
                why = url_problem(value, deep=key == "url")
                if why:
                    _add(report, record, (key,), f"{key} '{value[:80]}' {why}")


def check_file_names(context: Context, report: Report) -> None:
    """In one-file-per-record collections, the id is the file name."""
    for records in context.valid.values():
        for record in records:
            if record.collection.is_dir:
                stem = record.doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
                if record.id != stem:
                    _add(report, record, ("id",), f"id '{record.id}' must match the file name "
                         f"'{stem}.yaml': rename the file or fix the id")


def check_unique_ids(context: Context, report: Report) -> None:
    """Ids are unique in each collection, and inside each list of a record."""
    for name, records in context.records.items():
        _unique(report, ((r, ("id",), r.id) for r in records if r.id), f"{name} id")
        for record in records:
            for path, value in context.walk(record):
                if isinstance(value, list) and path and path[-1] != "sources":
                    _unique(report, ((record, path + (i, "id"), item.get("id"))
                                     for i, item in enumerate(value)
                                     if isinstance(item, dict) and isinstance(item.get("id"), str)),
                            f"{path_name(path)} id")
    glossary = context.records.get("glossary", [])
    _unique(report, ((r, ("term",), r.data.get("term")) for r in glossary
                     if isinstance(r.data.get("term"), str)), "glossary term")


def _unique(report: Report, items: Iterable[tuple[Record, tuple, str]], what: str) -> None:
    first: dict[str, tuple[Record, tuple]] = {}
    for record, path, value in items:
        if value in first:
            other, other_path = first[value]
            line, _ = other.mark(*other_path)
            _add(report, record, path, f"{what} '{value}' is used twice (first at "
                 f"{other.doc.path}:{line}); each must be unique")
        else:
            first[value] = (record, path)


def check_references(context: Context, report: Report) -> None:
    """Every id a record refers to (sources, people) exists."""
    for records in context.records.values():
        for record in records:
            for path, value in context.walk(record):
                if not isinstance(value, str) or not path:
                    continue
                key = path[-2] if isinstance(path[-1], int) and len(path) > 1 else path[-1]
                target = REFERENCE_KEYS.get(key)
                known = context.ids.get(target, set()) if target else set()
                if target is None or value in known:
                    continue
                guess = difflib.get_close_matches(value, known, n=1, cutoff=0.7)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                where = f"no file data/{target}/{value}.yaml"
                _add(report, record, path, f"{path_name(path)} refers to '{value}', which does "
                     f"not exist ({where}){hint}")


def check_dates(context: Context, report: Report) -> None:
    """Nothing dated after the build day except timeline plans; ranges run forwards."""
    for record in context.valid.get("sources", []):
        _not_future(context, report, record, ("published",))
        accessed = record.data.get("accessed")
        if accessed and accessed < record.data["published"]:
            _add(report, record, ("accessed",), f"accessed {accessed} is before published "
                 f"{record.data['published']}")
    for record in context.valid.get("people", []):
        for i, role in enumerate(record.data["roles"]):
            if role.get("from") and role.get("to") and role["to"] < role["from"]:
                _add(report, record, ("roles", i, "to"), f"role ends ({role['to']}) before it "
                     f"starts ({role['from']})")


def check_outcome_log(context: Context, report: Report) -> None:
    """Updates run oldest first, from the announcement, up to the last check, none in the future."""
    for record in context.valid.get("outcomes", []):
        data = record.data
        updates = data["updates"]
        previous = data["announced"]
        for i, update in enumerate(updates):
            if update["date"] < previous:
                what = "announced" if i == 0 else f"updates[{i - 1}].date"
                _add(report, record, ("updates", i, "date"), f"updates[{i}].date "
                     f"{update['date']} is before {what} ({previous}); keep the log oldest first")
            previous = max(previous, update["date"])
        if updates and data["last_checked"] < updates[-1]["date"]:
            _add(report, record, ("last_checked",), f"last_checked {data['last_checked']} is "
                 f"before the latest update ({updates[-1]['date']}); set it to the day you "
                 "last looked")
        _not_future(context, report, record, ("last_checked",))
        for i, _ in enumerate(updates):
            _not_future(context, report, record, ("updates", i, "date"))
        if "deadline" in data and data["deadline"]["by"] < data["announced"]:
            _add(report, record, ("deadline", "by"), "deadline.by is before the announcement")


def check_visit(context: Context, report: Report) -> None:
    """The visit's days are in order, its events inside them, its tour stops in sequence."""
    for record in context.valid.get("visit", []):
        data = record.data
        if data["end"] < data["start"]:
            _add(report, record, ("end",), f"end {data['end']} is before start {data['start']}")
        previous = ("", "")
        for i, event in enumerate(data["itinerary"]):
            if not data["start"] <= event["date"] <= data["end"]:
                _add(report, record, ("itinerary", i, "date"), f"itinerary[{i}].date "
                     f"{event['date']} is outside the visit ({data['start']} to {data['end']})")
            here = (event["date"], event.get("time", previous[1] if event["date"] == previous[0]
                                        else ""))
            if here < previous:
                _add(report, record, ("itinerary", i, "date"), f"itinerary[{i}] "
                     f"({' '.join(here).strip()}) is out of sequence: it comes after "
                     f"{' '.join(previous).strip()}; list events in the order they happened")
            previous = max(previous, here)
        last_start = ""
        for i, stop in enumerate(data["tour"]):
            if stop.get("end", stop["start"]) < stop["start"]:
                _add(report, record, ("tour", i, "end"), f"tour[{i}].end {stop['end']} is "
                     f"before its start {stop['start']}")
            if stop["start"] < last_start:
                _add(report, record, ("tour", i, "start"), f"tour[{i}].start {stop['start']} "
                     f"is before the previous stop's start ({last_start}); list stops in order")
            last_start = max(last_start, stop["start"])


def check_perspectives(context: Context, report: Report) -> None:
    """Each government's position cites at least one source from that government's side."""
    for record in context.valid.get("topics", []):
        for i, view in enumerate(record.data["perspectives"]):
            sides = {context.sources[s]["country"] for s in view["sources"]
                     if s in context.sources}
            if view["holder"] not in sides:
                _add(report, record, ("perspectives", i, "sources"), f"perspectives[{i}] gives "
                     f"{view['holder']}'s view but cites no source from {view['holder']} "
                     f"(sources here are from: {', '.join(sorted(sides)) or 'nowhere known'})")


def check_quotes(context: Context, report: Report) -> None:
    """Quotations are short; official wording quoted for an outcome is short too."""
    for records in context.valid.values():
        for record in records:
            for path, value in context.walk(record):
                quoted = path and (path[-1] == "quote" or (len(path) > 2 and path[-3] == "wording"
                                                           and path[-1] == "text"))
                if quoted:
                    if isinstance(value, dict):
                        value, path = value["text"], path + ("text",)
                    words = len(value.split())
                    if words > MAX_QUOTE_WORDS:
                        _add(report, record, path, f"{path_name(path)} quotes {words} words; keep "
                             f"quotations to {MAX_QUOTE_WORDS} words and paraphrase the rest")


def check_attribution(context: Context, report: Report) -> None:
    """A statement resting only on analysis says whose analysis it is."""
    for records in context.valid.values():
        for record in records:
            for path, value in context.walk(record):
                if not (isinstance(value, dict) and "text" in value and "sources" in value):
                    continue
                kinds = {context.sources.get(s, {}).get("kind") for s in value["sources"]}
                if kinds == {"analysis"} and "whose" not in value and "holder" not in value:
                    _add(report, record, path + ("text",), f"{path_name(path)} cites only analysis; "
                         "add 'whose:' to say whose analysis it is")


def _not_future(context: Context, report: Report, record: Record, path: tuple) -> None:
    value = record.data
    for step in path:
        value = value[step]
    if _day(value) > context.today:
        _add(report, record, path, f"{path_name(path)} {value} is in the future (today is "
             f"{context.today.isoformat()})")


RULES: tuple[Callable[[Context, Report], None], ...] = (
    check_text, check_urls, check_file_names, check_unique_ids, check_references, check_dates,
    check_outcome_log, check_visit, check_perspectives, check_quotes, check_attribution,
)
