"""Enrich stage: validated records in, a `Site` out, with derived fields kept apart from raw ones.

Raw values stay exactly as editors wrote them (they are what the JSON API publishes). Everything
computed here (an outcome's current status, days since its last evidence, whether it is overdue,
which pages cite each source, sort orders) lives on the view objects, never back in the records.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from .records import Record, walk
from .registry import BY_NAME, PERSPECTIVES, place
from .schema import Schemas
from .vocabulary import Value, Vocabulary


@dataclass(frozen=True)
class Citation:
    """One place on the site that cites a source."""

    page: str  # docs-relative page, e.g. outcomes.md
    anchor: str
    label: str


@dataclass
class OutcomeView:
    record: Record
    status: Value  # the status shown by the latest update
    status_since: str  # the date of the earliest update of the unbroken run that set it
    latest_evidence: str  # the date of the latest update
    days_since_evidence: int
    is_overdue: bool
    awaits_evidence: bool  # the status shows no progress, and no evidence since the latest update

    @property
    def data(self) -> dict:
        return self.record.data

    @property
    def id(self) -> str:
        return self.record.id


@dataclass
class Site:
    today: datetime.date
    records: dict[str, list[Record]]
    vocabulary: Vocabulary
    schemas: Schemas
    sources: dict[str, dict] = field(default_factory=dict)
    people: dict[str, dict] = field(default_factory=dict)
    glossary: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    topics: dict[str, dict] = field(default_factory=dict)
    claims: list[dict] = field(default_factory=list)
    visit: dict = field(default_factory=dict)
    outcomes: list[OutcomeView] = field(default_factory=list)
    cited_by: dict[str, list[Citation]] = field(default_factory=dict)

    def data_files(self, name: str) -> list[str]:
        """The files behind a collection, for "edit this data" links."""
        return sorted({r.doc.path for r in self.records.get(name, [])})

    def file_of(self, name: str, record_id: str) -> str:
        for record in self.records.get(name, []):
            if record.id == record_id:
                return record.doc.path
        return BY_NAME[name].path

    @property
    def status_counts(self) -> Counter:
        return Counter(o.status.value for o in self.outcomes)

    @property
    def area_counts(self) -> Counter:
        return Counter(o.data["area"] for o in self.outcomes)


def enrich(records: dict[str, list[Record]], vocabulary: Vocabulary, schemas: Schemas,
           today: datetime.date) -> Site:
    site = Site(today=today, records=records, vocabulary=vocabulary, schemas=schemas)
    data = {name: [r.data for r in rs] for name, rs in records.items()}
    site.sources = {s["id"]: s for s in sorted(data.get("sources", []),
                                               key=lambda s: (s["publisher"], s["published"]))}
    site.people = {p["id"]: p for p in data.get("people", [])}
    site.glossary = sorted(data.get("glossary", []), key=lambda g: g["term"].casefold())
    site.timeline = sorted(data.get("timeline", []), key=lambda t: t["date"])
    site.topics = {t["id"]: t for t in data.get("topics", [])}
    site.claims = data.get("claims", [])
    site.visit = (data.get("visit") or [{}])[0]
    site.outcomes = sorted((outcome_view(r, vocabulary, today) for r in records.get("outcomes", [])),
                           key=lambda o: (o.data["announced"], o.data["title"]))
    site.cited_by = _citations(records)
    return site


def outcome_view(record: Record, vocabulary: Vocabulary, today: datetime.date) -> OutcomeView:
    data = record.data
    latest = data["updates"][-1]
    since = latest["date"]
    for update in reversed(data["updates"]):  # the status holds since the update that set it
        if update["status"] != latest["status"]:
            break
        since = update["date"]
    status = vocabulary.status[latest["status"]]
    days = (today - datetime.date.fromisoformat(latest["date"])).days
    deadline = data.get("deadline")
    overdue = bool(deadline) and status.stage != "done" and \
        datetime.date.fromisoformat(deadline["by"]) < today
    return OutcomeView(record, status, since, latest["date"], days, overdue,
                       awaits_evidence=status.stage == "pending" and days > 0)


def _citations(records: dict[str, list[Record]]) -> dict[str, list[Citation]]:
    """For each source id, every page and anchor whose records cite it, in site order."""
    cited: dict[str, list[Citation]] = {}
    for name, recs in records.items():
        for record in recs:
            for path, value in walk(record.data):
                ids = value if path and path[-1] == "sources" and isinstance(value, list) else \
                    [value] if path and path[-1] == "source" and isinstance(value, str) else []
                if not ids:
                    continue
                citation = _place(name, record, path)
                for source_id in ids:
                    bucket = cited.setdefault(source_id, [])
                    if citation not in bucket:
                        bucket.append(citation)
    return cited


def _place(name: str, record: Record, path: tuple) -> Citation:
    """Where a cited value is shown: its page, anchor and a label for the sources page."""
    data = record.data
    collection = BY_NAME[name]
    if name == "topics":
        page, _ = place("topic", data["id"])
        if path[0] == "sections":
            section = data["sections"][path[1]]
            return Citation(page, section["id"], f"{data['title']}: {section['title']}")
        if path[0] == "perspectives":
            return Citation(page, PERSPECTIVES, f"{data['title']}: perspectives")
        return Citation(page, "", data["title"])
    if name == "visit":
        if path[0] in ("tour", "itinerary"):
            item = data[path[0]][path[1]]
            kind = "stop" if path[0] == "tour" else "event"
            label = item.get("title") or f"{item['place']} ({item['start']})"
            return Citation(*place(kind, item["id"]), f"The visit: {label}")
        return Citation(*place("visit"), "Home: at a glance")
    title = data.get("title") or data.get("name") or data.get("term") or data.get("claim", "")
    label = f"{name.capitalize()}: {title}" if len(title) < 90 else f"{name.capitalize()}: {title[:87]}..."
    return Citation(*place(collection.kind, data["id"]), label)
