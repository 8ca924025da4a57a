"""Every page in real Chromium: no console errors, no request off the site, axe-core's
accessibility rules in both colour schemes, no sideways scrolling on a phone; then search, the
colour toggle, citations, print and tables. Each page is opened once for the first four, in a
tab each worker reuses (tests/browser_fixtures.py: tab); the tests that click, hover, type or
store something get a new context each."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest

from browser_fixtures import COLOUR_RULES, run_axe

pytestmark = pytest.mark.browser

ENGLISH = ["", "visit/", "outcomes/", "claims/", "quad/", "economic-security/", "china/",
           "timeline/", "people/", "glossary/", "sources/", "sources/3/", "data/", "about/",
           "corrections/", "changes/", "searches/", "contribute/", "no-such-page/"]
PAGES = ENGLISH + ["ja/" + path for path in ENGLISH]  # the Japanese edition passes every bar
MISSING = ("no-such-page/", "ja/no-such-page/")


def _open(context, url, wait_until="networkidle"):
    """Open a page, recording console errors, script errors and requests to other hosts."""
    seen = {"errors": [], "offsite": []}
    page = context.new_page()
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host not in ("127.0.0.1", None):
            seen["offsite"].append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    page.goto(url, wait_until=wait_until)
    return page, seen


@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_accessible_in_both_schemes_and_fits_a_phone(tab, site_url, path):
    page, seen = tab.open(site_url + path, "load", color_scheme="light")
    assert page.title()
    # Every rule on the whole page, but the colour rules (nine tenths of axe's time) on all but
    # the tails of lists, whose items come from the same template as the first five, and on
    # Material's frame only on the home page and the 404 page (it is the same everywhere);
    # make audit runs every rule on everything, in both schemes.
    frame = path in ("", "ja/") + MISSING
    problems = {"light": run_axe(page, skip=COLOUR_RULES)
                + run_axe(page, COLOUR_RULES, sample=True, frame=frame)}
    # The dark scheme, set as Material's toggle sets it (the toggle itself is tested below; a
    # click would leave its tooltip fading in while axe measures contrast). The colours fade
    # over 0.25 s: the fades are taken to their end, and axe measures once none is left.
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.evaluate("document.getAnimations().forEach(a => a.finish())")
    page.wait_for_function("document.getAnimations().length === 0")
    problems["dark"] = run_axe(page, COLOUR_RULES, sample=True, frame=frame)
    assert problems == {"light": [], "dark": []}, json.dumps(problems, indent=1)
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path or 'home'} is {width}px wide at 360px"
    page.wait_for_load_state("networkidle")  # anything the page requests after it has loaded
    # The one error a missing page may log is its own 404 status.
    expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert seen["errors"] == (expected if path in MISSING else [])
    assert seen["offsite"] == []


@pytest.mark.parametrize("path", ["glossary/", "ja/contribute/"])
def test_long_tables_meet_the_colour_rules_in_full(tab, site_url, path):
    """The colour rules on every row of the longest tables, as make audit runs them: rows off
    the screen are laid out only when they come near it (extra.css), and axe, measuring what
    is painted where a text is, took their background for Material's dark footer unless
    run_axe lays them out first."""
    page, _ = tab.open(site_url + path, "load", color_scheme="light")
    assert run_axe(page, COLOUR_RULES) == []


# A list of sources (whose entries are the tallest), the glossary's table of names in the middle
# of its page, and the field tables.
@pytest.mark.parametrize("path", ["ja/sources/", "glossary/", "ja/contribute/"])
def test_a_long_list_not_yet_shown_does_not_reach_into_the_footer(tab, site_url, path):
    """On a phone, as Lighthouse's axe sees a page on load: the items of long lists not yet
    laid out take an estimated height (extra.css); content much taller than that stands over
    what follows, and near the page's end over the footer, where axe measures its colours
    against the footer's. Each page here ends with long lists or tables."""
    page, _ = tab.open(site_url + path, "load", color_scheme="light")
    page.set_viewport_size({"width": 412, "height": 823})  # Lighthouse's phone
    deferred = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
      .filter(e => getComputedStyle(e).contentVisibility === 'auto')
      .map(e => e.setAttribute('data-ij-deferred', '')).length""")
    assert deferred > 1
    assert run_axe(page, ["color-contrast"], lay_out=False, only="[data-ij-deferred]") == []


def _search(page, words):
    """Type into Material's search box as a person does (Material searches on key events;
    Playwright types Japanese without them, so End makes one) and wait for the answer."""
    page.keyboard.type(words)
    page.keyboard.press("End")
    _wait_for_results(page, words)


def _wait_for_results(page, words):
    """Wait for the answer to the whole of `words`: the results' addresses carry the words
    searched for (?h=)."""
    page.wait_for_function("""w => [...document.querySelectorAll('.md-search-result__item a')]
      .some(a => new URL(a.href).searchParams.get('h') === w)""", arg=words, timeout=15000)


def test_search_finds_the_quad(context_factory, site_url):
    page, seen = _open(context_factory(), site_url)
    page.click("input[data-md-component='search-query']")
    _search(page, "Quad")
    results = page.locator(".md-search-result__item")
    assert results.count() > 0
    assert "Quad" in page.locator(".md-search-result").inner_text()
    # Highlighted, and only what was searched for: not the words of the searches made on the
    # way, one per key (the worker answers one search at a time).
    marks = page.locator(".md-search-result mark").all_text_contents()
    assert marks and all("quad" in mark.lower() for mark in marks), \
        [mark for mark in marks if "quad" not in mark.lower()]
    # Each page found: its title, then at most three of its sections that hold the words (not
    # the page's own title again), the rest folded under "more on this page".
    groups = results.evaluate_all("""items => items.map(item => ({
      title: item.querySelector('h1').textContent,
      shown: [...item.querySelectorAll(':scope > a h2')].map(h => h.textContent),
      folded: item.querySelectorAll('details a').length}))""")
    assert all(len(g["shown"]) <= 3 and g["title"] not in g["shown"] for g in groups), groups
    assert any(g["folded"] for g in groups), groups
    # Material's suggestion, taken with the right arrow key, completes the last word typed.
    page.keyboard.press("Control+a")
    page.keyboard.type("qua")
    page.wait_for_function("() => document.querySelector("
                           "'[data-md-component=search-suggest]').textContent.includes('quad')")
    assert seen["errors"] == [] and seen["offsite"] == []


def test_search_results_show_the_pages_text_as_text(context_factory, site_url):
    """Pagefind's excerpts are the pages' words, with only < and > escaped: "<publisher>" (how
    to name a source's file, on the contribute page) must show as written, neither as an
    element nor escaped twice, and "&" as written."""
    page, seen = _open(context_factory(), site_url)
    page.click("input[data-md-component='search-query']")
    _search(page, "publisher id")
    assert "<publisher>" in page.locator(".md-search-result").text_content()
    assert page.locator(".md-search-result publisher").count() == 0
    assert seen["errors"] == [] and seen["offsite"] == []


def test_a_search_that_could_not_reach_pagefind_is_tried_again(context_factory, site_url):
    """Offline for a moment: the first search cannot download Pagefind; the next one does."""
    page = context_factory().new_page()
    failed = []

    def fail_once(route):
        if failed:
            route.continue_()
        else:
            failed.append(route.request.url)
            route.abort()

    page.route("**/pagefind/pagefind.js*", fail_once)
    page.goto(site_url + "visit/", wait_until="networkidle")
    page.click("input[data-md-component='search-query']")
    page.keyboard.type("Q")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                           ".textContent.includes('No matching')", timeout=15000)
    assert len(failed) == 1
    page.keyboard.type("uad")
    _wait_for_results(page, "Quad")


def _pagefind_requests(page) -> list[str]:
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/pagefind/" in urlsplit(r.url).path
            else None)
    return requests


def test_a_search_typed_on_downloads_only_the_last_ones_pages(context_factory, site_url):
    """Material asks for a search on every key: while Pagefind arrives, each key's waits, and
    of those only the last one's pages are downloaded (c finds nearly every page)."""
    page = context_factory().new_page()
    requests = _pagefind_requests(page)
    held = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(site_url + "visit/", wait_until="networkidle")
    page.click("input[data-md-component='search-query']")
    page.keyboard.type("critical minerals")
    page.wait_for_timeout(300)
    held[0].continue_()
    _wait_for_results(page, "critical minerals")
    page.wait_for_load_state("networkidle")
    found = int(page.locator(".md-search-result__meta").inner_text().split()[0])
    fragments = sum("/pagefind/fragment/" in url for url in requests)
    assert 0 < fragments <= found, (fragments, found)


@pytest.mark.parametrize("opens", ["click", "shortcut"])
def test_the_search_downloads_only_what_a_search_needs(context_factory, site_url, opens):
    """Not with every page: Pagefind's script once the reader types, then the parts of the
    index that hold the words, and the pages shown (search-worker.js). Opening the search
    again and searching again downloads no second copy of anything."""
    page = context_factory().new_page()
    requests = _pagefind_requests(page)
    page.goto(site_url + "visit/", wait_until="networkidle")
    assert requests == []
    if opens == "click":
        page.click("input[data-md-component='search-query']")
    else:
        page.keyboard.press("/")  # Material's shortcut
    page.wait_for_timeout(300)
    assert requests == []  # opened, nothing typed yet
    found = 0  # pages found, each of whose text (a fragment of Pagefind's) is downloaded
    for words in ("dialogue", "critical minerals"):
        _search(page, words)
        page.wait_for_load_state("networkidle")
        found += int(page.locator(".md-search-result__meta").inner_text().split()[0])
        page.keyboard.press("Escape")
        page.keyboard.press("s")  # opened again
        page.keyboard.press("Control+a")
    paths = [urlsplit(url).path.removeprefix(urlsplit(site_url).path) for url in requests]
    assert paths.count("pagefind/pagefind.js") == 1
    assert len(paths) == len(set(paths)), paths
    assert any(path.startswith("pagefind/index/en_") for path in paths)
    fragments = sum(path.startswith("pagefind/fragment/en_") for path in paths)
    assert 0 < fragments <= found, (fragments, found)


def test_what_is_typed_before_pagefind_arrives_is_searched_for(context_factory, site_url):
    page = context_factory().new_page()
    held = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))  # until typed
    page.goto(site_url + "ja/", wait_until="load")
    page.click("input[data-md-component='search-query']")
    page.keyboard.type("クアッド")
    page.keyboard.press("End")
    page.wait_for_timeout(500)
    assert len(held) == 1 and page.locator(".md-search-result__item").count() == 0
    held[0].continue_()
    _wait_for_results(page, "クアッド")
    assert "見つかりました" in page.locator(".md-search-result__meta").inner_text()


@pytest.mark.parametrize("link, found", [("quad/?q=Quad", ".md-search-result__item"),
                                         ("quad/?h=Quad", "article mark"),
                                         ("ja/quad/?h=クアッド", "article mark")])
def test_a_search_link_works(context_factory, site_url, link, found):
    """A shared search (?q=) opens the search with its results; a result's page (?h=)
    highlights the words, without Pagefind: in Japanese too, where no space sets them off, the
    words whole (not each of their characters wherever it stands)."""
    page = context_factory().new_page()
    requests = _pagefind_requests(page)
    page.goto(site_url + link, wait_until="load")
    page.locator(found).first.wait_for(timeout=15000)
    assert bool(requests) == ("?q=" in link)
    if "?h=" in link:
        words = link.split("?h=")[1].lower()
        marks = page.locator("article mark").all_text_contents()
        assert marks and all(mark.lower() == words for mark in marks), marks


def test_colour_toggle_switches_between_light_and_dark(context_factory, site_url):
    """Our script works Material's toggle (overrides/assets/javascripts/palette.js): the body's
    scheme, the page's own (its scroll bars), the browser's theme colour (the header's), the
    button that shows, the choice remembered; by mouse and by keyboard."""
    page, seen = _open(context_factory(color_scheme="light"), site_url)
    state = """() => ({
      scheme: document.body.getAttribute('data-md-color-scheme'),
      page: getComputedStyle(document.documentElement).colorScheme,
      theme: document.querySelector('meta[name=theme-color]').content,
      header: getComputedStyle(document.querySelector('header')).backgroundColor
        .match(/\\d+/g).slice(0, 3).map(c => (+c).toString(16).padStart(2, '0')).join(''),
      shown: [...document.querySelectorAll('form[data-ij-palette] label')]
        .filter(l => !l.hidden).map(l => l.htmlFor)})"""
    light = page.evaluate(state)
    assert light["scheme"] == "default" and light["page"] != "dark"
    assert light["theme"] == "#" + light["header"]
    assert light["shown"] == ["__palette_1"]  # the button that switches to dark
    page.click("form[data-ij-palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.evaluate(state)
    assert dark["page"] == "dark" and dark["theme"] == "#" + dark["header"]
    assert dark["shown"] == ["__palette_0"]
    page.reload()
    assert page.evaluate(state)["scheme"] == "slate"  # the choice is remembered
    page.focus("#__palette_1")  # the option chosen; Enter moves to the next one, as Material's
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.evaluate(state)["shown"] == ["__palette_1"]
    assert seen["errors"] == [] and seen["offsite"] == []


def test_dark_system_setting_is_respected(context_factory, site_url):
    page, _ = _open(context_factory(color_scheme="dark"), site_url)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


@pytest.mark.parametrize("path", ["visit/", "ja/sources/"])
def test_starting_the_page_does_not_restyle_the_whole_page(browser, site_url, path):
    """Once the page is parsed and Material's script starts, it may style what it adds or
    changes, not the whole page again: a restyle of every element is the largest part of a long
    page's blocking time on a phone (make audit). Three things did that on every load, each
    caught here: Material's colour toggle (a colour-scheme meta element), its instant
    navigation (every address set again) and the root's "js" marks (overrides/main.html).
    Counted from Chromium's trace: the elements each styling pass after the script's start
    styled, against the page's elements."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        # Material's script is held back a second, so that the page is drawn before it starts:
        # the lists laid out only when near the screen are then styled before, not after it.
        page.route("**/assets/javascripts/bundle.*.min.js",
                   lambda route: (time.sleep(1), route.continue_()))
        browser.start_tracing(page=page, categories=["devtools.timeline"])
        page.goto(site_url + path, wait_until="load")
        page.wait_for_timeout(1000)  # what the script does after the load event
        elements = page.evaluate("document.getElementsByTagName('*').length")
        events = json.loads(browser.stop_tracing())["traceEvents"]
    finally:
        context.close()
    bundle = min((e for e in events if e.get("name") == "EvaluateScript"
                  and "/bundle." in e.get("args", {}).get("data", {}).get("url", "")),
                 key=lambda e: e["ts"])
    restyled = sum(e["args"].get("elementCount", 0) for e in events  # on the page's thread
                   if e.get("name") == "UpdateLayoutTree" and e.get("ph") == "X"
                   and (e["pid"], e["tid"]) == (bundle["pid"], bundle["tid"])
                   and e["ts"] >= bundle["ts"])
    assert restyled < elements / 4, (restyled, elements)


def test_citation_links_jump_to_their_reference(context_factory, site_url):
    page, _ = _open(context_factory(), site_url + "outcomes/")
    first = page.locator("sup.ij-cite a").first
    assert "(" in first.get_attribute("title")  # title (publisher, date)
    first.click()
    target = page.evaluate("location.hash")
    assert target.startswith("#cite-note-")
    assert page.locator(target).is_visible()


@pytest.mark.parametrize("path", ["outcomes/", "ja/outcomes/"])
def test_glossary_terms_and_citations_show_their_tooltip(context_factory, site_url, path):
    """Material's tooltip (md-tooltip2), made when a reader points at or focuses the element
    (overrides/assets/javascripts/tooltips.js); the title comes back when it goes."""
    page, seen = _open(context_factory(), site_url + path)
    term = page.locator("article abbr").first  # not [title]: it goes while the tooltip shows
    meaning = term.get_attribute("title")
    assert meaning
    term.hover()
    tip = page.locator(".md-tooltip2--active[role='tooltip']")
    tip.wait_for()
    assert tip.inner_text() == meaning
    assert term.get_attribute("aria-describedby") == tip.get_attribute("id")
    assert term.get_attribute("title") is None  # no second, native tooltip
    cite = page.locator("sup.ij-cite a").first
    tip_text = cite.get_attribute("title")
    cite.focus()
    page.wait_for_function("t => document.querySelector('.md-tooltip2--active')?.innerText === t",
                           arg=tip_text)
    assert term.get_attribute("title") == meaning
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.md-tooltip2')")
    assert cite.get_attribute("title") == tip_text
    assert seen["errors"] == []


@pytest.mark.parametrize("path", ["outcomes/", "ja/outcomes/"])
def test_print_hides_navigation_and_shows_citation_urls(context_factory, site_url, path):
    page, _ = _open(context_factory(), site_url + path)
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer']
        .map(s => document.querySelector(s)).filter(Boolean)
        .map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}
    after = page.evaluate("""() => getComputedStyle(
        document.querySelector('.ij-references a.ij-references__title'), '::after').content""")
    assert "https://" in after


def test_tables_scroll_inside_their_own_box_on_a_phone(context_factory, site_url):
    page, _ = _open(context_factory(viewport={"width": 360, "height": 740}), site_url + "outcomes/")
    box = page.locator(".ij-table").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider than the box
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# Japanese queries of two to six kana or kanji, typed as a person types them, and the page each
# must find among the first three pages of results: names, mechanisms, minerals, places. A
# search finds words and the words they begin, in Japanese as in English: 鉛 (lead) does not
# find 黒鉛 (graphite), as "lead" does not find "graphite".
JAPANESE_QUERIES = {
    "黒鉛": "glossary/",  # graphite, among the glossary's critical minerals
    "茂木": "visit/",
    "対話": "outcomes/",
    "クアッド": "quad/",
    "重要鉱物": "economic-security/",
    "レアアース": "china/",
    "ニューデリー": "visit/",
    "合同作業部会": "outcomes/",
    "経済安全保障": "economic-security/",
}


def test_japanese_search_finds_the_right_pages(context_factory, site_url):
    page, seen = _open(context_factory(), site_url + "ja/")
    box = page.locator("input[data-md-component='search-query']")
    meta = page.locator(".md-search-result__meta")
    missed = {}
    for query, expected in JAPANESE_QUERIES.items():
        box.click()
        box.fill("")
        # The previous query's results must be gone first, or they could be read as this one's.
        page.wait_for_function("() => !document.querySelector('.md-search-result__meta')"
                               ".textContent.includes('見つかりました')")
        page.keyboard.type(query)  # Material searches on key events, as a person types
        page.keyboard.press("End")
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        page.wait_for_function("q => document.querySelector('.md-search-result__meta')"
                               ".textContent.includes('見つかりました')", arg=query)
        # Material answers each key as it is typed: read the results once they stop changing.
        links = "links => links.map(a => a.href)"
        hrefs, previous = page.locator(".md-search-result__item > a").evaluate_all(links), None
        for _ in range(20):
            if hrefs == previous:
                break
            page.wait_for_timeout(250)
            hrefs, previous = page.locator(".md-search-result__item > a").evaluate_all(links), hrefs
        pages = []
        for href in hrefs:
            path = urlsplit(href).path.removeprefix(urlsplit(site_url).path + "ja/")
            if path not in pages:
                pages.append(path)
        if expected not in pages[:3]:
            missed[query] = (meta.inner_text(), pages[:3])
    assert not missed, missed
    assert seen["errors"] == [] and seen["offsite"] == []


def test_language_switch_keeps_the_page_and_the_section(context_factory, site_url):
    """Under the Pages sub-path: from the English visit page at its itinerary to the Japanese
    one at the same section, and back; the section the reader moved to after loading counts."""
    page, seen = _open(context_factory(), site_url + "visit/#day-by-day")
    page.click("nav.ij-editions a[hreflang='ja']")
    page.wait_for_url(site_url + "ja/visit/#day-by-day")
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.locator("#day-by-day").is_visible()
    page.wait_for_load_state("networkidle")
    page.evaluate("location.hash = '#people-met'")
    page.wait_for_timeout(500)  # Material's scroll tracking may name the section now in view
    here = page.evaluate("location.hash")
    assert here
    page.click("nav.ij-editions a[hreflang='en']")
    page.wait_for_url(site_url + "visit/" + here)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert seen["errors"] == [] and seen["offsite"] == []


def test_a_missing_japanese_address_gets_the_japanese_404(context_factory, site_url):
    page, _ = _open(context_factory(), site_url + "ja/no-such-page/")
    page.wait_for_url(site_url + "ja/404.html")
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert "ページが見つからない" in page.locator("h1").inner_text()
