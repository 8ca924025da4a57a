"""Render stage: prepared values in, safe HTML out, through small Jinja templates.

Templates in sitedata/templates/ run in their own Jinja environment with autoescaping and
strict undefined variables, so any text from data is escaped unless it went through
`render_inline`. `Citations` numbers the sources a page cites, in order of first use, and renders
its reference list; `Terms` marks glossary terms in data text as abbreviations.
"""

from __future__ import annotations

import datetime
import re
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .markup import render_inline

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


class Terms:
    """Marks glossary terms in already-escaped text as <abbr> with their meaning as the title."""

    def __init__(self, glossary: list[dict], glossary_url: str = ""):
        self.titles = {g["term"]: plain_text(g.get("expansion") or g["definition"])
                       for g in glossary}
        self.glossary_url = glossary_url

    @cached_property
    def pattern(self) -> re.Pattern | None:
        if not self.titles:
            return None
        terms = sorted((re.escape(str(escape(t))) for t in self.titles), key=len, reverse=True)
        return re.compile(r"(?<![\w&-])(" + "|".join(terms) + r")(?![\w-])")

    def __call__(self, text: str) -> Markup:
        escaped = str(escape(text))
        if self.pattern is None:
            return Markup(escaped)
        by_escaped = {str(escape(t)): title for t, title in self.titles.items()}
        return Markup(self.pattern.sub(
            lambda m: str(Markup('<abbr title="%s">') % by_escaped[m.group(1)])
            + m.group(1) + "</abbr>", escaped))

    def definitions(self) -> str:
        """The same glossary as Markdown abbreviation definitions, for prose written in pages."""
        return "\n".join(f"*[{term}]: {title}" for term, title in sorted(self.titles.items()))


class Citations:
    """The sources one page cites, numbered in order of first use, Wikipedia-style."""

    def __init__(self, sources: dict[str, dict], source_url: str):
        self.sources = sources
        self.source_url = source_url  # link to the sources page, relative to the current page
        self.numbers: dict[str, int] = {}
        self.uses: dict[str, int] = {}

    def cite(self, ids: list[str]) -> Markup:
        links = []
        for source_id in ids:
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            self.uses[source_id] = self.uses.get(source_id, 0) + 1
            source = self.sources.get(source_id, {"title": source_id, "publisher": "unknown",
                                                  "published": ""})
            tip = f"{source['title']} ({source['publisher']}"
            tip += f", {human_date(source['published'])})" if source["published"] else ")"
            links.append(Markup('<a id="cite-ref-%s-%s" href="#cite-note-%s" title="%s">'
                                '[%s]</a>') % (number, self.uses[source_id], number, tip, number))
        return Markup('<sup class="ij-cite">%s</sup>') % Markup("").join(links)

    def entries(self) -> list[dict]:
        return [{"number": n, "id": i, "source": self.sources.get(i), "uses": self.uses[i]}
                for i, n in sorted(self.numbers.items(), key=lambda item: item[1])]


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
        self.env.filters["inline"] = lambda text: render_inline(text, self.terms)
        self.env.filters["date"] = human_date
        self.env.filters["plain"] = plain_text

    def render(self, template: str, **values) -> Markup:
        """One template's HTML, on a single block with no blank lines (Markdown keeps it raw)."""
        html = self.env.get_template(template).render(**values)
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def today_iso(day: datetime.date) -> str:
    return day.isoformat()
