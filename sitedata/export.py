"""Export stage: the site model in, open data files out (written after the HTML build).

    api/v1/index.json              {"collections": [{"name", "data", "schema", "count"}, ...]}
    api/v1/<name>.json             {"schema_version", "generated_at", "collection", "items": [...]}
    api/v1/<name>.schema.json      the JSON Schema of that file (the editors' schema, bundled)
    feed.xml                       Atom: every outcome update, newest first (at the site root:
                                   Material fetches sitemap.xml beside every rel=alternate link)
    feeds/outcome-<id>.xml         Atom: one outcome's updates

Items are the records exactly as editors wrote them (ids and source ids kept); nothing derived
is added, so each file validates against the same schema the editors' YAML does.
"""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

from feedgen.feed import FeedGenerator

from .enrich import OutcomeView, Site
from .registry import COLLECTIONS, Collection, absolute, feed_file, place
from .render import human_date, plain_text
from .schema import Schemas

SCHEMA_VERSION = "1.0.0"  # fields are only ever added in v1; see docs/data.md


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
        },
        "$defs": defs,
    }


def write_api(site: Site, out: Path, generated_at: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = []
    for collection in COLLECTIONS:
        items = collection_items(site, collection)
        document = {"schema_version": SCHEMA_VERSION, "generated_at": generated_at,
                    "collection": collection.name, "items": items}
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
    written = [_feed(site, site.outcomes, site_dir, site_url, "feed.xml",
                     "Outcome updates: India–Japan after Motegi's January 2026 visit",
                     absolute(site_url, *place("outcome")))]
    for outcome in site.outcomes:
        written.append(_feed(site, [outcome], site_dir, site_url, feed_file(outcome.id),
                             f"Outcome updates: {outcome.data['title']}",
                             absolute(site_url, *place("outcome", outcome.id))))
    return written


def _feed(site: Site, outcomes: list[OutcomeView], site_dir: Path, site_url: str, rel: str,
          title: str, page: str) -> Path:
    """One Atom file at `rel` under site_dir, about the page at the URL `page`."""
    entries = [(o, i, u) for o in outcomes for i, u in enumerate(o.data["updates"], start=1)]
    entries.sort(key=lambda e: (e[2]["date"], e[0].id, e[1]))
    feed = FeedGenerator()
    feed.id(absolute(site_url, rel))
    feed.title(title)
    feed.author({"name": "India–Japan Explainer editors"})
    feed.link(href=page, rel="alternate")
    feed.link(href=absolute(site_url, rel), rel="self")
    feed.language("en")
    feed.subtitle("Dated, sourced evidence on each deliverable; status shows what public "
                  "evidence shows, not what was promised.")
    latest = max((e[2]["date"] for e in entries), default="2026-01-16")
    feed.updated(_instant(latest))
    for outcome, number, update in entries:  # feedgen puts the last added first
        entry = feed.add_entry()
        anchor = absolute(site_url, *place("outcome", outcome.id))
        entry.id(f"{anchor}/update-{number}")
        entry.title(f"{outcome.data['title']}: {site.vocabulary.label('status', update['status'])} "
                    f"({human_date(update['date'])})")
        entry.link(href=anchor, rel="alternate")
        entry.updated(_instant(update["date"]))
        entry.published(_instant(update["date"]))
        cited = "; ".join(f"{site.sources[s]['publisher']}, {site.sources[s]['title']} "
                          f"({site.sources[s]['url']})" for s in update["sources"])
        entry.summary(f"{plain_text(update['summary'])} Sources: {cited}.")
    path = site_dir / rel
    feed.atom_file(str(path), pretty=True)
    return path


def _instant(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
