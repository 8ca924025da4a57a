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
import jinja2.bccache
import markdown
from markupsafe import Markup

from .editions import Catalog, default_catalog, lang_span
from .markup import inline_tokens, markdown_escape

TEMPLATES = Path(__file__).parent / "templates"


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the life of the process: a build makes a new
    Jinja environment for each edition, and `mkdocs serve` builds again on every save, but
    each template is compiled once. Jinja keeps each one with a checksum of its source and
    compiles it again when the source has changed. The key is the template's name and file,
    not the environment's settings: one cache serves environments made alike."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()  # this package's templates (Renderer)
THEME_TEMPLATES = CompiledTemplates()  # the site theme's, which macros.py gives MkDocs

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
    """Finds glossary terms (case-sensitive) in text, for abbreviations.

    A term in Latin letters is found as whole words; one in Japanese script (which has no
    spaces between words) wherever it appears. Terms are looked up by their first word (or
    first character), then by length among the terms that share it: finding them takes time in
    proportion to the text, not to the number of terms (a regex with one branch per term tries
    every branch at every position, and trying each term that shares a first word grows the
    same way when many do, as "Joint ..." terms do); the longest term that starts at a place
    wins."""

    def __init__(self, glossary: list[dict]):
        self.titles = {str(g["term"]): plain_text(g.get("expansion") or g["definition"])
                       for g in glossary}
        by_first: dict[str, set[str]] = {}  # first word (or character) -> its terms
        firsts = set()
        for term in self.titles:
            word = _WORD.match(term)
            if word:
                by_first.setdefault(word.group(), set()).add(term)
            elif term and not term[0].isascii():  # Japanese script: by its first character
                firsts.add(term[0])
                by_first.setdefault(term[0], set()).add(term)
        # ... with the lengths of those terms, longest first
        self.starting = {first: (sorted({len(t) for t in terms}, reverse=True), terms)
                         for first, terms in by_first.items()}
        others = f"|[{re.escape(''.join(sorted(firsts)))}]" if firsts else ""
        self.starts = re.compile(_WORD_START.pattern + others)

    def find(self, text: str):
        """(start, end, term) for each glossary term in `text`, in order."""
        end = 0
        for word in self.starts.finditer(text):
            start = word.start()
            if start < end or word.group() not in self.starting:
                continue
            lengths, terms = self.starting[word.group()]
            for length in lengths:
                term = text[start:start + length]
                if term in terms and not (
                        _WORD.match(term[-1]) and _WORD_GOES_ON.match(text, start + length)):
                    yield start, start + length, term
                    end = start + length
                    break

    def segments(self, text: str) -> list[Segment]:
        out: list[Segment] = []
        pos = 0
        for start, end, term in self.find(text):
            if start > pos:
                out.append(Segment(text[pos:start]))
            out.append(Segment(term, self.titles[term]))
            pos = end
        if pos < len(text) or not out:
            out.append(Segment(text[pos:]))
        return out

    def definitions(self, text: str) -> list[tuple[str, str]]:
        """(term, meaning) for the terms used in `text`, for the abbreviations of prose written
        in a page (the abbr extension's time grows with the square of their number)."""
        return sorted({term: self.titles[term] for _, _, term in self.find(text)}.items())


# A term starts with an ASCII letter or digit, or with a character outside ASCII (the schema
# says so); one in Latin letters is a whole word: not preceded or followed by a letter, digit or
# hyphen.
_WORD = re.compile(r"[A-Za-z0-9]+")
_WORD_START = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9]+")
_WORD_GOES_ON = re.compile(r"[A-Za-z0-9-]")


@dataclass(frozen=True)
class Cite:
    """One citation mark: the source's number on the page, which use of it this is, and a tip."""

    number: int
    use: int
    tip: str


class Citations:
    """The sources one page cites, numbered in order of first use, Wikipedia-style."""

    def __init__(self, sources: dict[str, dict], catalog: Catalog | None = None):
        self.sources = sources
        self.catalog = catalog or default_catalog()
        self.language = self.catalog.edition  # the page's: a source in another language says which
        self.numbers: dict[str, int] = {}
        self.uses: dict[str, int] = {}

    def cite(self, ids: list[str]) -> list[Cite]:
        marks = []
        for source_id in ids:
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            self.uses[source_id] = self.uses.get(source_id, 0) + 1
            source = self.sources[source_id]
            tip = f"{source['title']} ({source['publisher']}, " \
                f"{self.catalog.date(source['published'])})"
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

    def __init__(self, terms: Terms, catalog: Catalog | None = None):
        self.terms = terms
        self.catalog = catalog = catalog or default_catalog()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=COMPILED,
            auto_reload=False,  # the environment lasts one build; the cache checks each source
        )
        self.env.install_gettext_callables(catalog.gettext, catalog.ngettext, newstyle=True)
        self.blocks: list[Markup] = []  # the current page's, by number (see block())
        self.stash = False  # whether blocks are placeholders (once a BlockStash puts them back)
        self.env.globals.update(tokens=self.tokens, block=self.block, edition=catalog.edition)
        self.env.filters.update(date=catalog.date, plain=plain_text,
                                md=lambda text: lang_span(text, markdown_escape(text)),
                                inline=self.inline)
        # The templates written once per record or statement are macros, called through their
        # template's module: rendering a template makes a new context (a copy of every global)
        # each time, which for a source list's citations and dates was a third of its time.
        self._inline = self.env.get_template("inline.html").module.inline
        self.record_meta = self.env.get_template("record_meta.html").module.record_meta
        self.cite = self.env.get_template("cite.html").module.cite

    def inline(self, text: str) -> Markup:
        """Inline Markdown from data as safe HTML, marked with its language when that is not
        the page's."""
        return lang_span(text, self._inline(text))

    def tokens(self, text: str) -> list[tuple]:
        """The inline pieces of a text, each with its glossary segments, for inline.html."""
        return [(token, self.terms.segments(token.text)) for token in inline_tokens(text)]

    def render(self, template: str, **values) -> Markup:
        """One HTML template's output on a single block with no blank lines (Markdown keeps
        such a block as raw HTML)."""
        html = self.env.get_template(template).render(**values)
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))

    def block(self, template: str, **values) -> Markup:
        """One HTML template's output as a block of a Markdown page: a line that stands for it,
        which the page's Markdown (see block_stash) replaces with the HTML as it is. Python-Markdown
        would otherwise parse every tag of it twice (to find where the raw block ends, and for
        MkDocs, the ids in it) and keep it unchanged: about a quarter of a build."""
        html = self.render(template, **values)
        if not html or not self.stash:  # nothing to show (no line either), or nothing to put
            return html                 # it back in the page: the HTML itself
        self.blocks.append(html)
        return Markup(_BLOCK.format(len(self.blocks) - 1))

    def block_stash(self) -> BlockStash:
        """The Markdown extension that puts this renderer's blocks back in each page; from
        now on, blocks are placeholders."""
        self.stash = True
        return BlockStash(self)

    def render_markdown(self, template: str, **values) -> str:
        """A Markdown template's output (headings for the table of contents, HTML blocks)."""
        return self.env.get_template(template).render(**values)


_BLOCK = "<!--sitedata-block-{}-->"
_BLOCK_LINE = re.compile(r"<!--sitedata-block-(\d+)-->")


class BlockStash(markdown.Extension):
    """A Python-Markdown extension that puts each block of `renderer` (Renderer.block) in
    place of the line standing for it, as raw HTML that Markdown passes through untouched: the
    same output as a raw HTML block, without parsing it. Before MkDocs's and Markdown's own
    raw-HTML preprocessors (priorities 21 and 20), after whitespace is normalised (30)."""

    def __init__(self, renderer: Renderer):
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's name
        md.preprocessors.register(_StashBlocks(md, self.renderer), "sitedata_blocks", 25)


class _StashBlocks(markdown.preprocessors.Preprocessor):
    def __init__(self, md: markdown.Markdown, renderer: Renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            found = _BLOCK_LINE.fullmatch(line)
            if found:
                # With the line break after it, as Markdown keeps a raw block.
                html = self.renderer.blocks[int(found.group(1))] + "\n"
                out.append(self.md.htmlStash.store(html))
            else:  # a block written inside a line of text: the HTML itself, parsed as before
                out.append(_BLOCK_LINE.sub(lambda m: self.renderer.blocks[int(m.group(1))], line))
        return out
