"""Validate stage, part 2: meaning. Located records in, problems out.

Two kinds of rule. `check_record` runs the rules that need only one record (text safety, URLs,
ids inside its lists, dates and their order, quotations), so it can run in the process that
loaded the file; it returns the record's `Facts`: what the rules across records need from it.
`check_across` runs those (unique ids, references, each side's sources, attribution) once every
file is in. Each rule adds problems at the offending value's line and column. Text and URL safety
also run on records that failed the schema, so that a dangerous value is named even when its
record has other faults.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .collections import BY_NAME
from .markup import may_have_markup, text_problems, url_problem
from .problems import Report
from .records import Record, path_name

MAX_QUOTE_WORDS = 40
HTTPS_ASCII = re.compile(r"https://[!-~]+")  # the schema's url pattern

# Keys whose values refer to other records, and the collection they refer to.
REFERENCE_KEYS = {"sources": "sources", "source": "sources", "speaker": "people",
                  "participants": "people", "visitor": "people", "outcome": "outcomes",
                  "related": "glossary"}


@dataclass
class Facts:
    """What the rules across records need to know about one record."""

    references: list[tuple[tuple, str, str]] = field(default_factory=list)  # path, target, id
    statements: list[tuple[tuple, list]] = field(default_factory=list)  # path, sources (no whose)


class Context:
    """What the rules across records need: every record, which passed the schema, their facts
    and the build date."""

    def __init__(self, records: dict[str, list[Record]], valid: set[int],
                 facts: dict[int, Facts], today: datetime.date):
        self.records = records
        self.valid = {name: [r for r in rs if id(r) in valid] for name, rs in records.items()}
        self.facts = facts
        self.today = today
        self.ids = {name: {r.id for r in rs if r.id} for name, rs in records.items()}
        self.sources = {r.id: r.data for r in self.valid.get("sources", [])}


def check_record(record: Record, valid: bool, today: datetime.date, report: Report) -> Facts:
    """Every rule about this record alone; `valid`: it passed the schema.

    One pass over the record's values hands each value to the rules that concern it (most
    concern none), rather than a pass per rule: with 10,000 records, that pass is most of
    the time the rules take (see make bench)."""
    facts = Facts()
    quotes: list[tuple[tuple, str]] = []
    for path, value in record.walked():
        kind = type(value)
        if kind is str:
            if may_have_markup(value):
                check_text(record, path, value, report)
            if path:
                last = path[-1]
                key = path[-2] if type(last) is int and len(path) > 1 else last
                target = REFERENCE_KEYS.get(key)
                if target:
                    facts.references.append((path, target, value))
                if last == "quote" or (last == "text" and len(path) > 2 and path[-3] == "wording"):
                    quotes.append((path, value))
        elif kind is list:
            if path and path[-1] != "sources":
                check_list_ids(record, path, value, report)
        elif kind is dict and "text" in value:
            if path and path[-1] == "quote":
                quotes.append((path + ("text",), value["text"]))
            if "sources" in value and "whose" not in value and "holder" not in value:
                facts.statements.append((path, value["sources"]))
    if record.collection.name == "sources":
        check_urls(record, report)
    if not valid:
        facts.statements.clear()  # attribution is checked on valid records only
        return facts
    check_file_name(record, report)
    check_quotes(record, quotes, report)
    for rule in DATED.get(record.collection.name, ()):
        rule(record, today, report)
    return facts


def check_across(context: Context, report: Report) -> None:
    for rule in ACROSS:
        rule(context, report)


def _add(report: Report, record: Record, path: tuple, message: str, key: bool = False) -> None:
    line, col = record.mark(*path, key=key)
    report.add(record.doc.path, line, col, message)


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


# Rules about one record ------------------------------------------------------------------------

def check_text(record: Record, path: tuple, value: str, report: Report) -> None:
    """No raw HTML, template syntax, images or unsafe links in any text, valid record or not."""
    for problem in text_problems(value):
        _add(report, record, path, f"{path_name(path)}: {problem}")


def check_urls(record: Record, report: Report) -> None:
    """Source URLs are https deep links with no credentials, on a real host name.

    Values that do not even look like an https URL were already reported by the schema."""
    for key in ("url", "archived_url"):
        value = record.data.get(key)
        if isinstance(value, str) and HTTPS_ASCII.fullmatch(value):
            why = url_problem(value, deep=key == "url")
            if why:
                _add(report, record, (key,), f"{key} '{value[:80]}' {why}")


def check_file_name(record: Record, report: Report) -> None:
    """In one-file-per-record collections, the id is the file name."""
    if record.collection.is_dir:
        stem = record.doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if record.id != stem:
            _add(report, record, ("id",), f"id '{record.id}' must match the file name "
                 f"'{stem}.yaml': rename the file or fix the id")


def check_list_ids(record: Record, path: tuple, value: list, report: Report) -> None:
    """Ids are unique inside each list of a record."""
    _unique(report, ((record, path + (i, "id"), item.get("id")) for i, item in enumerate(value)
                     if isinstance(item, dict) and isinstance(item.get("id"), str)),
            f"{path_name(path)} id")


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


def check_source_dates(record: Record, today: datetime.date, report: Report) -> None:
    """A source is not published after the build day, nor accessed before it was published."""
    _not_future(today, report, record, ("published",))
    accessed = record.data.get("accessed")
    if accessed and accessed < record.data["published"]:
        _add(report, record, ("accessed",), f"accessed {accessed} is before published "
             f"{record.data['published']}")


def check_roles(record: Record, today: datetime.date, report: Report) -> None:  # noqa: ARG001
    """A person's roles end after they start."""
    for i, role in enumerate(record.data["roles"]):
        if role.get("from") and role.get("to") and role["to"] < role["from"]:
            _add(report, record, ("roles", i, "to"), f"role ends ({role['to']}) before it "
                 f"starts ({role['from']})")


def check_outcome_log(record: Record, today: datetime.date, report: Report) -> None:
    """Updates run oldest first, from the announcement, up to the last check, none in the future."""
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
    _not_future(today, report, record, ("last_checked",))
    for i, _ in enumerate(updates):
        _not_future(today, report, record, ("updates", i, "date"))
    if "deadline" in data and data["deadline"]["by"] < data["announced"]:
        _add(report, record, ("deadline", "by"), "deadline.by is before the announcement")


def check_visit(record: Record, today: datetime.date, report: Report) -> None:  # noqa: ARG001
    """The visit's days are in order, its events inside them, its tour stops in sequence."""
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


def check_quotes(record: Record, quotes: list[tuple[tuple, str]], report: Report) -> None:
    """Quotations are short; official wording quoted for an outcome is short too."""
    for path, value in quotes:
        words = len(value.split())
        if words > MAX_QUOTE_WORDS:
            _add(report, record, path, f"{path_name(path)} quotes {words} words; keep "
                 f"quotations to {MAX_QUOTE_WORDS} words and paraphrase the rest")


def _not_future(today: datetime.date, report: Report, record: Record, path: tuple) -> None:
    value = record.data
    for step in path:
        value = value[step]
    if _day(value) > today:
        _add(report, record, path, f"{path_name(path)} {value} is in the future (today is "
             f"{today.isoformat()})")


# Rules across records ------------------------------------------------------------------------

def check_unique_ids(context: Context, report: Report) -> None:
    """Ids are unique in each collection; glossary terms too."""
    for name, records in context.records.items():
        _unique(report, ((r, ("id",), r.id) for r in records if r.id), f"{name} id")
    glossary = context.records.get("glossary", [])
    _unique(report, ((r, ("term",), r.data.get("term")) for r in glossary
                     if isinstance(r.data.get("term"), str)), "glossary term")


def check_references(context: Context, report: Report) -> None:
    """Every id a record refers to (sources, people) exists."""
    for records in context.records.values():
        for record in records:
            for path, target, value in context.facts[id(record)].references:
                known = context.ids.get(target, set())
                if value in known:
                    continue
                guess = difflib.get_close_matches(value, known, n=1, cutoff=0.7)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                collection = BY_NAME[target]
                where = f"no file {collection.path}/{value}.yaml" if collection.is_dir \
                    else f"no entry with that id in {collection.path}"
                _add(report, record, path, f"{path_name(path)} refers to '{value}', which does "
                     f"not exist ({where}){hint}")


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


def check_attribution(context: Context, report: Report) -> None:
    """A statement resting only on analysis says whose analysis it is."""
    for records in context.valid.values():
        for record in records:
            for path, sources in context.facts[id(record)].statements:
                kinds = {context.sources.get(s, {}).get("kind") for s in sources}
                if kinds == {"analysis"}:
                    _add(report, record, path + ("text",), f"{path_name(path)} cites only "
                         "analysis; add 'whose:' to say whose analysis it is")


# The dated rules of each collection, run on its records that passed the schema.
DATED: dict[str, tuple[Callable[[Record, datetime.date, Report], None], ...]] = {
    "sources": (check_source_dates,), "people": (check_roles,),
    "outcomes": (check_outcome_log,), "visit": (check_visit,),
}

ACROSS: tuple[Callable[[Context, Report], None], ...] = (
    check_unique_ids, check_references, check_perspectives, check_attribution,
)
