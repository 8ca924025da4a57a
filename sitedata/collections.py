"""The registry of collections: where each lives under data/, its schema, and its shape.

Adding a collection is one entry here plus its `*.schema.json`; every stage reads this list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Collection:
    name: str  # also the name of its JSON export, api/v1/<name>.json
    schema: str  # file in sitedata/schemas/
    layout: str  # "dir": one record per file; "list": one file, a list; "single": one record
    path: str  # relative to the project root
    page: str  # the page that shows it, relative to docs/
    anchor: str  # prefix of each record's anchor on that page ("" for single records)

    @property
    def is_dir(self) -> bool:
        return self.layout == "dir"


COLLECTIONS: tuple[Collection, ...] = (
    Collection("sources", "source.schema.json", "dir", "data/sources", "sources.md", "src-"),
    Collection("outcomes", "outcome.schema.json", "dir", "data/outcomes", "outcomes.md", "outcome-"),
    Collection("topics", "topic.schema.json", "dir", "data/topics", "", ""),
    Collection("visit", "visit.schema.json", "single", "data/visit.yaml", "visit.md", ""),
    Collection("timeline", "timeline.schema.json", "list", "data/timeline.yaml", "timeline.md", "tl-"),
    Collection("people", "person.schema.json", "dir", "data/people", "people.md", "person-"),
    Collection("glossary", "glossary.schema.json", "list", "data/glossary.yaml", "glossary.md", "term-"),
    Collection("claims", "claims.schema.json", "list", "data/claims.yaml", "claims.md", "claim-"),
)

BY_NAME = {c.name: c for c in COLLECTIONS}

# Each topic has a page of its own, named after the topic's id.
TOPIC_PAGES = {"quad": "quad.md", "economic-security": "economic-security.md",
               "china-context": "china.md"}
