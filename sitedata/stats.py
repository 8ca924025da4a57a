"""Editorial counts: an enriched `Site` in, the figures the editorial targets are measured by out.

`measure(site)` returns rows of (figure, value, target, met?); `stats_table` prints them for
`make stats`. Every figure is counted from the data, never typed in; a target of None is a
figure shown for information only.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from .editions import is_local
from .enrich import Site
from .records import walk

LOGS = ("sources", "corrections", "searches")  # collections that are not statements of record
FRESH_DAYS = 365  # a record verified longer ago than this is due for another check


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
    statements = [value["sources"] for records in site.records.values() for record in records
                  for _, value in walk(record.data)
                  if isinstance(value, dict) and isinstance(value.get("sources"), list)]
    originals = [ids for ids in statements
                 if any("rerun_of" not in site.sources[s] for s in ids)]
    records = [r for name, rs in site.records.items() if name not in LOGS for r in rs]
    verified = [r for r in records if r.data.get("last_verified")]
    recent = [r for r in verified
              if (site.today - datetime.date.fromisoformat(r.data["last_verified"])).days
              <= FRESH_DAYS]
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
        Figure("sourced statements (records and parts of records citing sources)",
               len(statements)),
        Figure("statements resting on an official or original-publisher source (%)",
               round(100 * len(originals) / max(len(statements), 1))),
        Figure("statements resting only on copies (re-runs of another's report)",
               len(statements) - len(originals)),
        Figure("records verified against their sources (last_verified set)", len(verified),
               len(records)),
        Figure(f"records verified in the last {FRESH_DAYS} days", len(recent), len(records)),
        Figure("corrections logged", len(site.corrections)),
        Figure("searches logged", len(site.searches)),
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
        Figure("terminology entries (names in each edition's language)", len(site.terminology)),
        *_coverage(site),
    ]
    return figures


def _coverage(site: Site) -> list[Figure]:
    """For each edition but the default: records fully translated into it (the target: all),
    and the share of texts that have its version."""
    raw = [r for rs in site.raw.values() for r in rs]
    texts = [value for r in raw for path, value in walk(r.data) if is_local(value, path)]
    figures = []
    for edition in site.vocabulary.editions[1:]:
        done = [r for r in raw if edition not in r.data.get("untranslated", [])]
        figures += [
            Figure(f"records translated into {edition}", len(done), len(raw)),
            Figure(f"texts with their {edition} version (%)",
                   round(100 * sum(edition in t for t in texts) / max(len(texts), 1))),
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
