"""Rendering is safe by construction: payloads fed straight to the renderers, bypassing validation,
come out inert (escaped text, no live tags, no unchecked links)."""

from __future__ import annotations

import datetime
import re

import pytest
from markupsafe import Markup

from conftest import ROOT
from sitedata.enrich import enrich
from sitedata.history import History
from sitedata.markup import markdown_escape, text_problems, url_problem
from sitedata.pipeline import validate
from sitedata.render import Renderer, Terms
from sitedata.views import Views


def render_inline(text: str, terms: Terms | None = None) -> Markup:
    """The inline filter the templates use, as the site builds it."""
    return Renderer(terms or Terms([])).env.filters["inline"](text)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "<iframe src=https://evil.example/></iframe>",
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    "[click](https://user:pw@evil.example/x)",
    "![pixel](https://evil.example/p.png)",
    "{{ config.repo_url }} {% include 'x' %}",
    "x\" onmouseover=\"alert(1)",
    "a | b\nc | d",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_inline_text_is_inert(payload):
    html = str(render_inline(payload))
    for tag in ("<script", "<img", "<iframe", "<svg"):
        assert tag not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith("https://") and "@" not in h for h in hrefs)
    assert "\n" not in html


def test_inline_allows_only_the_subset():
    html = render_inline("*a* **b** `c` [d](https://example.org/x)")
    assert html == Markup('<em>a</em> <strong>b</strong> <code>c</code> '
                          '<a href="https://example.org/x">d</a>')


def test_link_with_credentials_is_not_a_link():
    html = render_inline("[x](https://user:pw@evil.example/x)")
    assert "<a " not in html
    assert html == Markup("[x](https://user:pw@evil.example/x)")


def test_attribute_quotes_are_escaped():
    assert render_inline('x" onmouseover="y') == Markup("x&#34; onmouseover=&#34;y")


def test_glossary_terms_are_escaped_and_marked():
    terms = Terms([{"term": "Quad", "expansion": 'Quad "<b>"', "definition": "d"},
                   {"term": "R&D", "definition": "research"}])
    html = str(render_inline("The Quad & R&D <b>", terms))
    assert '<abbr title="Quad &#34;&lt;b&gt;&#34;">Quad</abbr>' in html
    assert '<abbr title="research">R&amp;D</abbr>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_terms_match_whole_words_only():
    terms = Terms([{"term": "Quad", "definition": "d"}])
    assert "<abbr" not in str(render_inline("Quadrilateral, Quad-core and quad", terms))


def test_the_longest_term_starting_at_a_place_wins():
    terms = Terms([{"term": "Quad", "definition": "a"}, {"term": "Quad Leaders", "definition": "b"},
                   {"term": "2+2", "definition": "c"}])
    assert list(terms.find("(Quad Leaders) Quad, 2+2x 2+2.")) == [
        (1, 13, "Quad Leaders"), (15, 19, "Quad"), (26, 29, "2+2")]
    # A longer term that is not whole words there gives way to the next longest that is.
    assert list(terms.find("Quad Leadersx")) == [(0, 4, "Quad")]
    shared = Terms([{"term": f"Joint {n}", "definition": "d"} for n in range(1, 200)]
                   + [{"term": "Joint", "definition": "d"}, {"term": "ジョイント", "definition": "d"}])
    assert list(shared.find("Joint 150, Joint 1500 and ジョイント")) == [
        (0, 9, "Joint 150"), (11, 16, "Joint"), (26, 31, "ジョイント")]


def test_markdown_heading_text_is_literal():
    assert markdown_escape("A *b* <i>|{#x}") == r"A \*b\* &lt;i&gt;\|\{\#x\}"
    # Quotes stay: an entity for ' would be escaped twice in the table of contents.
    assert markdown_escape("Japan's \"view\"") == "Japan's \"view\""


def _site(project):
    result = validate(project.root, datetime.date(2026, 11, 25))
    assert not result.report
    return enrich(result.records, result.vocabulary, result.schemas, datetime.date(2026, 11, 25),
                  History(reason="not read by this test"))


def test_citation_tooltip_escapes_source_fields(project):
    site = _site(project)
    site.sources["wire-report"].update(title='"><script>', publisher="<b>P</b>")
    views = Views(site, "https://github.com/o/r", root=ROOT)
    html = str(views.cite("wire-report"))
    assert "<script" not in html and "<b>" not in html
    assert 'href="#cite-note-1"' in html and "&#34;&gt;&lt;script&gt;" in html


def test_templates_escape_raw_records(project):
    """A record that skipped validation renders inert through the real templates."""
    site = _site(project)
    term = site.glossary[0]
    term["definition"] = "<script>alert(1)</script> [x](javascript:alert(1)) | pipe\nline"
    term["term"] = "<img src=x onerror=alert(1)>"
    for other in site.glossary:
        other["related"] = [term["id"]]  # every "See also" link shows the hostile term
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("glossary.md")
    html = str(views.glossary_list())
    assert html.count("See also: <a") == len(site.glossary)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
    assert 'href="javascript' not in html


def test_validation_refuses_what_rendering_neutralises():
    for payload in PAYLOADS[:10]:
        assert text_problems(payload), payload


def test_a_refused_link_target_is_quoted_to_its_first_60_characters():
    target = "http://example.org/" + "a" * 41 + "TAIL"
    assert text_problems(f"See [this]({target}).") == [
        f"link target '{target[:60]}' must use https://, not http:"]
    assert len(target[:60]) == 60 and target[:60].endswith("a")


@pytest.mark.parametrize("url,why", [
    ("https://example.org/a", None),
    ("https://example.org/", "is a home page; link the exact page that supports the statement"),
    ("https://example.org/index.html", "is a home page; link the exact page that supports the "
                                        "statement"),
    ("http://example.org/a", "must use https://, not http:"),
    ("https://example.org:8443/a", "must not name a port"),
    ("https://[::1]/a", "has no valid host name ('::1')"),
    ("https://localhost/a", "has no valid host name ('localhost')"),
])
def test_url_rules(url, why):
    assert url_problem(url, deep=True) == why


def test_inline_text_is_cut_into_the_pieces_of_the_subset():
    from sitedata.markup import Token, inline_tokens
    assert inline_tokens("  a  *b*\n**c** `d` [e](https://example.org/x) [f](http://x.org/y) g ") == [
        Token("text", "a "), Token("em", "b"), Token("text", " "), Token("strong", "c"),
        Token("text", " "), Token("code", "d"), Token("text", " "),
        Token("link", "e", "https://example.org/x"), Token("text", " "),
        Token("text", "[f](http://x.org/y)"), Token("text", " g")]
    assert inline_tokens("`x`") == [Token("code", "x")]
    assert inline_tokens("") == []
