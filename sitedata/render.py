"""Render stage: prepared values in, safe HTML and Markdown out, through small Jinja templates.

Templates in sitedata/templates/ run in their own Jinja environment with autoescaping and
strict undefined variables, so any text from data is escaped. Python decides what to show;
the templates only loop over prepared values and write the markup. `Citations` numbers the
sources a page cites, in order of first use; `Terms` finds glossary terms in data text, which
the inline template marks as abbreviations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .markup import inline_tokens, markdown_escape

TEMPLATES = Path(__file__).parent / "templates"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def human_date(value: str) -> str:
    """2026-01-16 → 16 January 2026; 2000-08 → August 2000; 2000 → 2000."""
    parts = value.split("-")
    if len(parts) == 1:
        return value
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def plain_text(text: str) -> str:
    """Text without its inline Markdown, for attributes such as title and meta descriptions."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*`]", "", text).split())


@dataclass(frozen=True)
class Segment:
    """A run of plain text; `title` is set when it is a glossary term (its meaning)."""

    text: str
    title: str = ""


class Terms:
    """Finds glossary terms (case-sensitive, whole words) in text, for abbreviations."""

    def __init__(self, glossary: list[dict]):
        self.titles = {g["term"]: plain_text(g.get("expansion") or g["definition"])
                       for g in glossary}
        # One pattern, built once; longest terms first so that a term inside a longer one
        # is not matched instead of it.
        terms = sorted(map(re.escape, self.titles), key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(terms) + r")(?![\w-])") \
            if terms else None

    def segments(self, text: str) -> list[Segment]:
        if self.pattern is None:
            return [Segment(text)]
        out: list[Segment] = []
        pos = 0
        for match in self.pattern.finditer(text):
            if match.start() > pos:
                out.append(Segment(text[pos:match.start()]))
            out.append(Segment(match.group(1), self.titles[match.group(1)]))
            pos = match.end()
        if pos < len(text) or not out:
            out.append(Segment(text[pos:]))
        return out

    def definitions(self) -> list[tuple[str, str]]:
        """(term, meaning) pairs, for the abbreviations of prose written in pages."""
        return sorted(self.titles.items())


@dataclass(frozen=True)
class Cite:
    """One citation mark: the source's number on the page, which use of it this is, and a tip."""

    number: int
    use: int
    tip: str


class Citations:
    """The sources one page cites, numbered in order of first use, Wikipedia-style."""

    def __init__(self, sources: dict[str, dict], language: str = "en"):
        self.sources = sources
        self.language = language  # the page's: a source in another language says which
        self.numbers: dict[str, int] = {}
        self.uses: dict[str, int] = {}

    def cite(self, ids: list[str]) -> list[Cite]:
        marks = []
        for source_id in ids:
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            self.uses[source_id] = self.uses.get(source_id, 0) + 1
            source = self.sources[source_id]
            tip = f"{source['title']} ({source['publisher']}, {human_date(source['published'])})"
            marks.append(Cite(number, self.uses[source_id], tip))
        return marks

    def entries(self) -> list[dict]:
        """The reference list: each source once, with links back to each of its uses (lettered
        a, b, c… when there are several, as Wikipedia does)."""
        return [{"number": n, "source": self.sources[i],
                 "other_language": self.sources[i]["language"] != self.language,
                 "backlinks": [(use, _letter(use)) for use in range(1, self.uses[i] + 1)]}
                for i, n in sorted(self.numbers.items(), key=lambda item: item[1])]


def _letter(use: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[use - 1] if use <= 26 else str(use)


class Renderer:
    """Owns the template environment; one per build."""

    def __init__(self, terms: Terms):
        self.terms = terms
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(tokens=self.tokens, block=self.render)
        self.env.filters.update(date=human_date, plain=plain_text,
                                md=lambda text: Markup(markdown_escape(text)))
        self.env.filters["inline"] = self.env.get_template("inline.html").module.inline

    def tokens(self, text: str) -> list[tuple]:
        """The inline pieces of a text, each with its glossary segments, for inline.html."""
        return [(token, self.terms.segments(token.text)) for token in inline_tokens(text)]

    def render(self, template: str, **values) -> Markup:
        """One HTML template's output on a single block with no blank lines (Markdown keeps
        such a block as raw HTML)."""
        html = self.env.get_template(template).render(**values)
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))

    def render_markdown(self, template: str, **values) -> str:
        """A Markdown template's output (headings for the table of contents, HTML blocks)."""
        return self.env.get_template(template).render(**values)
