"""Text markup rules, shared by validation (refuse) and rendering (escape).

Data text is Markdown-inline at most: *emphasis*, **strong**, `code` and [links](https://…).
`text_problems` lists what validation refuses in a text; `inline_tokens` cuts any text into the
pieces of that subset, which the template templates/inline.html renders as escaped HTML, so that
rendering stays safe even for data that skipped validation.

Why hand-written rather than a Markdown library: the site needs a deliberately tiny subset whose
every output passes through markupsafe's escaping, and whose links are only checked https URLs;
a full Markdown parser would have to be configured down to that and still pass raw HTML through.
(Python-Markdown, which MkDocs uses, has no switch for raw HTML.)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_HOME_PAGES = ("", "index.html", "index.htm", "index.php")
# Every rule below needs one of these characters ('#' only beside '{' or '}').
may_have_markup = re.compile(r"[<{}!\[\]]").search
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
_TOKEN = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\[(?P<label>[^\[\]\n]+)\]\((?P<url>[^)\s]*)\)"  # no [ in a label: linear on "[[[["
    r"|\*\*(?P<strong>[^*\n]+)\*\*"
    r"|\*(?P<em>[^*\n]+)\*"
)
_TEXT_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"<[A-Za-z/!?][^\s>]*"),
     "raw HTML ({found}) is not allowed in data; write plain text or Markdown"),
    (re.compile(r"\{\{|\{%|\{#|%\}|\}\}|#\}"),
     "template syntax ({found}) is not allowed in data: the site's macro engine would run it"),
    (re.compile(r"!\["),
     "Markdown images ({found}) are not allowed: the site loads nothing from other hosts"),
    # Horizontal space and one line only: with \s and [^\]] a text of many line breaks took
    # time growing with the square of its length (a 256 kB value, minutes).
    (re.compile(r"(?m)^[ \t]*\[[^\]\n]+\]:"),
     "reference-style link definitions ({found}) are not allowed; write [text](https://...)"),
)


def url_problem(url: str, deep: bool = False) -> str | None:
    """Why `url` is not a safe https link (None when it is); `deep` also refuses home pages."""
    if not url.isascii() or _SPACE_OR_CONTROL.search(url):
        return "must be written in ASCII with no spaces (percent-encode other characters)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a well-formed URL"
    if parts.scheme.lower() != "https":
        scheme = parts.scheme or "no scheme"
        return f"must use https://, not {scheme if scheme == 'no scheme' else scheme + ':'}"
    if "@" in parts.netloc:  # a user name or password is always followed by one
        return "must not carry a user name or password"
    host = (parts.hostname or "").lower()
    if not _HOST.fullmatch(host):
        return f"has no valid host name ('{host}')"
    if port not in (None, 443):
        return "must not name a port"
    if deep and parts.path.strip("/") in _HOME_PAGES and not parts.query:
        return "is a home page; link the exact page that supports the statement"
    return None


def text_problems(text: str) -> list[str]:
    """Every reason this text is refused (empty when it is fine)."""
    if not may_have_markup(text):  # most text: no character any rule below looks for
        return []
    problems = [template.format(found=f"'{m.group(0)}'")
                for pattern, template in _TEXT_RULES for m in [pattern.search(text)] if m]
    for match in re.finditer(r"\]\(\s*([^)\s]*)", text):
        why = url_problem(match.group(1))
        if why:
            problems.append(f"link target '{match.group(1)[:60]}' {why}")
    return problems


@dataclass(frozen=True)
class Token:
    """One piece of an inline text: plain text, `code`, a link, **strong** or *emphasis*.
    `text` is the piece's own text (a link's label); `url` a link's checked target."""

    kind: str  # "text", "code", "link", "strong" or "em"
    text: str
    url: str = ""


def inline_tokens(text: str) -> list[Token]:
    """A text cut into the pieces of the Markdown-inline subset; templates/inline.html renders
    them. Anything outside the subset, and a link to a target that is not a safe https URL,
    stays plain text (escaped when rendered), so this is safe for data that skipped validation."""
    out: list[Token] = []
    pos = 0
    text = " ".join(text.split())
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            out.append(Token("text", text[pos:match.start()]))
        pos = match.end()
        if match["code"] is not None:
            out.append(Token("code", match["code"]))
        elif match["label"] is not None:
            if url_problem(match["url"]) is None:
                out.append(Token("link", match["label"], match["url"]))
            else:  # never a link to an unchecked target
                out.append(Token("text", match.group(0)))
        elif match["strong"] is not None:
            out.append(Token("strong", match["strong"]))
        else:
            out.append(Token("em", match["em"]))
    if pos < len(text):
        out.append(Token("text", text[pos:]))
    return out


def markdown_escape(text: str) -> str:
    """Text made literal for a Markdown heading: HTML escaped, Markdown punctuation escaped."""
    text = " ".join(text.split())
    # Quotes stay as they are: an entity for ' ends up double-escaped in the table of contents.
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~])", r"\\\1", text)
