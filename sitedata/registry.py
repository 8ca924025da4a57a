"""The registry: where each collection lives under data/, its schema and shape, and where each
kind of record is shown on the site (its page and anchor).

Adding a collection is one entry here plus its `*.schema.json`; every stage reads this list.
Every link to a record is made from `PLACES` through `place()`, and every link between pages
through `href()`, so that an anchor or a page's URL is spelt in one place only.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass

SCHEMA_DIR = "sitedata/schemas"  # from the project root


@dataclass(frozen=True)
class Collection:
    name: str  # also the name of its JSON export, api/v1/<name>.json
    kind: str  # what one record is: its key in PLACES
    schema: str  # file in sitedata/schemas/
    layout: str  # "dir": one record per file; "list": one file, a list; "single": one record
    path: str  # relative to the project root

    @property
    def is_dir(self) -> bool:
        return self.layout == "dir"

    def file_of(self, record_id: str) -> str:
        """The data file that holds (or would hold) the record with that id."""
        return f"{self.path}/{record_id}.yaml" if self.is_dir else self.path

    def missing(self, record_id: str) -> str:
        """Why no record has that id, for a message: no such file, or no such entry."""
        return (f"no file {self.file_of(record_id)}" if self.is_dir
                else f"no entry with that id in {self.path}")


COLLECTIONS: tuple[Collection, ...] = (
    Collection("sources", "source", "source.schema.json", "dir", "data/sources"),
    Collection("outcomes", "outcome", "outcome.schema.json", "dir", "data/outcomes"),
    Collection("topics", "topic", "topic.schema.json", "dir", "data/topics"),
    Collection("visit", "visit", "visit.schema.json", "single", "data/visit.yaml"),
    Collection("timeline", "milestone", "timeline.schema.json", "list", "data/timeline.yaml"),
    Collection("people", "person", "person.schema.json", "dir", "data/people"),
    Collection("glossary", "term", "glossary.schema.json", "list", "data/glossary.yaml"),
    Collection("terminology", "name", "terminology.schema.json", "list",
               "data/terminology.yaml"),
    Collection("claims", "claim", "claims.schema.json", "list", "data/claims.yaml"),
    Collection("corrections", "correction", "corrections.schema.json", "list",
               "data/corrections.yaml"),
    Collection("searches", "search", "searches.schema.json", "list", "data/searches.yaml"),
)

BY_NAME = {c.name: c for c in COLLECTIONS}


@dataclass(frozen=True)
class Place:
    """Where one kind of record is shown: its page and the prefix of its anchor there. A kind
    with `per_page` is listed that many records to a page: the first on `page`, the rest on
    further pages (`pages()`), so that no page grows with the data. A log (`newest_first`) has
    its newest records on `page` (from `per_page` up to twice as many, once there are that many)
    and the older ones on pages numbered from the oldest, `per_page` to each: each of those is
    full when it is made, and stays as it is while records are added after it."""

    page: str  # relative to docs/
    prefix: str
    per_page: int = 0  # 0: every record on one page
    newest_first: bool = False


# How many records a page of each list holds: about 150-300 kB of HTML a page, by the size of
# each kind of record today (an outcome, with its wording and log, is the heaviest; a change
# is one line). A log's first page holds up to twice as many (Place).
PLACES = {
    "source": Place("sources.md", "src-", per_page=100),
    "outcome": Place("outcomes.md", "outcome-", per_page=20),
    "person": Place("people.md", "person-", per_page=100),
    "term": Place("glossary.md", "term-", per_page=50),
    "name": Place("glossary.md", "name-", per_page=100),  # on the glossary's pages too
    "claim": Place("claims.md", "claim-", per_page=50),
    "correction": Place("corrections.md", "correction-", per_page=50, newest_first=True),
    "search": Place("searches.md", "search-", per_page=50, newest_first=True),
    "change": Place("changes.md", "", per_page=100, newest_first=True),  # no anchors
    "milestone": Place("timeline.md", "tl-", per_page=50, newest_first=True),
    "visit": Place("index.md", ""),
    "event": Place("visit.md", "event-"),
    "stop": Place("visit.md", "stop-"),
    "day": Place("visit.md", "day-"),
}

# How many items a list shows that a page gives in passing, about something else than the page's
# own records: the places that cite a source (on the sources' pages), where each outcome stands
# (on the claims check), the corrections of a record and the searches for an outcome's evidence
# (the newest). The rest are counted ("and 12 more"), so that such a page stays the size its own
# records give it. Today's longest are 39 places (the most-cited source) and 5 outcomes
# (December 2026); in the bench's 100x data, where a hundred copies of every record cite the same
# sources, one list of 3,900 places made its page of sources 650 kB, and 500 outcomes made the
# claims check's first page 530 kB.
MOST_SHOWN = 50

# Records with parts that a correction can name: the keys of their lists of parts (each with an id).
PARTS = {"visit": ("itinerary", "tour"), "topics": ("sections",)}
# The collections a logged search can be about.
SEARCHED = ("outcomes", "topics")

# Each topic has a page of its own; its sections are anchored by their own ids, and each
# government's perspective by view-<country>.
TOPIC_PAGES = {"quad": "quad.md", "economic-security": "economic-security.md",
               "china-context": "china.md"}
PERSPECTIVES = "perspectives"  # the anchor of a topic page's perspectives section


def place(kind: str, record_id: str = "") -> tuple[str, str]:
    """The page and anchor where a record of `kind` is shown."""
    if kind == "topic":
        return TOPIC_PAGES.get(record_id, f"{record_id}.md"), ""
    spot = PLACES[kind]
    return spot.page, (spot.prefix + record_id if record_id and spot.prefix else "")


def pages(kind: str, count: int) -> list[str]:
    """The pages that list `count` records of `kind`, in order, always at least its own page:
    sources.md, then sources/2.md, sources/3.md… (URLs sources/, sources/2/…); a log's,
    newest first: corrections.md, then …, corrections/2.md, corrections/1.md (the oldest)."""
    spot = PLACES[kind]
    if not spot.per_page:
        return [spot.page]
    stem = spot.page.removesuffix(".md")
    if spot.newest_first:  # the first page takes what does not fill one more
        return [spot.page] + [f"{stem}/{n}.md" for n in range(count // spot.per_page - 1, 0, -1)]
    return [spot.page] + [f"{stem}/{n}.md" for n in range(2, -(-count // spot.per_page) + 1)]


def split_lists() -> dict[str, tuple[str, ...]]:
    """Each page that starts a list split over further pages, with the kinds it lists."""
    lists: dict[str, tuple[str, ...]] = {}
    for kind, spot in PLACES.items():
        if spot.per_page:
            lists[spot.page] = lists.get(spot.page, ()) + (kind,)
    return lists


def anchor(kind: str, record_id: str) -> str:
    return place(kind, record_id)[1]


def page_url(page: str) -> str:
    """The URL MkDocs gives a page, from the site root (directory URLs): visit.md → visit/,
    index.md → ''."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


@functools.lru_cache(maxsize=65536)  # a page links to the same few places again and again
def href(here: str, page: str, fragment: str = "") -> str:
    """A relative link from the page `here` to `page` (and an anchor on it); `page` may also
    be a file the build writes, such as feed.xml."""
    source = page_url(here)
    target = page_url(page) if page.endswith(".md") else page
    if target == source:
        link = ""
    else:
        link = posixpath.relpath(target or ".", source or ".")
        if target.endswith("/") or not target:
            link += "/"  # "." becomes "./"
    return link + (f"#{fragment}" if fragment else "") or "./"


def absolute(site_url: str, page: str, fragment: str = "") -> str:
    """The full URL of a page (or a built file) and anchor, for feeds and the API."""
    target = page_url(page) if page.endswith(".md") else page
    return site_url.rstrip("/") + "/" + target + (f"#{fragment}" if fragment else "")


def feed_file(outcome_id: str) -> str:
    """The Atom feed of one outcome's updates, from the site root."""
    return f"feeds/outcome-{outcome_id}.xml"
