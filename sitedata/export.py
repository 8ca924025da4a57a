"""Export stage: the site model in, open data files out (written after the HTML build).

    api/v1/index.json              {"collections": [{"name", "data", "schema", "count"}, ...]}
    api/v1/<name>.json             {"schema_version", "generated_at", "collection", "items": [...]}
    api/v1/<name>.schema.json      the JSON Schema of that file (the editors' schema, bundled)
    feed.xml                       Atom: every outcome update, newest first (at the site root:
                                   Material fetches sitemap.xml beside every rel=alternate link)
    feeds/outcome-<id>.xml         Atom: one outcome's updates
    corrections.xml                Atom: every correction, newest first
    changes.xml                    Atom: the change log (outcome updates, corrections, new records)

Items are the records exactly as editors wrote them (ids and source ids kept); nothing derived
is added to them, so each file's items validate against the same schema the editors' YAML does.
What the build works out about records as a whole (when each last changed, from git) sits
beside the items, in `last_changed`, with `history` saying whether the dates could be read.
"""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from .enrich import OutcomeView, Site, correction_target
from .registry import COLLECTIONS, Collection, absolute, feed_file, place
from .render import human_date, plain_text
from .schema import Schemas

SCHEMA_VERSION = "1.1.0"  # fields are only ever added in v1; see the changelog in docs/data.md
CHANGES_IN_FEED = 100  # the change log's feed carries its newest entries


def write_all(site: Site, site_dir: Path, site_url: str, generated_at: str) -> list[Path]:
    """Write every export under site_dir; return the paths written."""
    written = write_api(site, Path(site_dir) / "api" / "v1", generated_at)
    written += write_feeds(site, Path(site_dir), site_url)
    return written


def collection_items(site: Site, collection: Collection) -> list | dict:
    records = [r.data for r in site.records.get(collection.name, [])]
    if collection.layout == "single":
        return records[0] if records else {}
    return sorted(records, key=lambda r: r["id"]) if collection.is_dir else records


def export_schema(collection: Collection, schemas: Schemas) -> dict:
    """The schema of api/v1/<name>.json: an envelope around the editors' record schema."""
    record = copy.deepcopy(schemas.bundled(collection.schema))  # the cached one stays untouched
    defs = record.pop("$defs", {})
    items = record if collection.layout == "single" else (
        record if record.get("type") == "array" else {"type": "array", "items": record})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{collection.name} (api/v1)",
        "description": record.get("description", ""),
        "type": "object",
        "required": ["schema_version", "generated_at", "collection", "items"],
        "properties": {
            "schema_version": {"type": "string", "pattern": r"^1\.[0-9]+\.[0-9]+$"},
            "generated_at": {"type": "string", "format": "date-time"},
            "collection": {"const": collection.name},
            "items": items,
            "history": {"type": "string", "description": "Empty when last_changed could be read "
                        "from the repository's git history; otherwise why it could not."},
            "last_changed": {"type": "object", "additionalProperties": {"type": "string",
                                                                        "format": "date"},
                             "description": "For each record id (the visit: its title), the "
                             "day its file, or its lines in a list file, last changed."},
        },
        "$defs": defs,
    }


def write_api(site: Site, out: Path, generated_at: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = []
    for collection in COLLECTIONS:
        items = collection_items(site, collection)
        changed = {record_id: dates.changed for (name, record_id), dates in site.dates.items()
                   if name == collection.name and dates.changed}
        document = {"schema_version": SCHEMA_VERSION, "generated_at": generated_at,
                    "collection": collection.name, "items": items,
                    "history": site.history.reason, "last_changed": dict(sorted(changed.items()))}
        written.append(_write_json(out / f"{collection.name}.json", document))
        written.append(_write_json(out / f"{collection.name}.schema.json",
                                   export_schema(collection, site.schemas)))
        index.append({"name": collection.name, "data": f"api/v1/{collection.name}.json",
                      "schema": f"api/v1/{collection.name}.schema.json",
                      "count": len(items) if isinstance(items, list) else 1})
    written.append(_write_json(out / "index.json", {"schema_version": SCHEMA_VERSION,
                                                    "generated_at": generated_at,
                                                    "collections": index}))
    return written


def _write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_feeds(site: Site, site_dir: Path, site_url: str) -> list[Path]:
    (site_dir / "feeds").mkdir(parents=True, exist_ok=True)
    written = [_outcome_feed(site, site.outcomes, site_dir, site_url, "feed.xml",
                             "Outcome updates: India–Japan after Motegi's January 2026 visit",
                             absolute(site_url, *place("outcome")))]
    for outcome in site.outcomes:
        written.append(_outcome_feed(site, [outcome], site_dir, site_url, feed_file(outcome.id),
                                     f"Outcome updates: {outcome.data['title']}",
                                     absolute(site_url, *place("outcome", outcome.id))))
    corrections = [Entry(absolute(site_url, *place("correction", c["id"])),
                         absolute(site_url, *place("correction", c["id"])),
                         f"Correction: {correction_target(site, c).label}", c["date"],
                         f"The site said: {plain_text(c['wrong'])} Corrected to: "
                         f"{plain_text(c['right'])} {_cited(site, c['sources'])}")
                   for c in site.corrections]
    written.append(_atom(site_dir, site_url, "corrections.xml", "Corrections: India–Japan "
                         "Explainer", absolute(site_url, *place("correction")), corrections,
                         "Every correction: what the site said, what is right, and the source."))
    changes = [Entry(f"{absolute(site_url, *place('change'))}#{c.kind}-{c.date}-{c.page}-{c.anchor}",
                     absolute(site_url, c.page, c.anchor), f"{c.label} ({c.kind})", c.date,
                     c.label) for c in site.changes[:CHANGES_IN_FEED]]
    written.append(_atom(site_dir, site_url, "changes.xml", "What changed: India–Japan "
                         "Explainer", absolute(site_url, *place("change")), changes,
                         "Outcome updates, corrections and new records, newest first."))
    return written


@dataclass(frozen=True)
class Entry:
    """One Atom entry."""

    id: str  # permanent
    link: str  # the page and anchor it is about
    title: str
    date: str
    summary: str


def _cited(site: Site, ids: list[str]) -> str:
    return "Sources: " + "; ".join(f"{site.sources[s]['publisher']}, {site.sources[s]['title']} "
                                   f"({site.sources[s]['url']})" for s in ids) + "."


def _outcome_feed(site: Site, outcomes: list[OutcomeView], site_dir: Path, site_url: str,
                  rel: str, title: str, page: str) -> Path:
    entries = []
    for outcome in outcomes:
        link = absolute(site_url, *place("outcome", outcome.id))
        for number, update in enumerate(outcome.data["updates"], start=1):
            status = site.vocabulary.label("status", update["status"])
            entries.append(Entry(f"{link}/update-{number}", link,
                                 f"{outcome.data['title']}: {status} "
                                 f"({human_date(update['date'])})", update["date"],
                                 f"{plain_text(update['summary'])} "
                                 f"{_cited(site, update['sources'])}"))
    return _atom(site_dir, site_url, rel, title, page, entries,
                 "Dated, sourced evidence on each deliverable; status shows what public evidence "
                 "shows, not what was promised.")


def _atom(site_dir: Path, site_url: str, rel: str, title: str, page: str,
          entries: list[Entry], subtitle: str) -> Path:
    """One Atom file at `rel` under site_dir, about the page at the URL `page`; entries newest
    first (ties in a stable order)."""
    entries = sorted(entries, key=lambda e: (e.date, e.id))
    feed = FeedGenerator()
    feed.id(absolute(site_url, rel))
    feed.title(title)
    feed.author({"name": "India–Japan Explainer editors"})
    feed.link(href=page, rel="alternate")
    feed.link(href=absolute(site_url, rel), rel="self")
    feed.language("en")
    feed.subtitle(subtitle)
    feed.updated(_instant(max((e.date for e in entries), default="2026-01-16")))
    for item in entries:  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.updated(_instant(item.date))
        entry.published(_instant(item.date))
        entry.summary(item.summary)
    path = site_dir / rel
    feed.atom_file(str(path), pretty=True)
    return path


def _instant(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
