"""Located records: a record's values together with the file and path it came from.

Shared by the validate and enrich stages, so that any rule can point at the exact line of the
value it objects to, however the collection is laid out on disk.
"""

from __future__ import annotations

from typing import Any

from .editions import is_local
from .loader import Document
from .registry import Collection


class Record:
    """One record: its collection, the document it is in, and its path inside it (() or
    (index,))."""

    __slots__ = ("collection", "doc", "prefix", "data", "id", "_values", "_texts")

    def __init__(self, collection: Collection, doc: Document, prefix: tuple):
        self.collection = collection
        self.doc = doc
        self.prefix = prefix
        value = doc.data
        for step in prefix:
            value = value[step]
        self.data: dict = value
        found = value.get("id")  # records_of makes records of mappings only
        self.id: str = found if isinstance(found, str) else ""
        self._values: list[tuple[tuple, Any]] | None = None
        self._texts: list[tuple[tuple, dict]] | None = None

    def __repr__(self) -> str:
        return f"Record({self.collection.name}, {self.doc.path}, {self.prefix})"

    def mark(self, *path: Any) -> tuple[int, int]:
        return self.doc.mark(self.prefix + tuple(path))

    def walk(self) -> list[tuple[tuple, Any]]:
        """Every (path, value) in the record, parents first: walked once, on first use, as
        validation never changes a record and about five rules read every value of each."""
        if self._values is None:
            self._values = walk(self.data)
        return self._values

    def local_texts(self) -> list[tuple[tuple, dict]]:
        """Every text kept in each edition's language in the record, with its path: found once,
        on first use, as two rules read them all."""
        if self._texts is None:
            self._texts = [(path, value) for path, value in self.walk() if is_local(value, path)]
        return self._texts


def records_of(collection: Collection, doc: Document) -> list[Record]:
    """Every record in one file of a collection, in file order."""
    if collection.layout == "list":
        if not isinstance(doc.data, list):
            return []
        return [Record(collection, doc, (i,)) for i, item in enumerate(doc.data)
                if isinstance(item, dict)]
    return [Record(collection, doc, ())] if isinstance(doc.data, dict) else []


def walk(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, value) pair inside a value, parents before children."""
    out: list[tuple[tuple, Any]] = []
    _walk_into(value, path, out)
    return out


def _walk_into(value: Any, path: tuple, out: list) -> None:
    out.append((path, value))
    if isinstance(value, dict):
        for key, item in value.items():
            _walk_into(item, path + (key,), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_into(item, path + (index,), out)
