"""Located records: a record's values together with the file and path it came from.

Shared by the validate and enrich stages, so that any rule can point at the exact line of the
value it objects to, however the collection is laid out on disk.
"""

from __future__ import annotations

from typing import Any

from .collections import Collection
from .loader import Document


class Record:
    """One record: its collection, the document it is in, and its path inside it (() or
    (index,)). Its data and id are looked up once, here: the rules ask for them often."""

    __slots__ = ("collection", "doc", "prefix", "data", "id")

    def __init__(self, collection: Collection, doc: Document, prefix: tuple):
        self.collection = collection
        self.doc = doc
        self.prefix = prefix
        value = doc.data
        for step in prefix:
            value = value[step]
        self.data: dict = value
        found = value.get("id") if isinstance(value, dict) else None
        self.id: str = found if isinstance(found, str) else ""

    def __repr__(self) -> str:
        return f"Record({self.collection.name}, {self.doc.path}, {self.prefix})"

    def mark(self, *path: Any, key: bool = False) -> tuple[int, int]:
        return self.doc.mark(self.prefix + tuple(path), key=key)

    def walked(self) -> list[tuple[tuple, Any]]:
        """Every (path, value) in the record, parents first: the loader's list when the record
        is the whole document and it has one, else a fresh walk."""
        if not self.prefix and self.doc.walked:
            return self.doc.walked
        return walk(self.data)


def records_of(collection: Collection, docs: list[Document]) -> list[Record]:
    """Every record of a collection, in file order."""
    found: list[Record] = []
    for doc in docs:
        if collection.layout == "list":
            if isinstance(doc.data, list):
                found += [Record(collection, doc, (i,)) for i, item in enumerate(doc.data)
                          if isinstance(item, dict)]
        elif isinstance(doc.data, dict):
            found.append(Record(collection, doc, ()))
    return found


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


def path_name(path: tuple) -> str:
    """`updates[2].date` style name of the value at a path; 'the file' for the root."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
    return name or "the file"
