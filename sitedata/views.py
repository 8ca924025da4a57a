"""The macros pages call: each prepares values in Python, then renders one template.

A `Views` object lives for one build. `start_page` resets the per-page citation numbering;
`end_page` returns what every page gets appended (its reference list and the glossary's
abbreviations). Filtering and sorting happen here, never in templates or pages. Macros that
return Markdown (headings for the table of contents) say so in their docstring.
"""

from __future__ import annotations

import datetime
import posixpath
from collections import Counter
from pathlib import Path

from markupsafe import Markup

from . import visuals
from .collections import BY_NAME, COLLECTIONS, TOPIC_PAGES
from .enrich import Site
from .fields import field_table
from .markup import markdown_escape
from .render import Citations, Renderer, Terms, human_date
from .schema import enum_of

STATUS_ICONS = {"announced": "○", "in-progress": "◐", "delivered": "●", "stalled": "✕"}
STATUS_LABELS = {"announced": "Announced", "in-progress": "In progress", "delivered": "Delivered",
                 "stalled": "Stalled"}
AREA_LABELS = {"technology": "Technology", "economic-security": "Economic security",
               "defence-and-security": "Defence and security",
               "trade-and-investment": "Trade and investment",
               "people-and-culture": "People and culture", "diplomacy": "Diplomacy"}
VERDICT_LABELS = {"confirmed": "Confirmed", "differs": "Differs", "omitted-context":
                  "Omitted context", "unverified": "Unverified"}
COUNTRIES = {"india": "India", "japan": "Japan", "china": "China",
             "united-states": "United States", "australia": "Australia",
             "philippines": "Philippines", "israel": "Israel", "palestine": "Palestine",
             "qatar": "Qatar", "united-kingdom": "United Kingdom", "france": "France",
             "singapore": "Singapore", "south-africa": "South Africa",
             "international": "International"}
LANGUAGES = {"en": "English", "ja": "Japanese", "zh": "Chinese", "hi": "Hindi", "es": "Spanish"}
SIDE_LABELS = {"india": "India's wording", "japan": "Japan's wording"}
PERSPECTIVE_ORDER = ("india", "japan", "china", "united-states", "australia")


def _period(year: int) -> tuple[str, str]:
    """The timeline heading a year falls under, and its anchor."""
    if year >= 2020:
        return str(year), f"y{year}"
    if year >= 2000:
        decade = year - year % 10
        return f"{decade}–{decade + 9}", f"y{decade}s"
    return "Before 2000", "before-2000"


def page_url(src_path: str) -> str:
    """The URL MkDocs gives a page (directory URLs): visit.md → visit/, index.md → ''."""
    stem = src_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


class Views:
    def __init__(self, site: Site, repo_url: str, root: Path, branch: str = "main"):
        self.site = site
        self.root = root
        self.repo_url = repo_url.rstrip("/")
        self.branch = branch
        self.terms = Terms(site.glossary)
        self.renderer = Renderer(self.terms)
        self.page = "index.md"
        self.citations = Citations(site.sources, "")
        # Lookups every template may use; the same on every page, so made once.
        self.lookups = {
            "speakers": {pid: p["name"] for pid, p in site.people.items()},
            "outcome_views": {o.data["id"]: o for o in site.outcomes},
            "term_names": {g["id"]: g["term"] for g in site.glossary},
        }

    # -- page lifecycle ------------------------------------------------------------------------

    def start_page(self, src_path: str) -> None:
        self.page = src_path
        self.citations = Citations(self.site.sources, self.url("sources.md"))

    def end_page(self) -> str:
        """Markdown appended to every page: its references, then the glossary abbreviations."""
        parts = []
        if self.citations.numbers:
            parts.append("## References {#references}\n\n" + self.render(
                "references.html", entries=self.citations.entries(),
                sources_url=self.url("sources.md")))
        parts.append(self.terms.definitions())
        return "\n\n" + "\n\n".join(parts) + "\n"

    def url(self, page: str, anchor: str = "") -> str:
        """A link from the current page to another page (and anchor)."""
        here = page_url(self.page)
        target = page_url(page)
        if target == here:
            rel = ""
        else:
            rel = posixpath.relpath(target or ".", here or ".") + "/"
            rel = "./" if rel == "./" or rel == "./" else rel
        return rel + (f"#{anchor}" if anchor else "") or "./"

    def edit_url(self, path: str) -> str:
        return f"{self.repo_url}/edit/{self.branch}/{path}"

    def render(self, template: str, **values) -> Markup:
        return self.renderer.render(
            template, cite=self.citations.cite, people_url=self.url("people.md"),
            outcome_page=self.url("outcomes.md"), status_icons=STATUS_ICONS,
            status_labels=STATUS_LABELS, area_labels=AREA_LABELS, countries=COUNTRIES,
            languages=LANGUAGES, side_labels=SIDE_LABELS, **self.lookups, **values)

    def macros(self) -> dict:
        names = ("cite", "overview", "significance", "key_facts", "visit_summary", "tour_map",
                 "tour_table", "itinerary", "people_met", "outcome_overview", "outcome_sections",
                 "topic_page", "timeline_graphic", "timeline_list", "people_list",
                 "glossary_list", "source_list", "source_counts", "claims_check", "since_report",
                 "field_reference", "api_collections", "edit_data", "feed_link", "site_file")
        return {name: getattr(self, name) for name in names}

    # -- macros: shared --------------------------------------------------------------------------

    def cite(self, *ids: str) -> Markup:
        """A citation for prose written in a page: {{ cite('source-id') }}."""
        unknown = [i for i in ids if i not in self.site.sources]
        if unknown:
            raise KeyError(f"{self.page}: cite() names unknown source id(s): {', '.join(unknown)}")
        return self.citations.cite(list(ids))

    def edit_data(self, *collections: str) -> Markup:
        """'Edit this data' links to the YAML behind a page."""
        links = []
        for name in collections:
            files = self.site.data_files(name) if BY_NAME[name].layout != "dir" else \
                [BY_NAME[name].path]
            for path in files:
                url = self.edit_url(path) if path.endswith(".yaml") else \
                    f"{self.repo_url}/tree/{self.branch}/{path}"
                links.append(Markup('<a href="%s"><code>%s</code></a>') % (url, path))
        return Markup('<p class="ij-edit-data">Edit this data: %s</p>') % Markup(", ").join(links)

    def site_file(self, path: str, label: str = "") -> Markup:
        """A link to a file the build writes outside docs/ (the API, the feeds)."""
        href = self.url("index.md") + path
        if label:
            return Markup('<a href="%s">%s</a>') % (href, label)
        return Markup('<a href="%s"><code>%s</code></a>') % (href, path)

    def feed_link(self) -> Markup:
        return Markup('<p class="ij-feed">%s</p>') % self.site_file(
            "feed.xml", "Subscribe to outcome updates (Atom feed)")

    # -- macros: home and visit ----------------------------------------------------------------

    def overview(self) -> Markup:
        return self.render("points.html", points=self.site.visit["overview"])

    def significance(self) -> Markup:
        return self.render("points.html", points=self.site.visit["significance"])

    def key_facts(self) -> Markup:
        site, visit = self.site, self.site.visit
        visitor = site.people[visit["visitor"]]
        india = next((s for s in visit["tour"] if s["country"] == "india"), visit["tour"][0])
        days = (datetime.date.fromisoformat(visit["end"])
                - datetime.date.fromisoformat(visit["start"])).days + 1
        status = site.status_counts
        facts = [
            {"label": "Visitor", "value": f"{visitor['name']}, {visitor['roles'][0]['title']}",
             "url": self.url("people.md", f"person-{visitor['id']}"), "sources": visitor["sources"]},
            {"label": "In India", "value": f"{human_date(visit['start'])} to "
             f"{human_date(visit['end'])} ({days} days), {india['place']}",
             "url": self.url("visit.md", "day-by-day"), "sources": india["sources"]},
            {"label": "Tour", "value": " → ".join(COUNTRIES[s["country"]] for s in visit["tour"]),
             "url": self.url("visit.md", "the-tour"), "sources": []},
            {"label": "Meetings and events in India", "value": str(len(visit["itinerary"])),
             "url": self.url("visit.md", "day-by-day"), "sources": []},
            {"label": "Outcomes tracked", "value": f"{len(site.outcomes)}: " + ", ".join(
                f"{status[s]} {STATUS_LABELS[s].lower()}" for s in STATUS_LABELS if status[s]),
             "url": self.url("outcomes.md"), "sources": []},
            {"label": "Sources cited", "value": str(len(site.sources)),
             "url": self.url("sources.md"), "sources": []},
        ]
        return self.render("key_facts.html", facts=facts)

    def visit_summary(self) -> Markup:
        return self.key_facts()

    def tour_stops(self) -> list[dict]:
        stops = []
        for stop in self.site.visit["tour"]:
            dates = human_date(stop["start"])
            if stop.get("end") and stop["end"] != stop["start"]:
                dates += f" to {human_date(stop['end'])}"
            stops.append({**stop, "dates": dates, "country_name": COUNTRIES[stop["country"]],
                          "is_india": stop["country"] == "india"})
        return stops

    def tour_table(self) -> Markup:
        tour = self.site.visit["tour"]
        first, last = tour[0]["start"], tour[-1].get("end", tour[-1]["start"])
        total = (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days + 1
        return self.render("tour.html", stops=self.tour_stops(), first=first, last=last,
                           total_days=total)

    def tour_map(self) -> Markup:
        return visuals.tour_map(self.tour_stops(), self.root / visuals.ATLAS)

    def itinerary(self) -> str:
        """Markdown: a heading per day, then that day's events (each with its own heading)."""
        out = []
        day = None
        for event in self.site.visit["itinerary"]:
            if event["date"] != day:
                day = event["date"]
                weekday = datetime.date.fromisoformat(day).strftime("%A")
                out.append(f"### {weekday} {human_date(day)} {{#day-{day}}}")
            out.append(f"#### {markdown_escape(event['title'])} {{#event-{event['id']}}}")
            participants = [self.site.people[p] for p in event["participants"]]
            out.append(self.render("event.html", event=event, participants=participants))
        return "\n\n".join(out)

    def people_met(self) -> Markup:
        visitor = self.site.visit["visitor"]
        met = []
        for event in self.site.visit["itinerary"]:
            met += [p for p in event["participants"] if p != visitor and p not in met]
        return self.render("people.html", people=[self.site.people[p] for p in met])

    # -- macros: outcomes ------------------------------------------------------------------------

    def outcome_overview(self) -> Markup:
        statuses = enum_of("outcome.schema.json", "updates", "[]", "status")
        areas = sorted(self.site.area_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return self.render("outcome_overview.html", outcomes=self.site.outcomes,
                           statuses=statuses, status_counts=self.site.status_counts,
                           area_counts=areas, today=self.site.today.isoformat())

    def outcome_sections(self) -> str:
        """Markdown: one section per outcome, with its wording, deadline, status and log."""
        out = []
        for o in self.site.outcomes:
            out.append(f"### {markdown_escape(o.data['title'])} {{#outcome-{o.data['id']}}}")
            out.append(self.render(
                "outcome.html", o=o, edit_url=self.edit_url(o.record.doc.path),
                feed_url=self.url("index.md") + f"feeds/outcome-{o.data['id']}.xml"))
        return "\n\n".join(out)

    # -- macros: topics and timeline -------------------------------------------------------------

    def topic_page(self, topic_id: str) -> str:
        """Markdown: a topic's summary, its sections, and each government's perspective."""
        topic = self.site.topics.get(topic_id)
        if topic is None:
            raise KeyError(f"{self.page}: no topic '{topic_id}' in data/topics/")
        out = [self.render("points.html", points=topic["summary"])]
        for section in topic["sections"]:
            out.append(f"## {markdown_escape(section['title'])} {{#{section['id']}}}")
            out.append(self.render("points.html", points=section["points"]))
        if topic["perspectives"]:
            out.append("## Perspectives {#perspectives}")
            out.append("Each government's position, in its own words or its own officials', "
                       "from its own published sources.")
            order = {h: i for i, h in enumerate(PERSPECTIVE_ORDER)}
            views = sorted(topic["perspectives"], key=lambda v: order.get(v["holder"], 99))
            for holder in dict.fromkeys(v["holder"] for v in views):
                out.append(f"### {COUNTRIES[holder]} {{#view-{holder}}}")
                out += [self.render("perspective.html", view=v) for v in views
                        if v["holder"] == holder]
        out.append(self.edit_data_file(self.site.file_of("topics", topic_id)))
        return "\n\n".join(str(part) for part in out)

    def edit_data_file(self, path: str) -> Markup:
        return Markup('<p class="ij-edit-data">Edit this data: <a href="%s"><code>%s</code></a>'
                      '</p>') % (self.edit_url(path), path)

    def timeline_items(self) -> list[dict]:
        today = self.site.today.isoformat()
        return [{**item, "planned": item["date"] > today[:len(item["date"])]}
                for item in self.site.timeline]

    def timeline_graphic(self) -> Markup:
        return visuals.timeline_svg(self.timeline_items())

    def timeline_list(self) -> str:
        """Markdown: the milestones newest first, under a heading per period (each year from
        2020, each decade before, one "Before 2000"), so the table of contents can jump."""
        groups: dict[tuple[str, str], list[dict]] = {}
        for item in reversed(self.timeline_items()):
            groups.setdefault(_period(int(item["date"][:4])), []).append(item)
        out = []
        for (title, anchor), items in groups.items():
            out.append(f"## {title} {{#{anchor}}}")
            out.append(self.render("timeline_list.html", items=items))
        return "\n\n".join(str(part) for part in out)

    # -- macros: reference pages -----------------------------------------------------------------

    def people_list(self) -> Markup:
        people = sorted(self.site.people.values(), key=lambda p: (p["country"], p["name"]))
        return self.render("people.html", people=people)

    def glossary_list(self) -> Markup:
        return self.render("glossary.html", terms=self.site.glossary)

    def source_list(self, kind: str) -> Markup:
        sources = [s for s in self.site.sources.values() if s["kind"] == kind]
        if not sources:
            return Markup('<p class="ij-muted">None yet.</p>')
        cited_by = {sid: [{"url": self.url(c.page, c.anchor), "label": c.label} for c in cites]
                    for sid, cites in self.site.cited_by.items()}
        return self.render("sources.html", sources=sources, cited_by=cited_by)

    def source_counts(self) -> str:
        kinds = Counter(s["kind"] for s in self.site.sources.values())
        countries = Counter(s["country"] for s in self.site.sources.values())
        by_kind = ", ".join(f"{kinds[k]} {k}" for k in enum_of("source.schema.json", "kind"))
        by_country = ", ".join(f"{COUNTRIES[c]} {n}" for c, n in countries.most_common())
        return (f"{len(self.site.sources)} sources: {by_kind}. By the publisher's country: "
                f"{by_country}.")

    def since_report(self) -> Markup:
        """Where each outcome the report announced stands now, worked out from the outcome logs."""
        return self.render("since_report.html", outcomes=self.site.outcomes,
                           outcomes_url=self.url("outcomes.md"))

    def claims_check(self) -> Markup:
        order = enum_of("claims.schema.json", "[]", "verdict")
        counts = Counter(c["verdict"] for c in self.site.claims)
        return self.render("claims.html", claims=self.site.claims,
                           verdict_counts=[(v, counts[v]) for v in order if counts[v]],
                           verdict_labels=VERDICT_LABELS)

    def field_reference(self, name: str) -> Markup:
        """The fields of one collection, generated from its schema (never written by hand)."""
        table = field_table(BY_NAME[name].schema)
        return self.render("fields.html", **table)

    def api_collections(self) -> Markup:
        root = self.url("index.md")
        rows = []
        for c in COLLECTIONS:
            rows.append({"name": c.name, "count": len(self.site.records.get(c.name, [])),
                         "data": f"api/v1/{c.name}.json", "schema": f"api/v1/{c.name}.schema.json",
                         "data_url": f"{root}api/v1/{c.name}.json",
                         "schema_url": f"{root}api/v1/{c.name}.schema.json", "path": c.path,
                         "edit_url": f"{self.repo_url}/tree/{self.branch}/{c.path}"})
        return self.render("api.html", collections=rows)


__all__ = ["Views", "page_url", "TOPIC_PAGES"]
