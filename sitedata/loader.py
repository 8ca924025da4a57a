"""Load stage: YAML bytes in, plain values out, each locatable by line and column.

`load_document(root, rel, report)` reads one file and returns a `Document` (JSON-like data, and
its text, from which the position of any value or key is found when a problem needs it), or
None when the file cannot be read at all. It never raises for bad input: every problem goes to
the report with its file, line and column.

Why not `yaml.safe_load`: it silently keeps the last of two duplicate keys, turns `no` into False
and `12:30` into 750, merges mappings with `<<`, expands "billion laughs" aliases, and forgets
where each value came from. So this module reads PyYAML's parser events and resolver (safe: no
object construction) and builds the values itself, refusing what YAML parsers read differently.
Whatever it returns, `yaml.safe_load` returns too (tested); the rest it refuses with a reason.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.resolver import Resolver

from .problems import Report, path_name

# The largest real data file is a list of some 53 kB (claims.yaml, in both editions' languages);
# at a hundred times the data (make bench) the lists reach 5.3 MB. Past the limit a file is
# refused unread, whatever it holds.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32  # real records nest four or five levels
MAX_CHAR_PROBLEMS = 10  # per file; past this, one summary line

Path_ = tuple  # a path into the data: ("updates", 2, "date")

# Bidirectional controls (Trojan Source), invisible separators and the byte-order mark. Zero-width
# joiner and non-joiner (U+200C, U+200D) are not here: Indic scripts need them in words. They are
# still refused in ids and URLs, whose patterns allow ASCII only.
_FORBIDDEN = {
    **{c: "bidirectional control" for c in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
       "\u2066\u2067\u2068\u2069"},
    "\u200b": "zero-width space", "\u2060": "word joiner", "\ufeff": "zero-width no-break space",
    "\u2028": "line separator", "\u2029": "paragraph separator", "\u00ad": "soft hyphen",
    # Not characters at all: libyaml refuses them too, but names only their place in the text.
    "\ufffe": "noncharacter", "\uffff": "noncharacter",
}
# Every character _check_characters refuses: the list above plus Unicode's control characters
# (category Cc: U+0000-U+001F and U+007F-U+009F), tab, line feed and carriage return excepted.
_REFUSED = re.compile("[" + "".join(re.escape(c) for c in _FORBIDDEN)
                      + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HAS_DATA = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)  # a line that is not blank or a comment

_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

try:  # libyaml's scanner and parser, in C: some ten times faster than PyYAML's Python ones
    from yaml import CSafeLoader as _NodeLoader
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: the same, in Python
    from yaml import SafeLoader as _NodeLoader  # type: ignore[assignment]
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class _Refused(Exception):
    """A construct this loader does not accept, with the position where it starts."""

    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark


class _Events(_Parser, Resolver):
    """The parser's events, and PyYAML's resolver to say how YAML reads each plain scalar."""

    def __init__(self, text: str):
        _Parser.__init__(self, text)
        Resolver.__init__(self)


@dataclass
class Document:
    """One data file: its values, and its text, from which positions are found on demand (most
    files have no problem, so most never need them)."""

    path: str  # from the project root, with forward slashes
    data: Any
    text: str = field(default="", repr=False)
    _node: yaml.Node | None = field(default=None, repr=False)
    # Values already refused while loading (a YAML 1.1 trap): no other stage reports them again.
    refused: set[Path_] = field(default_factory=set, repr=False)
    # Where each item of a list file starts (line, column): every entry's dates need it, and
    # finding it otherwise means composing the whole file again.
    items: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @property
    def node(self) -> yaml.Node:
        if self._node is None:  # built from events at load, so composed now
            self._node = yaml.compose(self.text, Loader=_NodeLoader)
        return self._node

    def _find(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
        """The deepest node on `path`, the key node naming it, and whether the path resolved."""
        node, key_node = self.node, None
        for step in path:
            found = None
            key_node = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == step:
                        key_node, found = key, value
                        break  # the first of duplicate keys is the one kept
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
                    and 0 <= step < len(node.value):
                found = node.value[step]
            if found is None:
                return node, None, False
            node = found
        return node, key_node, True

    def mark(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), else of its nearest parent."""
        if len(path) == 1 and isinstance(path[0], int) and 0 <= path[0] < len(self.items):
            return self.items[path[0]]  # an item of a list file (which has no keys)
        node, key_node, whole = self._find(tuple(path))
        if key and whole and key_node is not None:
            node = key_node
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def plain_text(self, path: Path_) -> str | None:
        """The source text of an unquoted scalar at `path` (what YAML read as another type)."""
        node, _, whole = self._find(tuple(path))
        if whole and isinstance(node, yaml.ScalarNode) and not node.style:
            return node.value
        return None


def load_document(root: Path, rel: str, report: Report) -> Document | None:
    """Read the YAML file at `rel` (a path from `root`, with forward slashes); report every
    problem; None when nothing is usable."""
    raw = read_file(root, rel, report)
    return None if raw is None else parse_document(raw, rel, report)


def read_file(root: Path, rel: str, report: Report) -> bytes | None:
    """The bytes of the file at `rel`, or None with the reason reported (unreadable, too big)."""
    return _read_bytes(os.path.join(root, rel), rel, report)


def parse_document(raw: bytes, rel: str, report: Report) -> Document | None:
    """The document in the bytes of the file at `rel`; every problem reported; None when
    nothing is usable. What it returns and reports depends on the bytes and `rel` alone."""
    text = _decode(raw, rel, report)
    if text is None or not _check_characters(text, rel, report):
        return None
    if not _HAS_DATA.search(text):
        report.add(rel, 1, 1, "file is empty; expected YAML data (see the schema named on line 1)")
        return None
    builder = _Builder(text)
    try:
        data = builder.build()
    except _Refused as err:
        report.add(rel, err.mark.line + 1, err.mark.column + 1, str(err))
        return None
    except yaml.MarkedYAMLError as err:  # libyaml marks where each syntax error is
        mark = err.problem_mark or err.context_mark
        report.add(rel, mark.line + 1, mark.column + 1, _syntax_message(err))
        return None
    except yaml.YAMLError as err:  # a character libyaml refuses: _check_characters refuses them
        # first, with their line and column; this is in case the two lists ever differ
        report.add(rel, 1, 1, f"YAML error: {err}")
        return None
    finally:
        builder.events.dispose()
    for line, col, message in builder.problems:  # only once the whole file has been read
        report.add(rel, line, col, message)
    return Document(rel, data, text, refused=builder.refused, items=tuple(builder.items))


def _read_bytes(path: str, rel: str, report: Report) -> bytes | None:
    try:
        with open(path, "rb") as file:
            # Never more than the limit, whatever the size. Asking for the limit's worth at once
            # would make Python set aside 8 MB for every file: three times the cost of reading.
            expected = min(os.fstat(file.fileno()).st_size, MAX_FILE_BYTES)
            raw = file.read(expected + 1)
            if len(raw) > expected:  # larger than it was a moment ago, or than the limit
                raw += file.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as err:  # e.g. deleted or renamed since the folder was listed, as editors save
        report.add(rel, 1, 1, f"the file cannot be read ({err.strerror or err}); try again")
        return None
    if len(raw) > MAX_FILE_BYTES:
        size = os.stat(path).st_size
        report.add(rel, 1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} "
                   "(split it, one record per file)")
        return None
    return raw


def _decode(raw: bytes, rel: str, report: Report) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        report.add(rel, 1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.add(rel, 1, 1, "file is UTF-16; save it as UTF-8")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[:err.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        report.add(rel, line, col, f"byte 0x{raw[err.start]:02x} is not valid UTF-8; "
                   "save the file as UTF-8")
        return None


def _check_characters(text: str, rel: str, report: Report) -> bool:
    """Refuse invisible and deceptive characters anywhere, comments included."""
    found = 0
    for match in _REFUSED.finditer(text):
        found += 1
        if found > MAX_CHAR_PROBLEMS:
            continue
        char = match.group()
        what = _FORBIDDEN.get(char, "control character")
        lineno = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        report.add(rel, lineno, col, f"invisible {what} U+{ord(char):04X} is not allowed; "
                   "delete it (it can make text read differently from what it says)")
    if found > MAX_CHAR_PROBLEMS:
        report.add(rel, 1, 1, f"{found - MAX_CHAR_PROBLEMS} more invisible characters not listed")
    return found == 0


def _syntax_message(err: yaml.MarkedYAMLError) -> str:
    problem = (err.problem or "invalid YAML").strip()
    if "nesting depth" in problem:
        return "YAML nests too deeply to read"
    message = f"YAML syntax error: {problem}"
    if err.context:
        message += f" ({err.context.strip()})"
    if "tab" in problem:
        message += "; indent with spaces, not tabs"
    return message


class _Builder:
    """Builds plain values straight from the parser's events, in one pass, refusing aliases,
    anchors, explicit tags and deep nesting as they come (refusing the first anchor stops an
    alias-expansion attack before any work is done), and what YAML 1.1 reads as other than it
    looks (the resolver's tags say how YAML reads each plain scalar).

    Why events and not PyYAML's composer: the node graph it builds is thrown away at once, and
    building it was a third of validating ten times the data. Problems with values wait in
    `problems` until the whole file has parsed: a syntax error anywhere is the only problem
    reported, as it is for a composer."""

    def __init__(self, text: str):
        self.events = _Events(text)
        self.problems: list[tuple[int, int, str]] = []
        self.refused: set[Path_] = set()
        self.items: list[tuple[int, int]] = []  # where each item of a top-level list starts

    def build(self) -> Any:
        """The document's value (the stream must hold exactly one document)."""
        events = self.events
        events.get_event()  # the stream's start
        # The document's start: there is one, since the text has a line that is not blank or a
        # comment (_HAS_DATA), and libyaml reads any such text as a document or refuses it
        # (tried on every text of up to six of the characters that matter to YAML).
        events.get_event()
        value = self.value(self.next(0), (), 0)
        events.get_event()  # the document's end
        if not events.check_event(yaml.StreamEndEvent):
            raise _Refused(events.get_event().start_mark, "YAML syntax error: more than one "
                           "document ('---') in one file")
        return value

    def next(self, depth: int) -> yaml.Event | None:
        """The next node's first event, refused if it is not plain data; None at the end of the
        list or mapping being read. `depth`: how many lists and mappings hold the node."""
        event = self.events.get_event()
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            return None
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark,
                           f"alias '*{event.anchor}' is not allowed; write the value out in full")
        if event.anchor:
            raise _Refused(event.start_mark,
                           f"anchor '&{event.anchor}' is not allowed; write each value out in full")
        if event.tag is not None:
            raise _Refused(event.start_mark, f"YAML tag '{event.tag}' is not allowed; data files "
                           "hold plain text, lists and mappings only")
        if depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"data nests more than {MAX_DEPTH} levels deep")
        return event

    def skip(self, event: yaml.Event, depth: int) -> None:
        """Read past a node whose value is not kept (its refusals still apply)."""
        if not isinstance(event, yaml.ScalarEvent):
            while (inner := self.next(depth + 1)) is not None:
                self.skip(inner, depth + 1)

    def fail(self, event: yaml.Event, path: Path_, message: str) -> None:
        self.refused.add(path)
        self.problems.append((event.start_mark.line + 1, event.start_mark.column + 1, message))

    def value(self, event: yaml.Event, path: Path_, depth: int) -> Any:
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list = []
            while (item := self.next(depth + 1)) is not None:
                if depth == 0:
                    self.items.append((item.start_mark.line + 1, item.start_mark.column + 1))
                items.append(self.value(item, path + (len(items),), depth + 1))
            return items
        return self.mapping(path, depth)

    def mapping(self, path: Path_, depth: int) -> dict:
        result: dict[str, Any] = {}
        lines: dict[str, int] = {}  # where each key was first given
        while (key_event := self.next(depth + 1)) is not None:
            key = self.key(key_event, path, depth + 1)
            value_event = self.next(depth + 1)  # a key without a value has an empty one
            if key is not None and key in result:
                self.fail(key_event, path, f"duplicate key '{key}' (first at line {lines[key]}); "
                          "YAML would silently keep only the last one")
            elif key is not None:
                lines[key] = key_event.start_mark.line + 1
                result[key] = self.value(value_event, path + (key,), depth + 1)
                continue
            self.skip(value_event, depth + 1)
        return result

    def key(self, event: yaml.Event, path: Path_, depth: int) -> str | None:
        """A field name: plain text, nothing YAML reads as another type."""
        if not isinstance(event, yaml.ScalarEvent):
            self.skip(event, depth)
            self.fail(event, path, "a key must be plain text, not a list or mapping")
            return None
        tag = self.events.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _TAG + "merge":
            self.fail(event, path, "merge keys ('<<') are not allowed: YAML 1.1 copies another "
                      "mapping's fields in here and other YAML parsers do not; write the "
                      "fields out in full")
            return None
        if tag != _TAG + "str":
            self.fail(event, path, f"key '{event.value}' is read as a "
                      f"{tag.removeprefix(_TAG)}, not as text; put it in quotes or rename it")
            return None
        return event.value

    def scalar(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        """A scalar's value: text, unless it is plain and YAML 1.1 reads it as something else."""
        text = event.value
        if not event.implicit[0]:  # quoted or a block: text, as the resolver would say
            return text
        tag = self.events.resolve(yaml.ScalarNode, text, event.implicit).removeprefix(_TAG)
        if tag == "str":
            return text
        if tag == "null":
            return None
        if tag == "bool":
            if text in ("true", "false"):
                return text == "true"
            self.fail(event, path, f"'{text}' is read as true/false by some YAML parsers and as "
                      f"text by others; write true or false, or put text in quotes: '{text}'")
        elif tag in ("int", "float") and ":" in text:
            self.fail(event, path, f"'{text}' is read as a base-60 number by YAML 1.1; put it in "
                      f"quotes: '{text}'")
        elif tag == "int":
            if _PLAIN_INT.fullmatch(text):
                return int(text)
            self.fail(event, path, f"'{text}' is an octal, hex or grouped number in YAML 1.1; "
                      f"put it in quotes if it is text: '{text}'")
        elif tag == "float":
            if _PLAIN_FLOAT.fullmatch(text):
                return float(text)
            self.fail(event, path, f"'{text}' is a special number in YAML (infinity or "
                      f"not-a-number); put it in quotes if it is text: '{text}'")
        elif tag == "timestamp" and _ISO_DATE.fullmatch(text):
            if _is_real_day(text):
                return text  # dates stay text (YYYY-MM-DD), as the JSON API publishes them
            self.fail(event, path, f"{path_name(path)} '{text}' is not a real date; write it "
                      "as YYYY-MM-DD, e.g. 2026-01-16")
        elif tag == "timestamp":
            self.fail(event, path, f"'{text}' is read as a timestamp; dates are written "
                      "YYYY-MM-DD, and times go in their own quoted field")
        else:  # '<<' or '=' as a value: special keys in YAML 1.1
            self.fail(event, path, f"'{text}' has a special meaning in YAML 1.1; put it in "
                      f"quotes: '{text}'")
        return text


def _is_real_day(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
