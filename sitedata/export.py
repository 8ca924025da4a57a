"""Export stage: the site model in, open data files out (written after the HTML build).

    api/v2/index.json              {"collections": [{"name", "data", "schema", "count"}, ...]}
    api/v2/<name>.json             {"schema_version", "generated_at", "collection", "items": [...]}
    api/v2/<name>.schema.json      the JSON Schema of that file (the editors' schema, bundled)
    api/v1/...                     the same in version 1's shape: every text in English only
    feed.xml                       Atom: every outcome update, newest first (at the edition's
                                   root: Material fetches sitemap.xml beside every rel=alternate
                                   link)
    feeds/outcome-<id>.xml         Atom: one outcome's updates
    corrections.xml                Atom: every correction, newest first
    changes.xml                    Atom: the change log (outcome updates, corrections, new records)

The API is written once, at the site's root, by the default edition's build; each edition
writes its own feeds, in its language, under its own root.

Version 2's items are the records exactly as editors wrote them (ids and source ids kept, each
text in every edition's language); nothing derived is added to them, so each file's items
validate against the same schema the editors' YAML does. Version 1 (frozen in
sitedata/schemas/api-v1/, its vocabulary kept current) gives each text in English, as it did
before the site had editions. What the build works out about records as a whole (when each last
changed, from git) sits beside the items, in `last_changed`, with `history` saying whether the
dates could be read.
"""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from .editions import is_local, is_quoted
from .enrich import CHANGE_KINDS, OutcomeView, Site, correction_target
from .registry import COLLECTIONS, Collection, absolute, feed_file, place
from .render import plain_text
from .schema import Schemas

# Fields are only ever added within a version; see the changelog in docs/data.md.
VERSIONS = {"v2": "2.0.0", "v1": "1.1.0"}
V1 = "api-v1"  # the folder of version 1's schemas, as published, in sitedata/schemas/
CHANGES_IN_FEED = 100  # the change log's feed carries its newest entries


def write_all(site: Site, site_dir: Path, site_url: str, generated_at: str,
              api: bool = True) -> list[Path]:
    """Write every export under site_dir (the API only when `api`); return the paths written."""
    written = []
    if api:
        written += write_api(site, Path(site_dir) / "api" / "v2", generated_at)
        written += write_api(site, Path(site_dir) / "api" / "v1", generated_at, version="v1")
    written += write_feeds(site, Path(site_dir), site_url)
    return written


def collection_items(site: Site, collection: Collection, version: str = "v2") -> list | dict:
    records = [r.data if version == "v2" else english(r.data)
               for r in site.raw.get(collection.name, [])]
    if collection.layout == "single":
        return records[0] if records else {}
    return sorted(records, key=lambda r: r["id"]) if collection.is_dir else records


def english(value: object, key: str = "") -> object:
    """A record in version 1's shape: each text in English; no marks of translation; quoted
    words without their language and translation; a deadline's words as `stated`."""
    if is_local(value):
        return value["en"]
    if isinstance(value, dict):
        out = {k: english(v, k) for k, v in value.items()
               if k not in ("untranslated", "short_name") and
               not (is_quoted(value) and k in ("language", "translation"))}
        if key == "deadline":
            out = {("stated" if k == "text" else k): v for k, v in out.items()}
        return out
    if isinstance(value, list):
        return [english(v) for v in value]
    return value


def versions(collection: Collection, folder: Path) -> list[str]:
    """The API versions that publish a collection (version 1 only those it had); `folder`:
    the schemas' folder."""
    return ["v2"] + (["v1"] if (folder / V1 / f"{collection.name}.schema.json").is_file()
                     else [])


def export_schema(collection: Collection, schemas: Schemas, version: str = "v2") -> dict:
    """The schema of api/<version>/<name>.json: an envelope around the editors' record schema
    (version 1's as published, with the vocabulary's lists as they are now)."""
    if version == "v1":
        path = schemas.folder / V1 / f"{collection.name}.schema.json"
        published = json.loads(path.read_text(encoding="utf-8"))
        current = schemas.bundled(collection.schema).get("$defs", {})
        for name, definition in published["$defs"].items():
            if "oneOf" in definition and name in current:  # a vocabulary list
                published["$defs"][name] = current[name]
        return published
    record = copy.deepcopy(schemas.bundled(collection.schema))  # the cached one stays untouched
    defs = record.pop("$defs", {})
    items = record if collection.layout == "single" else (
        record if record.get("type") == "array" else {"type": "array", "items": record})
    major = VERSIONS[version].split(".")[0]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{collection.name} (api/{version})",
        "description": record.get("description", ""),
        "type": "object",
        "required": ["schema_version", "generated_at", "collection", "items"],
        "properties": {
            "schema_version": {"type": "string", "pattern": rf"^{major}\.[0-9]+\.[0-9]+$"},
            "generated_at": {"type": "string", "format": "date-time",
                             "description": "The time (UTC) of the commit the site was built "
                             "from, not of the build: every build of one commit writes the "
                             "same files."},
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


def write_api(site: Site, out: Path, generated_at: str, version: str = "v2") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = []
    for collection in COLLECTIONS:
        if version not in versions(collection, site.schemas.folder):
            continue
        items = collection_items(site, collection, version)
        changed = {record_id: dates.changed for (name, record_id), dates in site.dates.items()
                   if name == collection.name and dates.changed}
        document = {"schema_version": VERSIONS[version], "generated_at": generated_at,
                    "collection": collection.name, "items": items,
                    "history": site.history.reason, "last_changed": dict(sorted(changed.items()))}
        written.append(_write_json(out / f"{collection.name}.json", document))
        written.append(_write_json(out / f"{collection.name}.schema.json",
                                   export_schema(collection, site.schemas, version)))
        index.append({"name": collection.name, "data": f"api/{version}/{collection.name}.json",
                      "schema": f"api/{version}/{collection.name}.schema.json",
                      "count": len(items) if isinstance(items, list) else 1})
    written.append(_write_json(out / "index.json", {"schema_version": VERSIONS[version],
                                                    "generated_at": generated_at,
                                                    "collections": index}))
    return written


def _write_json(path: Path, value: object) -> Path:
    path.write_text(json_text(value), encoding="utf-8")
    return path


def json_text(value: object) -> str:
    """An API file's JSON: each field of the top-level object on a line of its own, and each
    item of a list there (a collection's records) on its own line, so that a diff of two builds
    names the records that differ. Written here, not with json's `indent`, because an indent
    makes json run its pure-Python encoder rather than its C one: at ten times the data that
    was 0.2 s of each save while serving, and the files a tenth bigger."""
    def dump(item: object) -> str:
        return json.dumps(item, ensure_ascii=False, separators=(",", ":"))

    if not isinstance(value, dict) or not value:
        return dump(value) + "\n"
    fields = [f"{dump(key)}:[\n" + ",\n".join(map(dump, item)) + "\n]"
              if isinstance(item, list) and item else f"{dump(key)}:{dump(item)}"
              for key, item in value.items()]
    return "{\n" + ",\n".join(fields) + "\n}\n"


def write_feeds(site: Site, site_dir: Path, site_url: str) -> list[Path]:
    """The edition's feeds, in its language, under `site_dir` (its root)."""
    _, language = site.catalog.gettext, site.catalog.edition
    (site_dir / "feeds").mkdir(parents=True, exist_ok=True)
    written = [_outcome_feed(site, site.outcomes, site_dir, site_url, "feed.xml",
                             _("Outcome updates: India–Japan after Motegi's January 2026 visit"),
                             absolute(site_url, *place("outcome")))]
    for outcome in site.outcomes:
        written.append(_outcome_feed(site, [outcome], site_dir, site_url, feed_file(outcome.id),
                                     _("Outcome updates: %(title)s") % {
                                         "title": outcome.data["title"]},
                                     absolute(site_url, *site.where("outcome", outcome.id))))
    # A correction's entry is known by where it was first listed; its link goes where it is now.
    corrections = [Entry(absolute(site_url, *place("correction", c["id"])),
                         absolute(site_url, *site.where("correction", c["id"])),
                         _("Correction: %(label)s") % {
                             "label": correction_target(site, c).label.striptags()},
                         c["date"],
                         _("The site said: %(wrong)s Corrected to: %(right)s") % {
                             "wrong": plain_text(c["wrong"]), "right": plain_text(c["right"])}
                         + " " + _cited(site, c["sources"]))
                   for c in site.corrections]
    written.append(_atom(site_dir, site_url, "corrections.xml", _("Corrections: %(site)s") % {
                         "site": _("India–Japan Explainer")}, absolute(site_url,
                         *place("correction")), corrections, _("Every correction: what the site "
                         "said, what is right, and the source."), language))
    kinds = {kind: _(label) for kind, label in CHANGE_KINDS.items()}
    changes = [Entry(f"{absolute(site_url, *place('change'))}#{c.kind}-{c.date}-{c.page}-{c.anchor}",
                     absolute(site_url, site.locate(c.page, c.anchor), c.anchor),
                     f"{c.label.striptags()} ({kinds[c.kind]})", c.date, c.label.striptags())
               for c in site.changes[:CHANGES_IN_FEED]]
    written.append(_atom(site_dir, site_url, "changes.xml", _("What changed: %(site)s") % {
                         "site": _("India–Japan Explainer")}, absolute(site_url,
                         *place("change")), changes, _("Outcome updates, corrections and new "
                         "records, newest first."), language))
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
    return site.catalog.gettext("Sources: %(sources)s.") % {"sources": "; ".join(
        f"{site.sources[s]['publisher']}, {site.sources[s]['title']} ({site.sources[s]['url']})"
        for s in ids)}


def _outcome_feed(site: Site, outcomes: list[OutcomeView], site_dir: Path, site_url: str,
                  rel: str, title: str, page: str) -> Path:
    entries = []
    for outcome in outcomes:
        # An entry is known by where the outcome was first listed; its link goes where it is now.
        known = absolute(site_url, *place("outcome", outcome.id))
        link = absolute(site_url, *site.where("outcome", outcome.id))
        for number, update in enumerate(outcome.data["updates"], start=1):
            status = site.vocabulary.label("status", update["status"])
            entries.append(Entry(f"{known}/update-{number}", link,
                                 f"{outcome.data['title']}: {status} "
                                 f"({site.catalog.date(update['date'])})", update["date"],
                                 f"{plain_text(update['summary'])} "
                                 f"{_cited(site, update['sources'])}"))
    return _atom(site_dir, site_url, rel, title, page, entries,
                 site.catalog.gettext("Dated, sourced evidence on each deliverable; status shows "
                                      "what public evidence shows, not what was promised."),
                 site.catalog.edition)


def _atom(site_dir: Path, site_url: str, rel: str, title: str, page: str,
          entries: list[Entry], subtitle: str, language: str) -> Path:
    """One Atom file at `rel` under site_dir, about the page at the URL `page`; entries newest
    first (ties in a stable order)."""
    entries = sorted(entries, key=lambda e: (e.date, e.id))
    feed = FeedGenerator()
    feed.id(absolute(site_url, rel))
    feed.title(title)
    feed.author({"name": "India–Japan Explainer editors"})  # the project's name, as published
    feed.link(href=page, rel="alternate")
    feed.link(href=absolute(site_url, rel), rel="self")
    feed.language(language)
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
