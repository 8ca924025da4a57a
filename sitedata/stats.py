"""Editorial counts: an enriched `Site` in, the figures the editorial targets are measured by out.

`measure(site)` returns rows of (figure, value, target, met?); `stats_table` prints them for
`make stats`. Every figure is counted from the data, never typed in; a target of None is a
figure shown for information only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from .enrich import Site
from .records import walk


@dataclass(frozen=True)
class Figure:
    name: str
    value: int
    target: int | None = None  # the value must be at least this

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target


def _is_deep(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and (parts.path.strip("/") != "" or bool(parts.query))


def measure(site: Site) -> list[Figure]:
    sources = list(site.sources.values())
    kinds = Counter(s["kind"] for s in sources)
    chinese_own = [s for s in sources if s["country"] == "china"]
    cited = {sid for sid, places in site.cited_by.items() if places}
    outcomes = site.outcomes
    checked_2026 = [o for o in outcomes if o.data["last_checked"].startswith("2026")]
    claims = Counter(c["verdict"] for c in site.claims)
    years = sorted(t["date"][:4] for t in site.timeline)
    perspectives = {(t["id"], p["holder"]) for t in site.topics.values()
                    for p in t["perspectives"]}
    statements = sum(1 for records in site.records.values() for record in records
                     for path, _ in walk(record.data) if path and path[-1] == "sources")
    figures = [
        Figure("sources", len(sources), 40),
        Figure("sources: official government pages", kinds["official"], 12),
        Figure("sources: China's own government or state media", len(chinese_own), 2),
        *(Figure(f"sources: {kind.label.lower()}", kinds[kind.value])
          for kind in site.vocabulary.kind.values() if kind.value != "official"),
        Figure("sources: https deep links", sum(_is_deep(s["url"]) for s in sources),
               len(sources)),
        Figure("sources cited somewhere on the site", len(cited & set(site.sources)),
               len(sources)),
        Figure("sourced statements (records and parts of records citing sources)", statements),
        Figure("outcomes", len(outcomes)),
        Figure("outcomes with last_checked in 2026", len(checked_2026), len(outcomes)),
        Figure("outcome updates logged", sum(len(o.data["updates"]) for o in outcomes)),
        Figure("itinerary events in India", len(site.visit.get("itinerary", []))),
        Figure("tour stops", len(site.visit.get("tour", []))),
        Figure("timeline milestones", len(site.timeline)),
        Figure("timeline milestones from 2000 or earlier", sum(y <= "2000" for y in years), 1),
        Figure("perspectives (topic, government)", len(perspectives)),
        Figure("claims checked", len(site.claims)),
        *(Figure(f"claims: {verdict}", claims[verdict])
          for verdict in site.vocabulary.values("verdict")),
        Figure("people", len(site.people)),
        Figure("glossary terms", len(site.glossary)),
    ]
    return figures


def stats_table(site: Site) -> str:
    figures = measure(site)
    width = max(len(f.name) for f in figures)
    lines = [f"{'figure'.ljust(width)}  {'value':>6}  {'target':>7}  met",
             f"{'-' * width}  {'-' * 6}  {'-' * 7}  ---"]
    for f in figures:
        target = f">= {f.target}" if f.target is not None else ""
        met = {True: "yes", False: "NO", None: ""}[f.met]
        lines.append(f"{f.name.ljust(width)}  {f.value:>6}  {target:>7}  {met}")
    missed = [f.name for f in figures if f.met is False]
    lines.append("")
    lines.append("all targets met" if not missed else f"targets missed: {'; '.join(missed)}")
    return "\n".join(lines)
