"""The macros pages call: each prepares values in Python, then renders one template.

A `Views` object lives for one build. `start_page` resets the per-page citation numbering;
`end_page` returns what every page gets appended (its reference list and the glossary's
abbreviations). Filtering, sorting and every choice of what to show happen here; templates only
loop over the prepared values and write the markup. Macros that return Markdown (headings for
the table of contents) say so in their docstring.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

from markupsafe import Markup

from . import visuals
from .editions import N_, Text
from .enrich import CHANGE_KINDS, OutcomeView, Site, correction_target
from .export import versions
from .fields import field_table
from .registry import (
    BY_NAME,
    COLLECTIONS,
    MOST_SHOWN,
    PERSPECTIVES,
    PLACES,
    anchor,
    feed_file,
    href,
    split_lists,
)
from .render import Citations, Renderer, Terms

WORDING_SIDES = ("india", "japan")  # the governments whose own wording an outcome records
# What the pager of each split list (by its first page) calls that list's pages.
_LIST_NAMES = {"sources.md": N_("Pages of the source list"),
               "outcomes.md": N_("Pages of the outcomes"),
               "people.md": N_("Pages of the list of people"),
               "glossary.md": N_("Pages of the glossary"),
               "claims.md": N_("Pages of the claims check"),
               "corrections.md": N_("Pages of the corrections"),
               "searches.md": N_("Pages of the search log"),
               "changes.md": N_("Pages of the change log"),
               "timeline.md": N_("Pages of the timeline")}
# The pager's links: to the first, previous, next and last page; a log's, newest first.
_STEPS = (N_("First"), N_("Previous"), N_("Next"), N_("Last"))
_LOG_STEPS = (N_("Newest"), N_("Newer"), N_("Older"), N_("Oldest"))


def _period(year: int, _) -> tuple[str, str]:
    """The timeline heading a year falls under, and its anchor."""
    if year >= 2020:
        return str(year), f"y{year}"
    if year >= 2000:
        decade = year - year % 10
        return f"{decade}–{decade + 9}", f"y{decade}s"
    return _("Before 2000"), "before-2000"


def _shown(items: list) -> tuple[list, int]:
    """What a list given in passing shows (registry.MOST_SHOWN): its first items, and how many
    more there are."""
    return items[:MOST_SHOWN], max(0, len(items) - MOST_SHOWN)


class Views:
    def __init__(self, site: Site, repo_url: str, root: Path, branch: str = "main"):
        self.site = site
        self.vocab = site.vocabulary
        self.root = root
        self.repo_url = repo_url.rstrip("/")
        self.branch = branch
        self.catalog = site.catalog
        self._ = site.catalog.gettext
        # From this edition's root to the site's (the default edition's), where the API is.
        self.to_root = "" if site.catalog.edition == site.vocabulary.editions[0] else "../"
        self.terms = Terms(site.glossary)
        self.renderer = Renderer(self.terms, site.catalog)
        self.page = "index.md"
        self.prose = ""
        self.citations = Citations(site.sources, site.catalog)
        self.renderer.env.globals.update(
            cite=self.cite_marks, link=self.link, anchor=anchor, page_link=self.url,
            record_meta=self.record_meta,
            vocab=self.vocab, speakers={pid: p["name"] for pid, p in site.people.items()},
            sources=site.sources,
            outcomes={o.id: o for o in site.outcomes},
            term_names={g["id"]: g["term"] for g in site.glossary})

    # -- page lifecycle ------------------------------------------------------------------------

    def start_page(self, src_path: str, prose: str = "") -> None:
        """Begin a page; `prose`: its Markdown as written, whose glossary terms it defines."""
        self.page = src_path
        self.prose = prose
        self.citations = Citations(self.site.sources, self.catalog)
        self.renderer.blocks = []

    def end_page(self) -> str:
        """Markdown appended to every page: its references, then the glossary abbreviations."""
        return self.renderer.render_markdown(
            "end_page.md", references=self.citations.entries(),
            abbreviations=self.terms.definitions(self.prose))

    def url(self, page: str, fragment: str = "") -> str:
        """A link from the current page to another page (and anchor), or to a built file; to
        the further page that holds the anchor, where a list is split over several."""
        return href(self.page, self.site.locate(page, fragment), fragment)

    def link(self, kind: str, record_id: str) -> str:
        """A link from the current page to where a record of `kind` is shown (Site.where)."""
        return href(self.page, *self.site.where(kind, record_id))

    def edit_url(self, path: str) -> str:
        return f"{self.repo_url}/edit/{self.branch}/{path}"

    def render(self, template: str, **values) -> Markup:
        """HTML for a place inside a line or inside another template."""
        return self.renderer.render(template, **values)

    def block(self, template: str, **values) -> Markup:
        """HTML for a block of its own in the page (a macro on a line of its own)."""
        return self.renderer.block(template, **values)

    def macros(self) -> dict:
        names = ("cite", "overview", "significance", "key_facts", "tour_map", "tour_table",
                 "visit_meta", "corrections_list", "changes_list", "searches_list",
                 "history_note",
                 "itinerary", "people_met", "outcome_overview", "outcome_sections",
                 "definitions", "topic_page", "timeline_graphic", "timeline_list",
                 "people_list", "glossary_list", "terminology_list", "source_sections", "source_counts",
                 "pager",
                 "claims_check", "since_report", "field_reference", "api_collections",
                 "edit_data", "feed_link", "site_file")
        return {name: getattr(self, name) for name in names}

    # -- macros: shared --------------------------------------------------------------------------

    def cite_marks(self, ids: list[str]) -> Markup:
        """Citation marks for a statement; a statement resting only on re-runs of another
        publisher's report says that only copies were found."""
        copies_only = all("rerun_of" in self.site.sources[i] for i in ids)
        return self.renderer.cite(self.citations.cite(list(ids)),
                                  self.url("about.md", "copies") if copies_only else "")

    def cite(self, *ids: str) -> Markup:
        """A citation for prose written in a page: {{ cite('source-id') }}."""
        unknown = [i for i in ids if i not in self.site.sources]
        if unknown:
            raise KeyError(f"{self.page}: cite() names unknown source id(s): {', '.join(unknown)}")
        return self.cite_marks(list(ids))

    def edit_data(self, *collections: str) -> Markup:
        """'Edit this data' links to the YAML behind a page: each file of a one-file collection,
        the folder of a one-file-per-record collection."""
        links = []
        for name in collections:
            if BY_NAME[name].is_dir:
                path = BY_NAME[name].path
                links.append((f"{self.repo_url}/tree/{self.branch}/{path}", path))
            else:
                links += [(self.edit_url(path), path) for path in self.site.data_files(name)]
        return self.block("edit_data.html", links=links)

    def site_file(self, path: str, label: str = "") -> Markup:
        """A link to a file the build writes outside docs/: the edition's feeds, or the API,
        which is at the site's root whatever the edition."""
        url = self.url(self.to_root + path if path.startswith("api/") else path)
        return self.render("file_link.html", url=url, path=path, label=label)

    def feed_link(self, path: str = "feed.xml", label: str = "") -> Markup:
        """A link to an Atom feed; `label`, given in a page, is in that page's language."""
        label = label or self._("Subscribe to outcome updates (Atom feed)")
        return self.render("feed_link.html", url=self.url(path), label=label)

    def record_meta(self, collection: str, record_id: str = "", part: str = "") -> Markup:
        """When a record was last verified and last changed, and its corrections, if any; for
        a part of a record (an itinerary event, a topic section), its corrections only."""
        _, date = self._, self.catalog.date
        items = []
        dates = self.site.dates.get((collection, record_id)) if not part else None
        if dates and dates.verified:
            read = _("Last read %(date)s") if collection == "sources" else \
                _("Last verified %(date)s")
            items.append({"text": read % {"date": date(dates.verified)}, "url": ""})
        if dates and dates.changed:
            items.append({"text": _("last changed %(date)s") % {"date": date(dates.changed)},
                          "url": ""})
        corrections, more = _shown(self.site.corrections_of(collection, record_id, part))
        items += [{"text": _("Corrected on %(date)s") % {"date": date(c["date"])},
                   "url": self.link("correction", c["id"])}
                  for c in corrections]  # newest first
        if more:
            items.append({"text": self.catalog.ngettext(
                "and %(num)s earlier correction", "and %(num)s earlier corrections", more)
                % {"num": more}, "url": self.url(PLACES["correction"].page)})
        return self.renderer.record_meta(items)

    def visit_meta(self) -> Markup:
        return self.record_meta("visit")

    def history_note(self) -> Markup:
        """Says why no "last changed" dates are shown, when the build had no history."""
        return self.block("history_note.html", reason=self.site.history.reason)

    def corrections_list(self) -> Markup:
        """The corrections this page of them lists, newest first, each linked to what it
        corrected."""
        entries = []
        for c in self._listed("correction", self.site.corrections):
            target = correction_target(self.site, c)
            entries.append({**c, "label": target.label,
                            "url": self.url(target.page, target.anchor)})
        return self.block("corrections.html", corrections=entries)

    def changes_list(self) -> str:
        """Markdown: this page of the change log, newest first, a heading per month."""
        months: dict[str, list[dict]] = {}
        for change in [self.site.changes[int(n)] for n in self._ids("change")]:
            months.setdefault(change.date[:7], []).append(
                {"change": change, "url": self.url(change.page, change.anchor)})
        return self.renderer.render_markdown(
            "changes.md", kinds={kind: self._(label) for kind, label in CHANGE_KINDS.items()},
            months=[{"title": self.catalog.date(m), "anchor": f"m{m}", "changes": cs}
                    for m, cs in months.items()])

    def searches_list(self) -> Markup:
        entries = [{**s, "subject": self._subject(s),
                    "languages_shown": [self.vocab.language[code] for code in s["languages"]]}
                   for s in self._listed("search", self.site.searches)]
        return self.block("searches.html", searches=entries)

    def _subject(self, search: dict) -> dict:
        record = self.site.record(search["collection"], search["record"])
        kind = BY_NAME[search["collection"]].kind
        return {"title": record.data["title"], "url": self.link(kind, record.id)}

    def definitions(self, name: str) -> Markup:
        """The values of one vocabulary list with their meanings, e.g. {{ definitions('status') }}."""
        return self.block("definitions.html", name=name, values=self.vocab.lists[name].values())

    # -- macros: home and visit ----------------------------------------------------------------

    def overview(self) -> Markup:
        return self.block("points.html", points=self.site.visit["overview"])

    def significance(self) -> Markup:
        return self.block("points.html", points=self.site.visit["significance"])

    def key_facts(self) -> Markup:
        site, visit = self.site, self.site.visit
        visitor = site.people[visit["visitor"]]
        india = next((s for s in visit["tour"] if s["country"] == "india"), visit["tour"][0])
        days = (datetime.date.fromisoformat(visit["end"])
                - datetime.date.fromisoformat(visit["start"])).days + 1
        counts = site.status_counts
        statuses = [(counts[s.value], s) for s in self.vocab.status.values() if counts[s.value]]
        return self.block(
            "key_facts.html", visitor=visitor, role=visitor["roles"][0]["title"], visit=visit,
            days=days, place=india["place"], place_sources=india["sources"],
            tour=[self.vocab.country[s["country"]] for s in visit["tour"]],
            events=len(visit["itinerary"]), outcomes=len(site.outcomes), statuses=statuses,
            sources=len(site.sources))

    def tour_stops(self) -> list[dict]:
        stops = []
        for stop in self.site.visit["tour"]:
            dates = self.catalog.date(stop["start"])
            if stop.get("end") and stop["end"] != stop["start"]:
                dates = self._("%(start)s to %(end)s") % {
                    "start": dates, "end": self.catalog.date(stop["end"])}
            stops.append({**stop, "dates": dates, "country": self.vocab.country[stop["country"]],
                          "is_india": stop["country"] == "india"})
        return stops

    def tour_table(self) -> Markup:
        tour = self.site.visit["tour"]
        first, last = tour[0]["start"], tour[-1].get("end", tour[-1]["start"])
        total = (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days + 1
        return self.block("tour.html", stops=self.tour_stops(), first=first, last=last,
                           total_days=total)

    def tour_map(self) -> Markup:
        return self.block("tour_map.html", **visuals.tour_map(self.tour_stops(),
                                                               self.root / visuals.ATLAS))

    def itinerary(self) -> str:
        """Markdown: a heading per day, then that day's events (each with its own heading)."""
        days: dict[str, dict] = {}
        for event in self.site.visit["itinerary"]:
            day = days.setdefault(event["date"], {
                "date": event["date"], "anchor": anchor("day", event["date"]), "events": []})
            day["events"].append({**event, "people": [self.site.people[p]
                                                      for p in event["participants"]]})
        return self.renderer.render_markdown("itinerary.md", days=list(days.values()))

    def people_met(self) -> Markup:
        visitor = self.site.visit["visitor"]
        met = []
        for event in self.site.visit["itinerary"]:
            met += [p for p in event["participants"] if p != visitor and p not in met]
        return self.block("people.html", people=[self.site.people[p] for p in met])

    # -- macros: outcomes ------------------------------------------------------------------------

    def outcome_overview(self) -> Markup:
        """How many outcomes have each status and area (of them all), and a row for each one
        this page of them lists."""
        counts = self.site.status_counts
        areas = sorted(self.site.area_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return self.block("outcome_overview.html", outcomes=self._listed_outcomes(),
                           statuses=[(s, counts[s.value]) for s in self.vocab.status.values()],
                           areas=[(self.vocab.area[a], n) for a, n in areas],
                           today=self.site.today.isoformat())

    def outcome_sections(self) -> str:
        """Markdown: one section per outcome, with its wording, deadline, status and log, and
        the searches made for evidence of it: the newest MOST_SHOWN, and how many before."""
        sections, search_log = [], self.url(PLACES["search"].page)
        for o in self._listed_outcomes():
            searches, earlier = _shown(self.site.searches_of("outcomes", o.id))  # newest first
            sections.append({
                "o": o, "area": self.vocab.area[o.data["area"]], "wording": self._wording(o),
                "edit_url": self.edit_url(o.record.doc.path),
                "feed_url": self.url(feed_file(o.id)),
                "searches": [{"date": s["date"], "found": "found" in s,
                              "url": self.link("search", s["id"])}
                             for s in searches],
                "earlier_searches": earlier, "search_log": search_log})
        return self.renderer.render_markdown("outcome_sections.md", sections=sections)

    def _listed_outcomes(self) -> list[OutcomeView]:
        return self._listed("outcome", self.site.outcomes, key=lambda o: o.id)

    def _wording(self, outcome: OutcomeView) -> list[dict]:
        """Each government's own wording, or, when only one side has any, a note that the
        other has none; nothing when neither does."""
        wording = outcome.data.get("wording", {})
        if not wording:
            return []
        return [{"side": self.vocab.country[side], "missing": side not in wording,
                 **wording.get(side, {})} for side in WORDING_SIDES]

    # -- macros: topics and timeline -------------------------------------------------------------

    def topic_page(self, topic_id: str) -> str:
        """Markdown: a topic's summary, its sections, and each government's perspective."""
        topic = self.site.topics.get(topic_id)
        if topic is None:
            raise KeyError(f"{self.page}: no topic '{topic_id}' in data/topics/")
        order = {c: i for i, c in enumerate(self.vocab.country)}
        holders: dict[str, list[dict]] = {}
        for view in sorted(topic["perspectives"], key=lambda v: order[v["holder"]]):
            holders.setdefault(view["holder"], []).append(view)
        groups = [{"country": self.vocab.country[h], "anchor": f"view-{h}", "views": views}
                  for h, views in holders.items()]
        return self.renderer.render_markdown(
            "topic.md", topic=topic, groups=groups, perspectives_anchor=PERSPECTIVES,
            edit_url=self.edit_url(self.site.file_of("topics", topic_id)),
            path=self.site.file_of("topics", topic_id))

    def timeline_items(self) -> list[dict]:
        """The milestones this page of the timeline lists, oldest first."""
        today = self.site.today.isoformat()
        items = []
        for item in self._listed("milestone", self.site.timeline):
            tags = [self.vocab.tag[t] for t in item["tags"]]
            ordered = sorted(tags, key=list(self.vocab.tag.values()).index)
            marker = next((t.marker for t in ordered if t.marker), "other")
            items.append({**item, "planned": item["date"] > today[:len(item["date"])],
                          "tag_values": tags, "marker": marker})
        return items

    def timeline_graphic(self) -> Markup:
        markers = [t for t in self.vocab.tag.values() if t.marker]
        return self.block("timeline_graphic.html", markers=markers,
                           **visuals.timeline_svg(self.timeline_items()))

    def timeline_list(self) -> str:
        """Markdown: the milestones newest first, under a heading per period (each year from
        2020, each decade before, one "Before 2000"), so the table of contents can jump."""
        groups: dict[tuple[str, str], list[dict]] = {}
        for item in reversed(self.timeline_items()):
            groups.setdefault(_period(int(item["date"][:4]), self._), []).append(item)
        return self.renderer.render_markdown(
            "timeline.md", groups=[{"title": t, "anchor": a, "milestones": items}
                                   for (t, a), items in groups.items()])

    # -- macros: reference pages -----------------------------------------------------------------

    def people_list(self) -> Markup:
        people = sorted(self._listed("person", self.site.people.values()),
                        key=lambda p: (p["country"], p["name"]))
        return self.block("people.html", people=people)

    def glossary_list(self) -> Markup:
        """The terms this page of the glossary lists, in the glossary's order."""
        return self.block("glossary.html", terms=self._listed("term", self.site.glossary))

    def terminology_list(self) -> Markup:
        """The terminology list by kind of name, each edition's forms in its own language."""
        page = self.catalog.edition
        kinds = list(self.vocab.name_kind)
        entries = sorted(self._listed("name", self.site.terminology),
                         key=lambda e: (kinds.index(e["kind"]), e["names"]["en"][0].casefold()))
        rows = [{"id": e["id"], "kind": self.vocab.name_kind[e["kind"]], "note": e.get("note"),
                 "sources": e["sources"],
                 "names": [[Text(name, edition, page) for name in e["names"].get(edition, [])]
                           for edition in self.vocab.editions]}
                for e in entries]
        return self.block("terminology.html", rows=rows,
                           editions=[self.vocab.edition[ed] for ed in self.vocab.editions])

    def source_sections(self) -> str:
        """Markdown: the sources this page of them lists (registry.pages), a section per kind
        in the vocabulary's order, each source with the places on the site that cite it: the
        first MOST_SHOWN in site order, and how many more there are."""
        listed = self.site.sources_on(self.page)
        cited_by = {}
        for s in listed:
            places, more = _shown(self.site.cited_by.get(s["id"], []))
            cited_by[s["id"]] = ([{"url": self.url(c.page, c.anchor), "label": c.label}
                                  for c in places], more)
        groups = [(kind, sources) for kind in self.vocab.kind.values()
                  for sources in [[s for s in listed if s["kind"] == kind.value]] if sources]
        return self.renderer.render_markdown("source_sections.md", groups=groups,
                                             cited_by=cited_by)

    def pager(self, below: bool = False) -> Markup:
        """Where this page of a split list (registry.pages) is among them all, with links to
        the first, previous, next and last (a fixed number of links, however many pages there
        are); nothing when the list fits on one. `below`: the copy under the list."""
        pages = self.site.list_pages(self.page)
        if len(pages) < 2:
            return Markup("")
        number, last = pages.index(self.page), len(pages) - 1
        first = pages[0]
        kinds = split_lists()[first]
        log = PLACES[kinds[0]].newest_first
        words = [self._(word) for word in (_LOG_STEPS if log else _STEPS)]
        steps = [(words[0], "", 0, number >= 2),
                 (words[1], "prev", number - 1, number >= 1),
                 (words[2], "next", number + 1, number < last),
                 (words[3], "", last, number < last - 1)]
        links = [(text, rel, self.url(pages[n])) for text, rel, n, shown in steps if shown]
        return self.block("pager.html", links=links, below=below, list=_LIST_NAMES[first],
                          number=number + 1, count=len(pages), log=log,
                          **(self._range(kinds[0], number) if log or kinds == ("source",) else {}))

    def _ids(self, kind: str) -> list[str]:
        """The ids of the records of `kind` that this page lists: a list's macros are for its
        own pages (registry.pages), where the records of other pages are linked, not shown."""
        if self.site.list_pages(self.page)[0] != PLACES[kind].page:
            raise KeyError(f"{self.page}: records of the kind '{kind}' are listed on "
                           f"{PLACES[kind].page} (and its further pages) only")
        return self.site.listed(kind, self.page)

    def _listed(self, kind: str, records, key=lambda r: r["id"]) -> list:
        """Those of `records` (of `kind`, each known by `key`) that this page lists, in their
        order."""
        listed = set(self._ids(kind))
        return [r for r in records if key(r) in listed]

    def generated_pages(self) -> dict[str, str]:
        """The Markdown of each page that the data adds to those in docs/: the further pages
        of each split list (registry.pages), from its template (the first page's name with
        _page.md: sources_page.md for sources.md)."""
        generated = {}
        for first, kinds in split_lists().items():
            pages = self.site.list_pages(first)
            template = first.removesuffix(".md") + "_page.md"
            for number, page in enumerate(pages[1:], start=1):
                if PLACES[kinds[0]].newest_first:  # a log's older pages: by their own number
                    values = {"number": int(page.rsplit("/", 1)[1].removesuffix(".md"))}
                else:
                    values = {"number": number + 1, "count": len(pages),
                              "terminology": bool(self.site.listed("name", page))}
                if kinds == ("source",):
                    values.update(self._range("source", number))
                generated[page] = self.renderer.render_markdown(template, **values)
        return generated

    def _range(self, kind: str, number: int) -> dict:
        """Which of the records of `kind` its page `number` (from 0) lists, counted from the
        first page's first (a log's from its oldest, on its last page)."""
        sizes = [len(ids) for _page, ids in self.site.listings[kind]]
        first = sum(sizes[number + 1:] if PLACES[kind].newest_first else sizes[:number]) + 1
        return {"first": first, "last": first + sizes[number] - 1, "total": sum(sizes)}

    def source_counts(self) -> Markup:
        kinds = Counter(s["kind"] for s in self.site.sources.values())
        countries = Counter(s["country"] for s in self.site.sources.values())
        return self.block(
            "source_counts.html", total=len(self.site.sources),
            kinds=[(kinds[k.value], k) for k in self.vocab.kind.values()],
            countries=[(n, self.vocab.country[c]) for c, n in countries.most_common()])

    def since_report(self) -> Markup:
        """Where each outcome the report announced stands now, worked out from the outcome logs:
        the first MOST_SHOWN, and how many more there are, linked to the outcomes' page."""
        outcomes, more = _shown(self.site.outcomes)
        return self.block("since_report.html", outcomes=outcomes, more=more,
                          outcomes_page=self.url(PLACES["outcome"].page))

    def claims_check(self) -> Markup:
        """The claims this page of them lists, numbered on from the pages before; above them,
        how many of all the claims have each verdict."""
        claims = self._listed("claim", self.site.claims)
        number = self.site.list_pages(self.page).index(self.page)
        counts = Counter(c["verdict"] for c in self.site.claims)
        return self.block("claims.html", claims=claims,
                          start=self._range("claim", number)["first"],
                          verdict_counts=[(v, counts[v.value]) for v in self.vocab.verdict.values()
                                           if counts[v.value]])

    def field_reference(self, name: str) -> Markup:
        """The fields of one collection, generated from its schema (never written by hand)."""
        table = field_table(self.site.schemas.bundled(BY_NAME[name].schema))
        # The schemas are written in English; on another edition's page they say so (lang).
        page = self.catalog.edition
        table = {key: Text(value, "en", page) if isinstance(value, str) and value else value
                 for key, value in table.items()}
        table["fields"] = [{**f, "type": Text(f["type"], "en", page),
                            "description": Text(f["description"], "en", page)}
                           for f in table["fields"]]
        return self.block("fields.html", **table)

    def api_collections(self, version: str = "v2") -> Markup:
        folder = f"api/{version}"
        rows = [{"name": c.name, "count": len(self.site.records.get(c.name, [])),
                 "data": f"{folder}/{c.name}.json", "schema": f"{folder}/{c.name}.schema.json",
                 "data_url": self.url(f"{self.to_root}{folder}/{c.name}.json"),
                 "schema_url": self.url(f"{self.to_root}{folder}/{c.name}.schema.json"),
                 "path": c.path, "edit_url": f"{self.repo_url}/tree/{self.branch}/{c.path}"}
                for c in COLLECTIONS if version in versions(c, self.site.schemas.folder)]
        return self.block("api.html", collections=rows, folder=f"{folder}/")
