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

from .collections import COLLECTIONS, Collection
from .enrich import OutcomeView, Site
from .render import human_date, plain_text
from .schema import bundled

SCHEMA_VERSION = "1.0.0"  # fields are only ever added in v1; see docs/data.md


def write_all(site: Site, site_dir: Path, site_url: str, generated_at: str) -> list[Path]:
    """Write every export under site_dir; return the paths written."""
    written = write_api(site, Path(site_dir) / "api" / "v1", generated_at)
    written += write_feeds(site, Path(site_dir), site_url.rstrip("/") + "/")
    return written


def collection_items(site: Site, collection: Collection) -> list | dict:
    records = [r.data for r in site.records.get(collection.name, [])]
    if collection.layout == "single":
        return records[0] if records else {}
    return sorted(records, key=lambda r: r["id"]) if collection.is_dir else records


def export_schema(collection: Collection) -> dict:
    """The schema of api/v1/<name>.json: an envelope around the editors' record schema."""
    record = copy.deepcopy(bundled(collection.schema))  # the cached schema stays untouched
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
                                   export_schema(collection)))
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


def write_feeds(site: Site, site_dir: Path, base: str) -> list[Path]:
    out = site_dir / "feeds"
    out.mkdir(parents=True, exist_ok=True)
    page = base + "outcomes/"
    written = [_feed(site, site.outcomes, site_dir / "feed.xml", base,
                     "Outcome updates: India–Japan after Motegi's January 2026 visit",
                     page, "feed.xml")]
    for outcome in site.outcomes:
        name = f"outcome-{outcome.data['id']}"
        written.append(_feed(site, [outcome], out / f"{name}.xml", base,
                             f"Outcome updates: {outcome.data['title']}",
                             f"{page}#outcome-{outcome.data['id']}", f"feeds/{name}.xml"))
    return written


def _feed(site: Site, outcomes: list[OutcomeView], path: Path, base: str, title: str,
          page: str, rel: str) -> Path:
    """One Atom file at `path`, published at `base` + `rel`."""
    entries = [(o, i, u) for o in outcomes for i, u in enumerate(o.data["updates"], start=1)]
    entries.sort(key=lambda e: (e[2]["date"], e[0].data["id"], e[1]))
    feed = FeedGenerator()
    feed.id(base + rel)
    feed.title(title)
    feed.author({"name": "India–Japan Explainer editors"})
    feed.link(href=page, rel="alternate")
    feed.link(href=base + rel, rel="self")
    feed.language("en")
    feed.subtitle("Dated, sourced evidence on each deliverable; status shows what public "
                  "evidence shows, not what was promised.")
    latest = max((e[2]["date"] for e in entries), default="2026-01-16")
    feed.updated(_instant(latest))
    for outcome, number, update in entries:  # feedgen puts the last added first
        entry = feed.add_entry()
        anchor = f"{base}outcomes/#outcome-{outcome.data['id']}"
        entry.id(f"{anchor}/update-{number}")
        entry.title(f"{outcome.data['title']}: {update['status'].replace('-', ' ')} "
                    f"({human_date(update['date'])})")
        entry.link(href=anchor, rel="alternate")
        entry.updated(_instant(update["date"]))
        entry.published(_instant(update["date"]))
        cited = "; ".join(f"{site.sources[s]['publisher']}, {site.sources[s]['title']} "
                          f"({site.sources[s]['url']})" for s in update["sources"])
        entry.summary(f"{plain_text(update['summary'])} Sources: {cited}.")
    feed.atom_file(str(path), pretty=True)
    return path


def _instant(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
