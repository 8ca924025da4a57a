"""Render stage, last step: fix the few things Material's own templates write that the W3C Nu
HTML checker rejects, in every built page, after MkDocs has written them.

    autocomplete="off" on checkbox inputs    (allowed on text-like inputs only)
    autocorrect="off" on the search input    (not an HTML attribute)
    tabindex="" on navigation labels         (an empty tabindex is not an integer)
    for="__toc" with no __toc toggle         (a page not in the navigation: the sources'
                                              further pages, which have no toggle to name)

and the one axe finds: the search dialog has no accessible name (aria-dialog-name).

Why here and not in template overrides: these sit outside every block of Material's base.html
or deep in its partials, so overriding them means copying whole templates that change with each
Material release. These fixes touch only those attributes.
"""

from __future__ import annotations

import re
from pathlib import Path

_INPUT = re.compile(r"<input\b[^>]*>")
_CHECKBOX = re.compile(r'\btype="checkbox"')


def _fix_input(match: re.Match) -> str:
    tag = match.group(0).replace(' autocorrect="off"', "")
    if _CHECKBOX.search(tag):
        tag = tag.replace(' autocomplete="off"', "")
    return tag


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED_SEARCH_DIALOG = _SEARCH_DIALOG[:-1] + ' aria-label="Search">'


def fix_html(html: str) -> str:
    html = html.replace(_SEARCH_DIALOG, _NAMED_SEARCH_DIALOG)
    if ' id="__toc"' not in html:
        html = html.replace(' for="__toc"', "")
    return _INPUT.sub(_fix_input, html).replace(' tabindex=""', "")


def fix_site(site_dir: Path) -> int:
    """Rewrite every HTML page under site_dir that needs it; return how many pages changed."""
    changed = 0
    for path in Path(site_dir).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        fixed = fix_html(html)
        if fixed != html:
            path.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
