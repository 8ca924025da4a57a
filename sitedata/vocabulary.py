"""The vocabulary: every enumerated value the data may use, defined once.

sitedata/schemas/vocabulary.schema.json holds each list (statuses, areas, verdicts, kinds of
source, languages, countries, timeline tags) as a JSON Schema `oneOf` of `const` entries, each
with its label (`title`), its meaning (`description`) and how it is shown (`x-icon`, `x-stage`,
`x-marker`, `x-atlas`). The collection schemas refer to these lists, so validation, pages, stats,
the published API schemas and the field reference all read the same entries.

`load_vocabulary(root, report)` reads that file like a data file (so a problem in it is reported
at its line and column), checks every entry has what the pages need against
vocabulary.meta.schema.json, and returns a `Vocabulary`, or None when it cannot be used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .loader import load_document
from .problems import Report
from .registry import SCHEMA_DIR
from .schema import Judge, Schemas, check_against

FILE = f"{SCHEMA_DIR}/vocabulary.schema.json"
META = "vocabulary.meta.schema.json"


@dataclass(frozen=True)
class Value:
    """One value of a list, with everything needed to show it (in English; `labels` and
    `descriptions` hold the other editions' by edition)."""

    value: str
    label: str
    description: str = ""
    icon: str = ""
    stage: str = ""  # statuses: pending, active or done
    marker: str = ""  # timeline tags: the dot's marker colour
    atlas: str = ""  # countries: the name in the map data
    native: str = ""  # editions: the language's name in itself
    locale: str = ""  # editions: og:locale
    script: str = ""  # editions: a regular expression for a run of words in its script
    labels: tuple[tuple[str, str], ...] = ()
    descriptions: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.label

    def label_in(self, edition: str) -> str:
        return dict(self.labels).get(edition, self.label)

    def description_in(self, edition: str) -> str:
        return dict(self.descriptions).get(edition, self.description)


class Vocabulary:
    """The lists by name (`vocabulary.status["delivered"].label`), each in its defined order."""

    def __init__(self, lists: dict[str, dict[str, Value]]):
        self.lists = lists
        for name, values in lists.items():
            setattr(self, name, values)

    def values(self, name: str) -> list[str]:
        return list(self.lists[name])

    @property
    def editions(self) -> list[str]:
        """The site's editions, the default (English, at the root) first."""
        return list(self.lists["edition"])

    def label(self, name: str, value: str) -> str:
        return self.lists[name][value].label

    def localized(self, edition: str) -> Vocabulary:
        """The same lists with each value's label and description in `edition`'s language."""
        return Vocabulary({name: {key: replace(value, label=value.label_in(edition),
                                               description=value.description_in(edition))
                                  for key, value in values.items()}
                           for name, values in self.lists.items()})


def load_vocabulary(root: Path, schemas: Schemas, report: Report) -> Vocabulary | None:
    before = len(report)  # any problem with the file, from its YAML on, and it is not used
    doc = load_document(root, FILE, report)
    if doc is None:
        return None
    try:  # editors and the published schemas read it as JSON, which YAML reads more loosely
        json.loads(doc.text)
    except json.JSONDecodeError as err:
        report.add(FILE, err.lineno, err.colno, f"not valid JSON: {err.msg}")
        return None
    meta = schemas.bundled(META)
    if not check_against(Judge(meta), doc, report):
        return None
    lists: dict[str, dict[str, Value]] = {}
    for name, definition in doc.data["$defs"].items():
        values: dict[str, Value] = {}
        for i, entry in enumerate(definition["oneOf"]):
            if entry["const"] in values:
                line, col = doc.mark(("$defs", name, "oneOf", i, "const"))
                report.add(FILE, line, col, f"{name} '{entry['const']}' is defined twice; each "
                           "value once")
                continue
            values[entry["const"]] = Value(
                entry["const"], entry["title"], entry.get("description", ""),
                entry.get("x-icon", ""), entry.get("x-stage", ""), entry.get("x-marker", ""),
                entry.get("x-atlas", entry["title"]), entry.get("x-native", ""),
                entry.get("x-locale", ""), entry.get("x-script", ""),
                tuple(entry.get("x-labels", {}).items()),
                tuple(entry.get("x-descriptions", {}).items()))
        lists[name] = values
    for i, value in enumerate(lists["edition"].values()):  # the meta-schema requires it
        try:
            re.compile(value.script)
        except re.error as error:
            report.add(FILE, *doc.mark(("$defs", "edition", "oneOf", i, "x-script")),
                       f"edition '{value.value}': x-script is not a regular expression ({error})")
    _check_translated(doc, lists, report)
    return Vocabulary(lists) if len(report) == before else None


def _check_translated(doc, lists: dict[str, dict[str, Value]], report: Report) -> None:
    """Every value has its label (and its description, if it has one) in every edition's
    language, and names no edition that does not exist."""
    editions = list(lists["edition"])
    others = editions[1:]
    for name, definition in doc.data["$defs"].items():
        for i, entry in enumerate(definition["oneOf"]):
            fields = ("x-labels", "x-descriptions") if "description" in entry else ("x-labels",)
            for field in fields:
                given = entry.get(field, {})
                for edition in others:
                    if edition not in given:
                        line, col = doc.mark(("$defs", name, "oneOf", i))
                        report.add(FILE, line, col, f"{name} '{entry['const']}' has no {edition} "
                                   f"{'label' if field == 'x-labels' else 'description'} "
                                   f"({field}: {{{edition}: …}}); each edition needs one")
                for edition in given:
                    if edition not in editions:
                        line, col = doc.mark(("$defs", name, "oneOf", i, field, edition),
                                             key=True)
                        report.add(FILE, line, col, f"{field} names '{edition}', which is not "
                                   f"an edition ({', '.join(editions)})")
