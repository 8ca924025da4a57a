"""A plain Material site with the same text as the built one, the yardstick of `make audit`.

    python tools/plain_site.py [--site site] [--out DIR]

For each edition, a temporary MkDocs project: Material's default theme (its own fonts off, as
ours, so that nothing loads from another host), its search plugin with Material's default
settings for the edition's language, no features, no extensions beyond MkDocs' defaults, the
same page tree with the same titles, and one page per built page whose text is that page's
main text (its <article>) turned into plain Markdown: headings as headings, every other block
(paragraph, list item, table cell, definition…) as a paragraph or list item of plain text. No
glossary abbreviations, tooltips, citations' links, graphics or interface of ours: what is left
is what a reader of a plain Material site with the same words would download and run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import lxml.html
import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "summary",
                     "pre", "blockquote", "div", "section", "ul", "ol", "dl", "table", "thead",
                     "tbody", "tr", "details", "figure", "nav", "header", "footer", "aside",
                     "article", "form", "hr", "br"}
DROPPED = {"script", "style", "svg", "noscript", "template", "button", "input", "select"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _has_block(el) -> bool:
    return any(child.tag in BLOCKS for child in el.iterdescendants()
               if isinstance(child.tag, str))


def markdown_of(article) -> str:
    """The article's text as plain Markdown."""
    for el in list(article.iter()):
        if not isinstance(el.tag, str) or el.tag in DROPPED or (
                el.tag == "a" and "headerlink" in (el.get("class") or "")):
            el.drop_tree()
    out: list[str] = []

    def flush(buffer: list[str], bullet: bool = False) -> None:
        text = " ".join("".join(buffer).split())
        if text:
            out.append(("- " if bullet else "") + MARKDOWN_SPECIAL.sub(r"\\\1", text))
        buffer.clear()

    def walk(el) -> None:
        if el.tag in HEADINGS:
            text = _text(el)
            if text:
                out.append("#" * int(el.tag[1]) + " " + MARKDOWN_SPECIAL.sub(r"\\\1", text))
            return
        bullet = el.tag == "li"
        buffer = [el.text or ""]
        for child in el:
            if child.tag in BLOCKS or _has_block(child):
                flush(buffer, bullet)
                walk(child)
            else:
                buffer.append(_text(child) + " ")
            buffer.append(child.tail or "")
        flush(buffer, bullet)

    walk(article)
    return "\n\n".join(out) + "\n"


def _nav(config_file: Path) -> list:
    """The `nav:` of an mkdocs file (read alone: the rest has tags plain YAML does not know)."""
    text = config_file.read_text(encoding="utf-8")
    return yaml.safe_load(text[re.search(r"^nav:", text, re.M).start():])["nav"]


def _files(nav: list) -> list[str]:
    files = []
    for item in nav:
        for value in item.values():
            files += _files(value) if isinstance(value, list) else [value]
    return files


def build(site: Path, out: Path) -> Path:
    """Build the plain site into `out` (the English edition at its root, each other edition in
    its folder, as ours); return `out`."""
    editions = [("en", "", ROOT / "mkdocs.yml")] + [
        (f.stem.split(".")[1], f.stem.split(".")[1] + "/", f)
        for f in sorted(ROOT.glob("mkdocs.*.yml"))]
    site_url = re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]',
                         (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    with tempfile.TemporaryDirectory(prefix="plain-") as tmp:
        for lang, folder, config_file in editions:
            project = Path(tmp) / (lang or "en")
            docs = project / "docs"
            nav = _nav(config_file)
            names = _files(nav)
            # And the pages the data adds, not in the navigation (hooks.py: sources/2/…).
            other_folders = tuple(f for e, f, _c in editions if e != lang and f)
            names += sorted(
                rel + ".md" for built in (site / folder).rglob("*/index.html")
                for rel in [built.parent.relative_to(site / folder).as_posix()]
                if rel + ".md" not in names and not (rel + "/").startswith(other_folders))
            for name in names:
                built = site / folder / ("index.html" if name == "index.md" else
                                         name[:-3] + "/index.html")
                tree = lxml.html.fromstring(built.read_bytes())
                article = tree.find(".//article")
                target = docs / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(markdown_of(article), encoding="utf-8")
            config = {
                "site_name": "Plain " + lang, "site_url": site_url + folder,
                "theme": {"name": "material", "language": lang, "font": False},
                "plugins": ["search"], "nav": nav, "use_directory_urls": True,
            }
            (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                                encoding="utf-8")
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir",
                            str(out / folder)], cwd=project, check=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--out", default=str(ROOT / "reports" / "plain-site"))
    args = parser.parse_args()
    print(build(Path(args.site), Path(args.out)))


if __name__ == "__main__":
    main()
