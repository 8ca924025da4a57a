"""Load stage: YAML bytes in, plain values with line/column marks out.

`load_document(root, path, report)` reads one file and returns a `Document` (JSON-like data plus
the position of every value and key), or None when the file cannot be read at all. It never
raises for bad input: every problem goes to the report with its file, line and column.

Why not `yaml.safe_load`: it silently keeps the last of two duplicate keys, turns `no` into False
and `12:30` into 750, expands "billion laughs" aliases, and forgets where each value came from.
So this module composes the YAML node graph (safe: no object construction) and builds the values
itself, refusing what different YAML parsers read differently.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    import yaml.cyaml
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass

from .problems import Report

MAX_FILE_BYTES = 256 * 1024  # the largest real data file is a few tens of kB
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
}

_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HAS_DATA = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)  # a line that is not blank or a comment


@dataclass
class Document:
    """One data file: its values, and the composed YAML nodes they came from.

    Positions are looked up in the nodes only when a problem is reported, so loading stays fast
    (most files have none). A document rebuilt from another process's results (see site.py)
    has no nodes: it composes them again from its text on first use."""

    path: str
    data: Any
    text: str = field(default="", repr=False)
    _node: yaml.Node | None = field(default=None, repr=False)
    # Every (path, value) in `data`, parents before children, as the builder made them.
    walked: list = field(default_factory=list, repr=False)

    @property
    def node(self) -> yaml.Node | None:
        if self._node is None and self.text:
            self._node = _compose(self.text, self.path, Report())  # as it composed at load
        return self._node

    def forget_nodes(self) -> None:
        """Free the nodes and the value list once the rules about this file alone are done:
        memory then stays at a few files' worth of nodes, and the next files reuse it. A later
        position (a rule across records) composes them again from the text."""
        self._node = None
        self.walked = []

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
        node, key_node, whole = self._find(tuple(path))
        if key and whole and key_node is not None:
            node = key_node
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def plain_text(self, path: Path_) -> str | None:
        """The source text of an unquoted scalar at `path` (what YAML read as another type)."""
        node, _, whole = self._find(tuple(path))
        if whole and isinstance(node, yaml.ScalarNode) and not node.style:
            return node.value
        return None


class _Refused(Exception):
    """A construct this loader does not accept, with the position where it starts."""

    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Strict:
    """Refuses aliases, anchors and explicit tags as the composer meets them.

    Refusing the first anchor stops an alias-expansion attack before any work is done."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark,
                           f"alias '*{event.anchor}' is not allowed; write the value out in full")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark,
                           f"anchor '&{event.anchor}' is not allowed; write each value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise _Refused(event.start_mark,
                           f"YAML tag '{tag}' is not allowed; data files hold plain text, "
                           "lists and mappings only")
        return super().compose_node(parent, index)


class _StrictLoader(_Strict, yaml.SafeLoader):
    """Pure-Python PyYAML: slower, but it sees anchors and tags, and its syntax errors say the
    most; every file that the fast path does not take comes here."""


_CLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.cyaml.CSafeLoader):  # noqa: F811 - replaces the None above
        """libyaml's loader, with tag resolution left to `_plain_tag`.

        The composer asks for every scalar's tag, keys included, through a Python call; the
        builder needs it only for plain (unquoted) values, so answering at once here and
        resolving those few in the builder saves a quarter of the time spent composing."""

        def resolve(self, kind, value, implicit):  # noqa: ANN001, ARG002 - PyYAML's signature
            return _STR


_STR = _TAG + "str"
_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers  # first character -> [(tag, pattern)]


def _plain_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's SafeLoader) gives a plain scalar: the same patterns in the same
    order as its Resolver, looked up by first character."""
    for tag, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return _STR


def _compose_fast(text: str | bytes) -> yaml.Node | None:
    """libyaml's C parser and composer, some twenty times faster than PyYAML's Python ones;
    given the file's UTF-8 bytes, it is spared encoding the text again.

    Only for files with nothing the strict path must refuse or explain: None sends the file
    there. That is any file with & or ! (a possible anchor or tag, which the C composer does
    not report; without an anchor no alias can compose), and any syntax error (libyaml also
    stops at about 1,000 levels of nesting)."""
    anchor, tag = ("&", "!") if isinstance(text, str) else (b"&", b"!")
    if _CLoader is None or anchor in text or tag in text:
        return None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return node


def load_document(root: Path, path: Path | str, report: Report, rel: str = "") -> Document | None:
    """Read one YAML file under `root` (`rel`: its path from there, worked out if not given);
    report every problem; None when nothing is usable."""
    rel = rel or Path(path).relative_to(root).as_posix()
    raw = _read_bytes(path, rel, report)
    if raw is None:
        return None
    text = _decode(raw, rel, report)
    if text is None:
        return None
    if not _check_characters(text, rel, report):
        return None
    if not _HAS_DATA.search(text):
        report.add(rel, 1, 1, "file is empty; expected YAML data (see the schema named on line 1)")
        return None
    node = _compose(text, rel, report, raw)
    if node is None:
        return None
    doc = Document(rel, None, text, node)
    builder = _Builder(doc, report)
    doc.data = builder.build(node, (), 0)
    doc.walked = builder.walked
    return doc


def _read_bytes(path: Path | str, rel: str, report: Report) -> bytes | None:
    # os-level calls: less than half the time open() takes for 10,000 small files.
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            raw = os.read(fd, MAX_FILE_BYTES + 1)  # never more than the limit, whatever the size
        finally:
            os.close(fd)
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


# Every character _check_characters refuses: the list above plus Unicode's control characters
# (category Cc: U+0000-U+001F and U+007F-U+009F), tab, line feed and carriage return excepted.
_REFUSED = re.compile("[" + "".join(re.escape(c) for c in _FORBIDDEN)
                      + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def _compose(text: str, rel: str, report: Report, raw: bytes | None = None) -> yaml.Node | None:
    """The file's node graph, or None with its problem reported; `raw`: its bytes, if at hand."""
    node = _compose_fast(text if raw is None else raw)
    if node is not None:
        return node
    loader = _StrictLoader(text)
    try:
        return loader.get_single_node()
    except _Refused as err:
        report.add(rel, err.mark.line + 1, err.mark.column + 1, err.message)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        report.add(rel, line, col, _syntax_message(err))
    except yaml.YAMLError as err:  # reader errors (e.g. a non-printable character) carry no mark
        report.add(rel, 1, 1, f"YAML error: {err}")
    except RecursionError:
        report.add(rel, 1, 1, "YAML nests too deeply to read")
    finally:
        loader.dispose()
    return None


def _syntax_message(err: yaml.MarkedYAMLError) -> str:
    problem = (err.problem or "invalid YAML").strip()
    message = f"YAML syntax error: {problem}"
    if err.context:
        message += f" ({err.context.strip()})"
    if "'\\t'" in problem or "\t" in problem:
        message += "; indent with spaces, not tabs"
    elif "expected a single document" in message:
        message = "YAML syntax error: more than one document ('---') in one file"
    return message


class _Builder:
    """Turns the composed node graph into plain values, refusing traps, and lists every
    (path, value) on the way for the rules (see records.walk, which it saves a second pass)."""

    def __init__(self, doc: Document, report: Report):
        self.doc = doc
        self.report = report
        self.walked: list[tuple[Path_, Any]] = []

    def fail(self, node: yaml.Node, message: str) -> None:
        self.report.add(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1,
                        message)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.fail(node, f"data nests more than {MAX_DEPTH} levels deep")
            self.walked.append((path, None))
            return None
        kind = type(node)
        if kind is yaml.ScalarNode:
            value = self.scalar(node)
            self.walked.append((path, value))
            return value
        if kind is yaml.MappingNode:
            return self.mapping(node, path, depth)
        items: list[Any] = []
        self.walked.append((path, items))
        for index, item in enumerate(node.value):
            items.append(self.build(item, path + (index,), depth + 1))
        return items

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict[str, Any] = {}
        walked = self.walked
        walked.append((path, result))
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                self.fail(key_node, "a key must be plain text, not a list or mapping")
                continue
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                self.fail(key_node, f"duplicate key '{key}' (first at line "
                          f"{first.start_mark.line + 1}); YAML would silently keep only the "
                          "last one")
                continue
            if type(value_node) is yaml.ScalarNode and depth < MAX_DEPTH:
                # The common case inline, saving a call per value.
                value = value_node.value
                if not value_node.style and value[:1] in _RESOLVERS:
                    value = self.scalar(value_node)
                walked.append((path + (key,), value))
                result[key] = value
            else:
                result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar's value: text, unless it is plain and YAML 1.1 reads it as something else."""
        text = node.value
        if node.style:  # quoted or block: always text (plain style is None, or '' from libyaml)
            return text
        tag = _plain_tag(text)
        if tag is _STR:
            return text
        tag = tag.removeprefix(_TAG)
        if tag == "null":
            return None
        if tag == "bool":
            if text in ("true", "false"):
                return text == "true"
            self.fail(node, f"'{text}' is read as true/false by some YAML parsers and as text by "
                      f"others; write true or false, or put text in quotes: '{text}'")
            return text
        if tag in ("int", "float") and ":" in text:
            self.fail(node, f"'{text}' is read as a base-60 number by YAML 1.1; put it in quotes: "
                      f"'{text}'")
            return text
        if tag == "int":
            if _PLAIN_INT.fullmatch(text):
                return int(text)
            self.fail(node, f"'{text}' is an octal, hex or grouped number in YAML 1.1; "
                      f"put it in quotes if it is text: '{text}'")
            return text
        if tag == "float":
            if _PLAIN_FLOAT.fullmatch(text):
                return float(text)
            self.fail(node, f"'{text}' is a special number in YAML (infinity or not-a-number); "
                      f"put it in quotes if it is text: '{text}'")
            return text
        if tag == "timestamp" and not _ISO_DATE.fullmatch(text):
            self.fail(node, f"'{text}' is read as a timestamp; dates are written YYYY-MM-DD, "
                      "and times go in their own quoted field")
            return text
        return text  # YYYY-MM-DD dates (and other YAML types) stay text, checked by the schema
