"""Editions: the site in each language the vocabulary's `edition` list names.

An edition's id is its language's code (BCP 47: en, ja). The data keeps each reader-visible text
as a mapping from edition to text; `localize` turns a record into the values one edition shows,
each text a `Text`: a string that knows its language, so that markup written from it says so
(`lang`) when it differs from the page's, and that carries a label when the page's own language
had no version of it (the default edition's text stands in, marked "not yet translated").
Words quoted in their own language (quotations, a government's wording, source titles) keep it.

The interface's words are in catalogs, `sitedata/locale/<edition>.yaml`: the templates' English
messages with each edition's translation, and how that edition writes dates. Adding an edition
is data and configuration only: a value in the vocabulary, a catalog, an `mkdocs.<edition>.yml`
and its pages under `docs/<edition>/`.
"""

from __future__ import annotations

import ast
import copy
import datetime
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2.ext
import yaml
from markupsafe import Markup, escape

from .loader import load_document
from .problems import Report

if TYPE_CHECKING:  # records.py uses is_local
    from .records import Record

LOCALE_DIR = "sitedata/locale"  # from the project root
PACKAGE = Path(__file__).parent


class Text(str):
    """A text as one edition shows it: `lang` is the language its words are in, `page` the
    edition's, and `fallback` the label shown when the words stand in for a missing
    translation. Written into a template it marks itself (see `lang_span`)."""

    lang: str
    page: str
    fallback: str

    def __new__(cls, value: str, lang: str, page: str, fallback: str = "") -> Text:
        text = super().__new__(cls, value)
        text.lang, text.page, text.fallback = lang, page, fallback
        return text

    def __html__(self) -> Markup:
        return lang_span(self, escape(str(self)))

    def __reduce__(self):  # copy and pickle keep the language
        return (Text, (str(self), self.lang, self.page, self.fallback))


def lang_span(text: object, html: str) -> Markup:
    """`html` (already safe), rendered from `text`, inside a span naming its language when that
    is not the page's; a text standing in for a missing translation gets its label after it.
    Words of another script inside the text are marked too (`mark_scripts`)."""
    lang, page = getattr(text, "lang", ""), getattr(text, "page", "")
    html = mark_scripts(html, lang)
    if not lang or lang == page:
        return Markup(html)
    # Built with escape() and an f-string: Markup.format runs string.Formatter, a tenth of
    # the time of the Japanese sources' pages at 10 times the data.
    out = f'<span lang="{escape(lang)}">{html}</span>'
    if getattr(text, "fallback", ""):
        out += f' <span class="ij-untranslated" lang="{escape(page)}">{escape(text.fallback)}</span>'
    return Markup(out)


# Words of another script inside a text, found by their characters, so that screen readers
# switch voice and browsers pick the right glyphs without editors marking each name by hand.
# Each edition's vocabulary entry says what a run of its script looks like (x-script): in English
# text a run of kana and kanji is Japanese (the data writes Chinese only in quotations and
# titles, which carry their language); in Japanese text two or more Latin words are English (one
# word, such as "AI" or "PTI", is left as it is). Set once per build from the vocabulary.
# For each edition's text: one pattern for a run of any other edition's script, and the
# language each of its groups stands for.
RUNS: dict[str, tuple[re.Pattern, list[str]]] = {}
TAG = re.compile(r"(<[^>]*>)")
VERBATIM = ("code", "pre", "script", "style")


def use_scripts(scripts: dict[str, str]) -> None:
    """Set each edition's script pattern (edition -> regular expression), from the vocabulary;
    the patterns each edition's text is searched with are compiled here, once."""
    RUNS.clear()
    for lang in scripts:
        others = [edition for edition in scripts if edition != lang and scripts[edition]]
        if others:
            RUNS[lang] = (re.compile("|".join(f"(?P<e{i}>{scripts[e]})"
                                              for i, e in enumerate(others))), others)


def mark_scripts(html: str, lang: str) -> str:
    """`html` (safe markup) with each run of another edition's script in its text wrapped in a
    span that names the run's language; tags, attributes and code are left as they are."""
    if lang not in RUNS:
        return html
    pattern, others = RUNS[lang]
    out, verbatim = [], 0
    for part in TAG.split(html):
        if part.startswith("<"):
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if name in VERBATIM:
                verbatim += -1 if part.startswith("</") else 1
            out.append(part)
        elif verbatim or not pattern.search(part):
            out.append(part)
        else:
            out.append(pattern.sub(lambda m: f'<span lang="{others[int(m.lastgroup[1:])]}">'
                                             f'{m.group(0)}</span>', part))
    return "".join(out)


def is_local(value: object, path: tuple = ()) -> bool:
    """Whether `value` is a text kept in each edition's language (a mapping from en: on); a
    quotation's translation is not (its own language has none)."""
    return isinstance(value, dict) and "en" in value and path[-1:] != ("translation",) and \
        all(isinstance(v, str) for v in value.values())


def is_quoted(value: object) -> bool:
    """Whether `value` is words quoted in their own language (a quotation, a government's
    wording, a deadline's words)."""
    return isinstance(value, dict) and "language" in value and "text" in value


def localize(value: Any, edition: str, untranslated: str, default: str = "en") -> Any:
    """A copy of `value` as `edition` shows it: each text in that edition's language (or the
    default's, labelled `untranslated`), quoted words in their own language with a translation
    into the edition's (None when they are in it already): this site's, or, when
    `translation_source` names one, a government's own published text."""
    if is_local(value):
        if edition in value:
            return Text(value[edition], edition, edition)
        return Text(value[default], default, edition, untranslated)
    if isinstance(value, dict):
        if is_quoted(value):
            out = {k: localize(v, edition, untranslated, default) for k, v in value.items()
                   if k not in ("text", "translation", "translation_sources")}
            out["translation_source"] = value.get("translation_sources", {}).get(edition, "")
            out["text"] = Text(value["text"], value["language"], edition)
            translation = value.get("translation", {})
            out["translation"] = None if value["language"] == edition else (
                Text(translation[edition], edition, edition) if edition in translation
                else Text(translation.get(default, ""), default, edition, untranslated)
                if translation.get(default) else None)
            return out
        return {k: localize(v, edition, untranslated, default) for k, v in value.items()}
    if isinstance(value, list):
        return [localize(v, edition, untranslated, default) for v in value]
    return value


def localize_records(records: dict[str, list[Record]], edition: str,
                     untranslated: str) -> dict[str, list[Record]]:
    """Each record with its values as `edition` shows them (the raw records are untouched).

    Sources' titles and authors are in the source's own language, except a title in square
    brackets, which is this site's description of a page without one, in English; publishers are
    named in English."""
    out: dict[str, list[Record]] = {}
    for name, recs in records.items():
        out[name] = []
        for record in recs:
            local = copy.copy(record)
            local.data = localize(record.data, edition, untranslated)
            if name == "sources":
                title = record.data["title"]
                language = "en" if title.startswith("[") else record.data["language"]
                local.data["title"] = Text(title, language, edition)
                for key in ("publisher", "rerun_of"):
                    if key in record.data:
                        local.data[key] = Text(record.data[key], "en", edition)
                if "author" in record.data:  # as the source writes the name
                    local.data["author"] = Text(record.data["author"], record.data["language"],
                                                edition)
            out[name].append(local)
    return out


# -- catalogs ----------------------------------------------------------------------------------

@dataclass
class Catalog:
    """One edition's interface: its messages (the templates' English, translated) and dates."""

    edition: str
    dates: dict[str, Any]
    messages: dict[str, Any] = field(default_factory=dict)  # empty for the default edition

    def gettext(self, message: str) -> str:
        found = self.messages.get(message, message)
        return found[0] if isinstance(found, list) else found

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        found = self.messages.get(singular)
        if found is None:
            return singular if number == 1 else plural
        if isinstance(found, list):  # a language with plural forms: [one, other]
            return found[0] if number == 1 else found[-1]
        return found

    def date(self, value: str, weekday: bool = False) -> str:
        """2026-01-16 as the edition writes it (16 January 2026, 2026年1月16日); a month
        (2000-08) or a year (2000) likewise; with its weekday when asked."""
        parts = value.split("-")
        if len(parts) == 1:
            return self.dates["year"].format(year=parts[0])
        names = {"year": parts[0], "month": int(parts[1]),
                 "month_name": self.dates["months"][int(parts[1]) - 1]}
        if len(parts) == 2:
            return self.dates["month"].format(**names)
        text = self.dates["day"].format(day=int(parts[2]), **names)
        if weekday:
            day = datetime.date.fromisoformat(value).weekday()
            text = self.dates["weekday"].format(date=text, weekday=self.dates["weekdays"][day])
        return text


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks an English message for the catalogs where it is written; it is translated where
    it is shown."""
    return message


PYTHON_KEYWORDS = ("_", "gettext", "ngettext", "N_")


def default_catalog() -> Catalog:
    """The default edition's catalog (English), read as it is: for tools and tests that render
    without a build (the build reads every catalog through `load_catalogs`, checked)."""
    data = yaml.safe_load((PACKAGE / "locale" / "en.yaml").read_text(encoding="utf-8"))
    return Catalog("en", data["dates"])


def messages_used(root: Path) -> dict[str, tuple[str, int]]:
    """Every message the interface uses, with the first file and line that uses it: `_()` and
    `ngettext()` in sitedata's templates, those and `gettext()` and `N_()` in its Python, and
    `t()` in the theme's overrides."""
    templates, python = _code_messages()
    found = dict(templates)
    for template in sorted((Path(root) / "overrides").rglob("*.html")):
        _extract_template(template, ("t",), root, found)
    for message, place in python.items():
        found.setdefault(message, place)
    return found


@functools.cache
def _code_messages() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, int]]]:
    """The messages of sitedata's own templates and Python, read once per process: they are the
    code, not the data (parsing them is about a third of a validation's time)."""
    templates: dict[str, tuple[str, int]] = {}
    for template in sorted((PACKAGE / "templates").glob("*.*")):
        _extract_template(template, ("_", "ngettext"), PACKAGE.parent, templates)
    python: dict[str, tuple[str, int]] = {}
    for module in sorted(PACKAGE.glob("*.py")):
        for node in _nodes(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) in PYTHON_KEYWORDS and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                python.setdefault(node.args[0].value, (_rel(module, PACKAGE.parent), node.lineno))
    return templates, python


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of `tree`, as `ast.walk` gives them, leaving out the mutants that `make
    mutation` (mutmut) writes beside each function as `x_<name>__mutmut_<n>`: their changed
    strings are not messages the interface uses (the original, `..._mutmut_orig`, is kept)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name \
                and not node.name.endswith("__mutmut_orig"):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) \
        else ""


def _rel(path: Path, root: Path) -> str:
    """`path` as the project names it: from `root`, or, for the code's own files when the data
    is elsewhere (a copy of the project), from the code's project."""
    for base in (Path(root), PACKAGE.parent):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _extract_template(path: Path, keywords: tuple[str, ...], root: Path,
                      found: dict[str, tuple[str, int]]) -> None:
    for message, line in _template_messages(path.read_bytes(), keywords):
        found.setdefault(message, (_rel(path, root), line))


@functools.lru_cache(maxsize=256)
def _template_messages(raw: bytes, keywords: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The messages in a template's bytes, with their lines: the theme's overrides are read on
    every validation, and parsing them again was a twentieth of its time on the real data."""
    messages = []
    for line, _function, message, _comments in jinja2.ext.babel_extract(
            io.BytesIO(raw), keywords, [], {"trim_blocks": "true", "lstrip_blocks": "true"}):
        first = message[0] if isinstance(message, tuple) else message
        if isinstance(first, str):
            messages.append((first, line))
    return tuple(messages)


_FIELD = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def load_catalogs(root: Path, editions: list[str], report: Report) -> dict[str, Catalog]:
    """Each edition's catalog, checked: dates complete, every message the interface uses
    translated (and nothing else), each translation with the same placeholders as its English."""
    catalogs: dict[str, Catalog] = {}
    used = messages_used(root) if len(editions) > 1 else {}
    for i, edition in enumerate(editions):
        rel = f"{LOCALE_DIR}/{edition}.yaml"
        doc = load_document(root, rel, report)
        if doc is None:
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        before = len(report)
        dates = data.get("dates")
        if not isinstance(dates, dict) or any(
                not isinstance(dates.get(k), str) for k in DATE_FORMATS) or not _names(
                dates.get("months"), 12) or not _names(dates.get("weekdays"), 7):
            report.add(rel, *doc.mark(("dates",) if isinstance(dates, dict) else ()),
                       "dates: needs " + ", ".join(DATE_FORMATS) + " (formats), months (12 names)"
                       " and weekdays (7 names, Monday first)")
        messages = data.get("messages") or {}
        if not isinstance(messages, dict):
            report.add(rel, *doc.mark(("messages",)), "messages: must be a mapping from each "
                       "English message to its translation")
            messages = {}
        if i > 0:
            _check_messages(doc, rel, messages, used, report)
        elif messages:
            report.add(rel, *doc.mark(("messages",), key=True), f"messages: the default edition "
                       f"({edition}) writes its messages in the templates; leave them out here")
        if len(report) == before:
            catalogs[edition] = Catalog(edition, dates, messages)
    return catalogs


DATE_FORMATS = ("day", "month", "year", "weekday")


def _names(value: object, count: int) -> bool:
    return isinstance(value, list) and len(value) == count and all(isinstance(v, str)
                                                                   for v in value)


def _check_messages(doc, rel: str, messages: dict, used: dict[str, tuple[str, int]],
                    report: Report) -> None:
    for message, (where, line) in used.items():
        if message not in messages:
            report.add(rel, *doc.mark(("messages",), key=True), f"no translation of '{message}' "
                       f"(used in {where}:{line}); add it under messages:")
    for message, translation in messages.items():
        if message not in used:
            report.add(rel, *doc.mark(("messages", message), key=True), f"'{message}' is not "
                       "used by any template; take it out")
            continue
        forms = translation if isinstance(translation, list) else [translation]
        if not forms or not all(isinstance(f, str) and f for f in forms):
            report.add(rel, *doc.mark(("messages", message)), f"'{message}': the translation "
                       "must be text (or a list of plural forms)")
            continue
        wanted = sorted(m.group(1) or m.group(2) for m in _FIELD.finditer(message))
        for form in forms:
            have = sorted(m.group(1) or m.group(2) for m in _FIELD.finditer(form))
            if have != wanted:
                report.add(rel, *doc.mark(("messages", message)), f"'{message}': the translation "
                           f"has placeholders {have or 'none'}, the English {wanted or 'none'}; "
                           "keep the same ones")
