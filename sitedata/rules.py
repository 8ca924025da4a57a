"""Validate stage, part 2: meaning. Located records in, problems out.

Each rule is one function that adds problems at the offending value's line and column. Rules
about one record (`RECORD_RULES`) run as each file is read; rules across records
(`ACROSS_RULES`) run once every file is in. Rules marked `SAFETY` (text and URL safety, ids
inside a list) also run on records that failed the schema, so that a dangerous value is named
even when its record has other faults; the others need a record of the right shape.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from .editions import is_quoted
from .markup import text_problems, url_problem
from .problems import Report, path_name
from .records import Record
from .registry import BY_NAME, PARTS, SEARCHED, Collection

MAX_QUOTE_WORDS = 40
HTTPS_ASCII = re.compile(r"https://[!-~]+")  # the schema's url pattern

# Keys whose values refer to other records, and the collection they refer to.
REFERENCE_KEYS = {"sources": "sources", "source": "sources", "translation_sources": "sources",
                  "speaker": "people", "participants": "people", "visitor": "people", "outcome": "outcomes",
                  "related": "glossary"}


@dataclass
class Context:
    """What the rules across records see: every record by collection, those that passed the
    schema (both keyed by every collection of the registry), the editions, and the data files
    that gave no records because of their own errors (a YAML syntax error, say)."""

    records: dict[str, list[Record]]
    valid: dict[str, list[Record]]
    editions: tuple[str, ...] = ("en",)  # the default edition first
    unread: frozenset[str] = frozenset()  # paths such as data/sources/x.yaml

    def waits(self, collection: Collection, record_id: str) -> bool:
        """Whether a record of `collection` with that id may be in a file that could not be
        read: a reference to it is not judged until that file's own errors are mended (they
        are reported), rather than reported as one to a record that does not exist."""
        return collection.file_of(record_id) in self.unread

    def ids(self, collection: str) -> set[str]:
        return {r.id for r in self.records[collection] if r.id}

    def sources(self) -> dict[str, dict]:
        return {r.id: r.data for r in self.valid["sources"]}


def _add(report: Report, record: Record, path: tuple, message: str) -> None:
    line, col = record.mark(*path)
    report.add(record.doc.path, line, col, message)


Values = list[tuple[tuple, object]]  # every (path, value) in a record, walked once


def _strings(values: Values) -> Iterator[tuple[tuple, str]]:
    return ((path, value) for path, value in values if isinstance(value, str))


# Rules about one record ------------------------------------------------------------------------

def check_text(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """No raw HTML, template syntax, images or unsafe links in any text."""
    for path, value in _strings(values):
        for problem in text_problems(value):
            _add(report, record, path, f"{path_name(path)}: {problem}")


def check_urls(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """Source URLs are https deep links with no credentials, on a real host name. Values that
    do not even look like an https URL were already reported by the schema."""
    if record.collection.name != "sources":
        return
    for key in ("url", "archived_url"):
        value = record.data.get(key)
        if isinstance(value, str) and HTTPS_ASCII.fullmatch(value):
            why = url_problem(value, deep=key == "url")
            if why:
                _add(report, record, (key,), f"{key} '{value[:80]}' {why}")


def check_list_ids(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """Ids are unique inside each list of a record (sections, itinerary events, tour stops)."""
    for path, value in values:
        if isinstance(value, list):
            _unique(report, ((record, path + (i, "id"), item["id"]) for i, item in enumerate(value)
                             if isinstance(item, dict) and isinstance(item.get("id"), str)),
                    f"{path_name(path)} id")


def check_file_name(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """In one-file-per-record collections, the id is the file name."""
    if record.collection.is_dir:
        stem = posixpath.basename(record.doc.path).removesuffix(".yaml")
        if record.id != stem:
            _add(report, record, ("id",), f"id '{record.id}' must match the file name "
                 f"'{stem}.yaml': rename the file or fix the id")


def check_quotes(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """Quotations, and each government's wording quoted for an outcome, are at most 40 words."""
    for path, value in _strings(values):
        is_quote = path[-2:-1] == ("quote",) and path[-1] == "text"
        is_wording = len(path) == 3 and path[0] == "wording" and path[-1] == "text"
        if (is_quote or is_wording) and (words := len(value.split())) > MAX_QUOTE_WORDS:
            _add(report, record, path, f"{path_name(path)} quotes {words} words; keep "
                 f"quotations to {MAX_QUOTE_WORDS} words and paraphrase the rest")


def check_source_dates(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """A source is not published after the build day, nor accessed before it was published."""
    if record.collection.name != "sources":
        return
    _not_future(today, report, record, ("published",))
    accessed = record.data.get("accessed")
    if accessed and accessed < record.data["published"]:
        _add(report, record, ("accessed",), f"accessed {accessed} is before published "
             f"{record.data['published']}")


def check_roles(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """A person's roles end after they start."""
    if record.collection.name != "people":
        return
    for i, role in enumerate(record.data["roles"]):
        if role.get("from") and role.get("to") and role["to"] < role["from"]:
            _add(report, record, ("roles", i, "to"), f"role ends ({role['to']}) before it "
                 f"starts ({role['from']})")


def check_outcome_log(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """Updates run oldest first, from the announcement, up to the last check, none in the
    future; a deadline is not before the announcement."""
    if record.collection.name != "outcomes":
        return
    data = record.data
    updates = data["updates"]
    previous = data["announced"]
    for i, update in enumerate(updates):
        if update["date"] < previous:
            what = "announced" if i == 0 else f"updates[{i - 1}].date"
            _add(report, record, ("updates", i, "date"), f"updates[{i}].date "
                 f"{update['date']} is before {what} ({previous}); keep the log oldest first")
        previous = max(previous, update["date"])
        _not_future(today, report, record, ("updates", i, "date"))
    latest = updates[-1]["date"]
    if data["last_checked"] < latest:
        _add(report, record, ("last_checked",), f"last_checked {data['last_checked']} is "
             f"before the latest update ({latest}); set it to the day you last looked")
    _not_future(today, report, record, ("last_checked",))
    if "deadline" in data and data["deadline"]["by"] < data["announced"]:
        _add(report, record, ("deadline", "by"), f"deadline.by {data['deadline']['by']} is "
             f"before the announcement ({data['announced']})")


def check_visit(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """The visit's days are in order, its events inside them and in sequence, its tour stops
    in sequence."""
    if record.collection.name != "visit":
        return
    data = record.data
    if data["end"] < data["start"]:
        _add(report, record, ("end",), f"end {data['end']} is before start {data['start']}")
    previous = ("", "")
    for i, event in enumerate(data["itinerary"]):
        if not data["start"] <= event["date"] <= data["end"]:
            _add(report, record, ("itinerary", i, "date"), f"itinerary[{i}].date "
                 f"{event['date']} is outside the visit ({data['start']} to {data['end']})")
        # An event without a time is taken to follow the day's previous event.
        same_day = event["date"] == previous[0]
        here = (event["date"], event.get("time", previous[1] if same_day else ""))
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


def check_logged_dates(record: Record, values: Values, today: date, report: Report) -> None:  # noqa: ARG001
    """A correction or a search is not dated in the future."""
    if record.collection.name in ("corrections", "searches"):
        _not_future(today, report, record, ("date",))


def check_verified(record: Record, values: Values, today: date, report: Report) -> None:
    """The day a record was last verified is not in the future."""
    for path, _ in values:
        if path and path[-1] == "last_verified":
            _not_future(today, report, record, path)


def _not_future(today: date, report: Report, record: Record, path: tuple) -> None:
    value = record.data
    for step in path:
        value = value[step]
    if date.fromisoformat(value) > today:
        _add(report, record, path, f"{path_name(path)} {value} is in the future (today is "
             f"{today.isoformat()})")


# Rules across records ------------------------------------------------------------------------

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


def check_unique_ids(context: Context, report: Report) -> None:
    """Ids are unique in each collection; glossary terms too."""
    for name, records in context.records.items():
        _unique(report, ((r, ("id",), r.id) for r in records if r.id), f"{name} id")
    glossary = context.records["glossary"]  # every collection is a key
    for edition in context.editions:
        _unique(report, ((r, ("term", edition), r.data["term"][edition]) for r in glossary
                         if isinstance(r.data.get("term"), dict)
                         and isinstance(r.data["term"].get(edition), str)), "glossary term")


def _references(record: Record) -> Iterator[tuple[tuple, str, str]]:
    """(path, collection, id) for every id the record refers to."""
    for path, value in _strings(record.walk()):
        last = path[-1]  # every string is inside the record's mapping
        key = path[-2] if len(path) > 1 and (isinstance(last, int) or
                                             path[-2] == "translation_sources") else last
        if key in REFERENCE_KEYS:
            yield path, REFERENCE_KEYS[key], value


def check_references(context: Context, report: Report) -> None:
    """Every id a record refers to (sources, people, outcomes, glossary terms) exists."""
    known = {name: context.ids(name) for name in set(REFERENCE_KEYS.values())}
    for records in context.records.values():
        for record in records:
            for path, target, value in _references(record):
                if value in known[target] or context.waits(BY_NAME[target], value):
                    continue
                guess = difflib.get_close_matches(value, known[target], cutoff=0.7)  # best first
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                _add(report, record, path, f"{path_name(path)} refers to '{value}', which does "
                     f"not exist ({BY_NAME[target].missing(value)}){hint}")


def check_targets(context: Context, report: Report) -> None:
    """A correction names a record that exists (and the part of it, where it has parts); a
    logged search names an outcome or a topic that exists."""
    allowed = {"corrections": [c.name for c in BY_NAME.values()
                               if c.name not in ("corrections", "searches")],
               "searches": list(SEARCHED)}
    for name, collections in allowed.items():
        for record in context.valid[name]:
            data = record.data
            target = data["collection"]
            if target not in collections:
                _add(report, record, ("collection",), f"collection '{target}' is not one of "
                     f"{', '.join(collections)}")
                continue
            found = _target(context, record, BY_NAME[target].layout == "single", report)
            if found is not None and "part" in data:
                _check_part(record, target, found, report)


def _target(context: Context, record: Record, single: bool, report: Report) -> Record | None:
    data, target = record.data, record.data["collection"]
    if single:
        if "record" in data:
            _add(report, record, ("record",), f"record: {target} is one record; leave record "
                 "out (name a part of it with part:)")
            return None
        return next(iter(context.valid[target]), None)
    if "record" not in data:
        _add(report, record, (), f"names no record of {target}: add record: with its id")
        return None
    found = next((r for r in context.valid[target] if r.id == data["record"]), None)
    if found is None and data["record"] not in context.ids(target) \
            and not context.waits(BY_NAME[target], data["record"]):
        _add(report, record, ("record",), f"record '{data['record']}' does not exist in "
             f"{target} ({BY_NAME[target].missing(data['record'])})")
    return found


def _check_part(record: Record, target: str, found: Record, report: Report) -> None:
    keys = PARTS.get(target, ())
    ids = {item["id"] for key in keys for item in found.data[key]}  # valid: it has them all
    if record.data["part"] not in ids:
        where = " or ".join(keys) or "nothing: this kind of record has no parts"
        _add(report, record, ("part",), f"part '{record.data['part']}' is not in the "
             f"{where} of that record")


def check_translations(context: Context, report: Report) -> None:
    """Every reader-visible text is in every edition's language, and every quotation has this
    site's translation into each edition's language but its own (English included), unless the
    record says it is not yet translated into that edition; a record marked so has something
    left to translate."""
    others = context.editions[1:]
    for records in context.valid.values():
        for record in records:
            pending = set(record.data.get("untranslated", []))
            missing: set[str] = set()
            gaps = [(path, edition, "text") for path, text in record.local_texts()
                    for edition in others if edition not in text]
            gaps += [(path + ("translation",), edition, "translation")
                     for path, value in record.walk() if is_quoted(value)
                     for edition in context.editions
                     if value["language"] != edition and edition not in value.get("translation", {})]
            for path, edition, what in gaps:
                missing.add(edition)
                if edition not in pending:
                    _add(report, record, path, f"{path_name(path)} has no {edition} {what}; add "
                         f"{edition}: (or mark the record untranslated: [{edition}] until it is "
                         "translated)")
            for edition in sorted(pending - missing):
                _add(report, record, ("untranslated",), f"untranslated lists {edition}, but every "
                     f"text has its {edition} version; take {edition} out of untranslated")


_WORD = re.compile(r"\w+")


def _form_index(names: list[tuple[str, dict]]) -> dict[str, dict[str, tuple[re.Pattern, list]]]:
    """Each English form, as a whole-words pattern with the entries that have it, under its
    first word: a text is then tried only on the forms whose first word it has, so the work
    grows with the texts, not with texts times names."""
    index: dict[str, dict[str, tuple[re.Pattern, list]]] = {}
    for n, (_where, forms) in enumerate(names):
        for form in forms["en"]:
            first = _WORD.match(form)
            pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
            index.setdefault(first.group() if first else "", {}).setdefault(
                form, (pattern, []))[1].append(n)
    return index


def check_terminology(context: Context, report: Report) -> None:
    """A text whose English names a meeting, mechanism, office, document or place of the
    terminology list, or a person, uses one of that name's forms in each other edition's text:
    the translations follow the list."""
    names = [(f"data/terminology.yaml: {r.id}", r.data["names"])
             for r in context.valid["terminology"]]
    for person in context.valid["people"]:
        forms: dict[str, list[str]] = {}
        for key in ("name", "short_name"):
            for edition, form in person.data.get(key, {}).items():
                forms.setdefault(edition, []).append(form)
        names.append((BY_NAME["people"].file_of(person.id), forms))
    # Entries with the same forms (namesakes) give one verdict: the first one's is enough.
    unique: dict[str, tuple[str, dict]] = {}
    for where, forms in names:
        unique.setdefault(repr(sorted(forms.items())), (where, forms))
    names = list(unique.values())
    index = _form_index(names)
    for records in context.valid.values():
        for record in records:
            for path, text in record.local_texts():
                english = text["en"]
                found = {form: entries for word in index.keys() & {"", *_WORD.findall(english)}
                         for form, (pattern, entries) in index[word].items()
                         if form in english and pattern.search(english)}
                for n in sorted({n for entries in found.values() for n in entries}):
                    where, forms = names[n]
                    used = next(f for f in forms["en"] if f in found)
                    for edition, translated in text.items():  # English passes: it has `used`
                        wanted = forms.get(edition)
                        if wanted and not any(f in translated for f in wanted):
                            _add(report, record, path + (edition,), f"{path_name(path)} names "
                                 f"'{used}' in English, but its {edition} text has none of "
                                 f"{', '.join(wanted)} ({where}); use one of them")


def check_perspectives(context: Context, report: Report) -> None:
    """Each government's position cites at least one source from that government's side."""
    sources = context.sources()
    for record in context.valid["topics"]:
        for i, view in enumerate(record.data["perspectives"]):
            sides = {sources[s]["country"] for s in view["sources"] if s in sources}
            if view["holder"] not in sides:
                _add(report, record, ("perspectives", i, "sources"), f"perspectives[{i}] gives "
                     f"{view['holder']}'s view but cites no source from {view['holder']} "
                     f"(sources here are from: {', '.join(sorted(sides)) or 'nowhere known'})")


def check_attribution(context: Context, report: Report) -> None:
    """A statement resting only on analysis says whose analysis it is."""
    sources = context.sources()
    for records in context.valid.values():
        for record in records:
            for path, value in record.walk():
                if not isinstance(value, dict) or "text" not in value or "sources" not in value \
                        or "whose" in value or "holder" in value:
                    continue
                kinds = {sources.get(s, {}).get("kind") for s in value["sources"]}
                if kinds == {"analysis"}:
                    _add(report, record, path + ("text",), f"{path_name(path)} cites only "
                         "analysis; add 'whose:' to say whose analysis it is")


def _publisher_name(publisher: str) -> str:
    """A publisher's own name: what comes before a part ("Hindustan Times (PTI copy)") or a
    section ("Press Information Bureau, Ministry of Defence")."""
    return re.split(r" \(|, ", publisher)[0]


def check_publishers(context: Context, report: Report) -> None:
    """The sources of one site name its publisher one way ("Nippon.com", not also "nippon.com"):
    a reader who looks a publisher up on the sources page finds all of it in one place."""
    first: dict[str, tuple[Record, str]] = {}
    for record in context.valid["sources"]:
        if url_problem(record.data["url"]):  # reported by check_urls; it may have no host
            continue
        host = urlsplit(record.data["url"]).hostname.removeprefix("www.")
        name = _publisher_name(record.data["publisher"])
        if host not in first:
            first[host] = (record, name)
            continue
        other, other_name = first[host]
        if name != other_name:
            line, _ = other.mark("publisher")
            _add(report, record, ("publisher",), f"publisher '{name}' names the publisher of "
                 f"{host} otherwise than '{other_name}' ({other.doc.path}:{line}); write it one "
                 "way")


RecordRule = Callable[[Record, Values, date, Report], None]

SAFETY: tuple[RecordRule, ...] = (check_text, check_urls, check_list_ids)
RECORD_RULES: tuple[RecordRule, ...] = (
    check_file_name, check_quotes, check_source_dates, check_roles, check_outcome_log,
    check_visit, check_verified, check_logged_dates,
)
ACROSS_RULES: tuple[Callable[[Context, Report], None], ...] = (
    check_unique_ids, check_references, check_targets, check_perspectives, check_attribution,
    check_translations, check_terminology, check_publishers,
)


def check_record(record: Record, valid: bool, today: date, report: Report) -> None:
    """Every rule about this record alone; `valid`: it passed the schema."""
    values = record.walk()
    for rule in SAFETY + (RECORD_RULES if valid else ()):
        rule(record, values, today, report)


def check_across(context: Context, report: Report) -> None:
    for rule in ACROSS_RULES:
        rule(context, report)
