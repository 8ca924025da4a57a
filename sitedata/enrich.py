"""Enrich stage: validated records in, a `Site` out, with derived fields kept apart from raw ones.

Raw values stay exactly as editors wrote them (they are what the JSON API publishes). Everything
computed here (an outcome's current status, days since its last evidence, whether it is overdue,
which pages cite each source, sort orders) lives on the view objects, never back in the records.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .clock import BuildTime
from .editions import N_, Catalog, Text, default_catalog, localize_records, use_scripts
from .history import History
from .records import Record, walk
from .registry import BY_NAME, PARTS, PERSPECTIVES, PLACES, pages, place, split_lists
from .schema import Schemas
from .vocabulary import Value, Vocabulary

# What the sources page and the change log call a record of each collection.
COLLECTION_LABELS = {"sources": N_("Sources"), "outcomes": N_("Outcomes"),
                     "topics": N_("Topics"), "timeline": N_("Timeline"), "people": N_("People"),
                     "glossary": N_("Glossary"), "terminology": N_("Terminology"),
                     "claims": N_("Claims")}


@dataclass(frozen=True)
class Citation:
    """One place on the site that cites a source."""

    page: str  # docs-relative page, e.g. outcomes.md
    anchor: str
    label: Markup  # each part in its own language (.striptags() for plain text)


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


@dataclass(frozen=True)
class Dates:
    """When a record was last verified (by an editor), added and last changed (from git)."""

    verified: str = ""
    added: str = ""
    changed: str = ""


CHANGE_KINDS = {"update": N_("Outcome update"), "correction": N_("Correction"),
                "new": N_("New record")}


@dataclass(frozen=True)
class Change:
    """One entry of the site's change log: an outcome update, a correction or a new record."""

    date: str
    kind: str  # "update", "correction" or "new"
    label: str
    page: str
    anchor: str


@dataclass
class Site:
    """The site as one edition shows it: `records` with each text in the edition's language,
    `raw` as editors wrote them (for the open data)."""

    today: datetime.date
    records: dict[str, list[Record]]
    vocabulary: Vocabulary
    schemas: Schemas
    catalog: Catalog = field(default_factory=default_catalog)
    catalogs: dict[str, Catalog] = field(default_factory=dict)  # by edition
    raw: dict[str, list[Record]] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    people: dict[str, dict] = field(default_factory=dict)
    glossary: list[dict] = field(default_factory=list)
    terminology: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    topics: dict[str, dict] = field(default_factory=dict)
    claims: list[dict] = field(default_factory=list)
    visit: dict = field(default_factory=dict)
    outcomes: list[OutcomeView] = field(default_factory=list)
    cited_by: dict[str, list[Citation]] = field(default_factory=dict)
    history: History = field(default_factory=History)
    built: BuildTime | None = None  # what the build is dated by (load_site sets it)
    corrections: list[dict] = field(default_factory=list)  # newest first
    searches: list[dict] = field(default_factory=list)  # newest first
    dates: dict[tuple[str, str], Dates] = field(default_factory=dict)  # (collection, id)
    changes: list[Change] = field(default_factory=list)  # newest first
    # Indexes, made once: the corrections of each (collection, record, part), the searches of
    # each (collection, record), newest first.
    corrected: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)
    searched: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    # Each list split over pages (registry.pages), by the kind of record it lists: its pages in
    # order, each with the ids of the records it lists (at most the registry's per_page); and
    # the page of each record not on its list's first.
    listings: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    moved: dict[tuple[str, str], str] = field(default_factory=dict)  # (page, anchor) -> page
    _by_id: dict[tuple[str, str], Record] = field(default_factory=dict, repr=False)

    def locate(self, page: str, fragment: str) -> str:
        """The page that shows an anchor of `page`: `page` itself, or the further page of a
        list split over several that holds it (registry.pages)."""
        return self.moved.get((page, fragment), page)

    def where(self, kind: str, record_id: str) -> tuple[str, str]:
        """The page and anchor where a record is shown: registry.place, on the page of its
        list that holds it."""
        page, fragment = place(kind, record_id)
        return self.locate(page, fragment), fragment

    def listed(self, kind: str, page: str) -> list[str]:
        """The ids of the records of `kind` that `page` lists, in the site's order of them:
        none when it is not one of their pages."""
        return dict(self.listings[kind]).get(page, [])

    def list_pages(self, page: str) -> list[str]:
        """Every page of the split list that `page` is one of, in order (the list of its kind
        that has the most, when one page lists several kinds); [page] when it is none."""
        for kinds in split_lists().values():
            longest = [p for p, _ids in max((self.listings[k] for k in kinds), key=len)]
            if page in longest:
                return longest
        return [page]

    def sources_on(self, page: str) -> list[dict]:
        """The sources listed on one of the sources' pages, in the order of `sources`."""
        return [self.sources[i] for i in self.listed("source", page)]

    def corrections_of(self, collection: str, record_id: str, part: str) -> list[dict]:
        """The corrections made to a record (or to one part of it), newest first."""
        return self.corrected.get((collection, record_id, part), [])

    def searches_of(self, collection: str, record_id: str) -> list[dict]:
        return self.searched.get((collection, record_id), [])

    def record(self, collection: str, record_id: str) -> Record:
        """A record by id (the visit, which has none, by ''), from an index made once."""
        if not self._by_id:
            self._by_id = {(name, r.id): r for name, rs in self.records.items() for r in rs}
        return self._by_id[(collection, record_id)]

    def data_files(self, name: str) -> list[str]:
        """The files behind a collection, for "edit this data" links."""
        return sorted({r.doc.path for r in self.records.get(name, [])})

    def file_of(self, name: str, record_id: str) -> str:
        try:
            return self.record(name, record_id).doc.path
        except KeyError:
            return BY_NAME[name].path

    @property
    def status_counts(self) -> Counter:
        return Counter(o.status.value for o in self.outcomes)

    @property
    def area_counts(self) -> Counter:
        return Counter(o.data["area"] for o in self.outcomes)


def enrich(raw: dict[str, list[Record]], vocabulary: Vocabulary, schemas: Schemas,
           today: datetime.date, history: History, catalog: Catalog | None = None) -> Site:
    """The site as `catalog`'s edition shows it (the default edition when None)."""
    catalog = catalog or default_catalog()
    use_scripts({value.value: value.script for value in vocabulary.lists["edition"].values()})
    records = localize_records(raw, catalog.edition, catalog.gettext("not yet translated"))
    vocabulary = vocabulary.localized(catalog.edition)
    site = Site(today=today, records=records, vocabulary=vocabulary, schemas=schemas,
                catalog=catalog, raw=raw, history=history)
    data = {name: [r.data for r in rs] for name, rs in records.items()}  # every collection
    site.sources = {s["id"]: s for s in sorted(data["sources"],
                                               key=lambda s: (s["publisher"], s["published"]))}
    site.people = {p["id"]: p for p in data["people"]}
    site.glossary = sorted(data["glossary"], key=lambda g: g["term"].casefold())
    site.terminology = data["terminology"]
    site.timeline = sorted(data["timeline"], key=lambda t: t["date"])
    site.topics = {t["id"]: t for t in data["topics"]}
    site.claims = data["claims"]
    (site.visit,) = data["visit"]
    site.outcomes = sorted((outcome_view(r, vocabulary, today) for r in records["outcomes"]),
                           key=lambda o: (o.data["announced"], o.data["title"]))
    site.cited_by = _citations(records, catalog)
    site.corrections = sorted(data["corrections"], key=lambda c: c["date"], reverse=True)
    site.searches = sorted(data["searches"], key=lambda s: s["date"], reverse=True)
    for c in site.corrections:
        key = (c["collection"], c.get("record", ""), c.get("part", ""))
        site.corrected.setdefault(key, []).append(c)
    for s in site.searches:
        site.searched.setdefault((s["collection"], s["record"]), []).append(s)
    site.dates = _dates(records, site.history)
    site.changes = _changes(site)
    site.listings = _listings(site)
    site.moved = {place(kind, rid): page for kind, split in site.listings.items()
                  for page, ids in split[1:] for rid in ids if PLACES[kind].prefix}
    return site


def _listings(site: Site) -> dict[str, list[tuple[str, list[str]]]]:
    """Each list that grows with the data, over as many pages as it needs (see _split). Which
    page a record is on goes by what no edition translates (ids, kinds, dates), so that it is
    the same in every edition; a log's (newest first) by date, oldest first."""
    kinds, name_kinds = list(site.vocabulary.kind), list(site.vocabulary.name_kind)

    def by(records, key=None):
        return [r["id"] for r in (sorted(records, key=key) if key else records)]

    def dated(records):
        return by(records, lambda r: (r["date"], r["id"]))

    changes = [str(n) for n in range(len(site.changes))]  # by place: they have no ids
    outcomes = [o.data for o in site.outcomes]
    return {
        "source": _split("source", by(site.sources.values()),
                         by(site.sources.values(), lambda s: (kinds.index(s["kind"]), s["id"]))),
        "outcome": _split("outcome", by(outcomes), by(outcomes, lambda o: (o["announced"], o["id"]))),
        "person": _split("person", by(site.people.values()), sorted(site.people)),
        "term": _split("term", by(site.glossary), sorted(g["id"] for g in site.glossary)),
        "name": _split("name", by(site.terminology),
                       by(site.terminology, lambda n: (name_kinds.index(n["kind"]), n["id"]))),
        "claim": _split("claim", by(site.claims)),  # in the report's order, as listed
        "milestone": _split("milestone", by(site.timeline), dated(site.timeline)),
        "correction": _split("correction", by(site.corrections), dated(site.corrections)),
        "search": _split("search", by(site.searches), dated(site.searches)),
        "change": _split("change", changes, changes[::-1]),  # newest first, as listed
    }


def _split(kind: str, shown: list[str], placed: list[str] | None = None
           ) -> list[tuple[str, list[str]]]:
    """A list too long for one page over several (registry.pages), each page with the ids of
    the records it lists, in the site's order of them (`shown`). They go on the pages in the
    order `placed` (by default `shown`): records added after one in that order do not move it.
    A log's newest ones are on its first page, the older ones on pages of their own that are
    full when made (registry.Place)."""
    placed = shown if placed is None else placed
    names = pages(kind, len(placed))
    size = PLACES[kind].per_page or len(placed)  # no per_page: all on one page (pages())
    chunks = [placed[i * size:(i + 1) * size] for i in range(len(names))]
    if PLACES[kind].newest_first:  # the first page (the newest) takes the rest
        chunks = [placed[(len(names) - 1) * size:]] + chunks[-2::-1]
    order = {rid: n for n, rid in enumerate(shown)}
    return [(page, sorted(chunks[n], key=order.__getitem__)) for n, page in enumerate(names)]


def _dates(records: dict[str, list[Record]], history: History) -> dict[tuple[str, str], Dates]:
    """Each record's dates; a list file's entries each by the lines they span."""
    dates = {}
    for name, recs in records.items():
        for i, record in enumerate(recs):
            verified = record.data.get("last_verified", record.data.get("accessed", ""))
            if record.collection.layout == "list":
                first = record.mark()[0]
                following = recs[i + 1] if i + 1 < len(recs) else None
                last = following.mark()[0] - 1 if following is not None and \
                    following.doc is record.doc else None  # to the end of the file
                added, changed = history.span(record.doc.path, first, last)
            else:
                added = history.added.get(record.doc.path, "")
                changed = history.changed.get(record.doc.path, "")
            dates[(name, record.id)] = Dates(verified, added, changed)
    return dates


def _changes(site: Site) -> list[Change]:
    """Outcome updates, corrections and new records, newest first."""
    _ = site.catalog.gettext
    changes = [Change(u["date"], "update",
                      label(_("%(title)s: %(part)s"), title=o.data["title"],
                            part=site.vocabulary.label("status", u["status"])),
                      *place("outcome", o.id))
               for o in site.outcomes for u in o.data["updates"]]
    changes += [Change(c["date"], "correction", correction_target(site, c).label,
                       *place("correction", c["id"])) for c in site.corrections]
    for name, recs in site.records.items():
        if name in ("corrections", "searches", "visit"):
            continue
        for record in recs:
            added = site.dates[(name, record.id)].added
            if added:
                citation = _place(name, record, (), site.catalog)
                changes.append(Change(added, "new", citation.label, citation.page,
                                      citation.anchor))
    return sorted(changes, key=lambda c: (c.date, c.kind, c.label), reverse=True)


def correction_target(site: Site, correction: dict) -> Citation:
    """Where the corrected record (or part) is shown, named as it is where it is cited."""
    collection = correction["collection"]
    record = site.record(collection, correction.get("record", ""))
    for key in PARTS.get(collection, ()):
        for i, item in enumerate(record.data[key]):
            if item["id"] == correction.get("part"):
                return _place(collection, record, (key, i), site.catalog)
    return _place(collection, record, (), site.catalog)


def outcome_view(record: Record, vocabulary: Vocabulary, today: datetime.date) -> OutcomeView:
    data = record.data
    latest = data["updates"][-1]
    since = latest["date"]
    for update in reversed(data["updates"][:-1]):  # the status holds since the update that set it
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


def _citations(records: dict[str, list[Record]], catalog: Catalog) -> dict[str, list[Citation]]:
    """For each source id, every page and anchor whose records cite it, in site order, each
    once (dict.fromkeys keeps the first of each in order, in time that grows with the list: a
    list searched before each addition grew with the square of a source's citations, a tenth of
    the build at 100x, where every copy of the data cites the real sources)."""
    cited: dict[str, list[Citation]] = {}
    for name, recs in records.items():
        for record in recs:
            for path, value in walk(record.data):
                # A quotation's government translation is cited in the edition it is shown in
                # (localize leaves its source as translation_source, "" when there is none).
                ids = value if path and path[-1] == "sources" and isinstance(value, list) else \
                    [value] if path and path[-1] in ("source", "translation_source") and \
                    isinstance(value, str) and value else []
                if not ids:
                    continue
                citation = _place(name, record, path, catalog)
                for source_id in ids:
                    cited.setdefault(source_id, []).append(citation)
    return {source_id: list(dict.fromkeys(places)) for source_id, places in cited.items()}


def label(message: str, **parts: object) -> Markup:
    """A label made of a (translated) message and parts that may each be in another language:
    a `Text` part is marked with its language, anything else is escaped."""
    return Markup(escape(message)) % parts


def _shorten(text: object, limit: int = 90) -> object:
    """A title cut to fit a list of places (at most `limit` characters), keeping its language."""
    if len(text) <= limit:
        return text
    short = str(text)[:limit - 3] + "..."
    return Text(short, text.lang, text.page, text.fallback) if isinstance(text, Text) else short


def _place(name: str, record: Record, path: tuple, catalog: Catalog) -> Citation:
    """Where a cited value is shown: its page, anchor and a label for the sources page, in the
    catalog's edition's language."""
    _ = catalog.gettext
    data = record.data
    collection = BY_NAME[name]
    if name == "topics":
        page, _anchor = place("topic", data["id"])
        if path[:1] == ("sections",):
            section = data["sections"][path[1]]
            return Citation(page, section["id"], label(_("%(title)s: %(part)s"),
                                                       title=data["title"], part=section["title"]))
        if path[:1] == ("perspectives",):
            return Citation(page, PERSPECTIVES,
                            label(_("%(title)s: perspectives"), title=data["title"]))
        return Citation(page, "", label("%(title)s", title=data["title"]))
    if name == "visit":
        if path[:1] in (("tour",), ("itinerary",)):
            item = data[path[0]][path[1]]
            kind = "stop" if path[0] == "tour" else "event"
            part = item.get("title") or label(_("%(place)s (%(date)s)"), place=item["place"],
                                              date=catalog.date(item["start"]))
            return Citation(*place(kind, item["id"]), label(_("The visit: %(label)s"), label=part))
        return Citation(*place("visit"), label(_("Home: at a glance")))
    if name == "corrections":
        return Citation(*place(collection.kind, data["id"]),
                        label(_("Corrections: %(date)s"), date=catalog.date(data["date"])))
    if name == "searches":
        return Citation(*place(collection.kind, data["id"]),
                        label(_("Search log: %(date)s"), date=catalog.date(data["date"])))
    title = (data.get("title") or data.get("name") or data.get("term") or data.get("claim")
             or _first_name(data, catalog.edition))
    return Citation(*place(collection.kind, data["id"]),
                    label(_("%(title)s: %(part)s"), title=_(COLLECTION_LABELS[name]),
                          part=_shorten(title)))


def _first_name(data: dict, edition: str) -> str:
    """A terminology entry's full name in the edition's language (its schema requires names
    in every edition's)."""
    return data["names"][edition][0]
