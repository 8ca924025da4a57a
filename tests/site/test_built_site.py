"""The real site, built once with the real data, checked as HTML: pages, links, citations, safety."""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import jsonschema
import pytest
from lxml import html as lxml_html

from conftest import ROOT
from tools.site_server import site_path

PAGES = ["index.html", "visit/index.html", "outcomes/index.html", "claims/index.html",
         "quad/index.html", "economic-security/index.html", "china/index.html",
         "timeline/index.html", "people/index.html", "glossary/index.html",
         "sources/index.html", "sources/2/index.html", "sources/3/index.html",  # 100 a page
         "data/index.html", "about/index.html", "corrections/index.html",
         "changes/index.html", "searches/index.html", "contribute/index.html"]
EDITIONS = {"en": "", "ja": "ja/"}  # each edition's folder; the default one at the root
ALL_PAGES = [root + rel for root in EDITIONS.values() for rel in PAGES]
NOT_FOUND = [root + "404.html" for root in EDITIONS.values()]
MIN_WORDS = 300  # "at least a few hundred words" of real content per page
MIN_JAPANESE = 600  # as many characters of Japanese: the same few hundred words
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){3,}")  # four English words
SITE_HOST = "127.0.0.1"


class Page:
    def __init__(self, site: Path, rel: str):
        self.rel = rel
        self.path = site / rel
        self.text = self.path.read_text(encoding="utf-8")
        self.tree = lxml_html.fromstring(self.text)
        self.url = "http://" + SITE_HOST + "/" + rel  # a base to resolve relative links against

    @property
    def article(self):
        (article,) = self.tree.xpath("//article[contains(@class, 'md-content__inner')]")
        return article

    @functools.cached_property
    def ids(self) -> set[str]:
        return set(self.tree.xpath("//@id"))


@pytest.fixture(scope="session")
def pages(built_site) -> dict[str, Page]:
    return {rel: Page(built_site, rel) for rel in ALL_PAGES + NOT_FOUND}


def edition_of(rel: str) -> tuple[str, str]:
    """The edition of a page and its path within the edition."""
    for edition, root in reversed(EDITIONS.items()):
        if rel.startswith(root):
            return edition, rel.removeprefix(root)
    raise AssertionError(rel)


def _target(site: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path).lstrip("/")
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") or target.is_dir() \
        else target


@pytest.mark.parametrize("rel", ALL_PAGES)
def test_every_page_exists_with_real_content(pages, rel):
    text = pages[rel].article.text_content()
    if edition_of(rel)[0] == "ja":
        assert len(CJK.findall(text)) >= MIN_JAPANESE, f"{rel} has little Japanese"
    else:
        assert len(text.split()) >= MIN_WORDS, f"{rel} has only {len(text.split())} words"


def test_the_404_page_offers_ways_back(pages):
    for rel, language, words in (("404.html", "en", "Page not found"),
                                 ("ja/404.html", "ja", "ページが見つからない")):
        page = pages[rel]
        assert page.tree.get("lang") == language and words in page.text, rel
        links = page.tree.xpath("//article//a/@href")
        assert len(links) >= 5, rel
        other = "ja" if language == "en" else "en"
        assert page.tree.xpath(f"//article//a[@hreflang='{other}']"), rel


@pytest.mark.parametrize("rel", ALL_PAGES)
def test_internal_links_and_anchors_resolve(built_site, pages, rel):
    page = pages[rel]
    broken = []
    for href in page.tree.xpath("//a/@href"):
        absolute = urljoin(page.url, href)
        parts = urlsplit(absolute)
        if parts.hostname != SITE_HOST:
            continue
        target = _target(built_site, absolute)
        if not target.is_file():
            broken.append(f"{href} (no file {target.relative_to(built_site)})")
            continue
        if parts.fragment and target.suffix == ".html":
            known = pages.get(target.relative_to(built_site).as_posix())  # parsed once
            ids = known.ids if known else \
                set(lxml_html.fromstring(target.read_text(encoding="utf-8")).xpath("//@id"))
            if unquote(parts.fragment) not in ids:
                broken.append(f"{href} (no anchor in {target.relative_to(built_site)})")
    assert not broken, f"{rel}: broken links: {broken}"


@pytest.mark.parametrize("rel", ALL_PAGES)
def test_every_citation_resolves_to_a_source_entry(built_site, pages, rel):
    page = pages[rel]
    ids = page.ids
    for link in page.tree.xpath("//sup[@class='ij-cite']/a"):
        note = link.get("href").lstrip("#")
        assert note in ids, f"{rel}: citation {link.text} points at missing {note}"
        assert link.get("title"), f"{rel}: citation {link.text} has no title/publisher tooltip"
        (entry,) = page.tree.xpath(f"//li[@id='{note}']")
        (source_link,) = entry.xpath(".//a[contains(@class, 'ij-references__entry')]/@href")
        target = urljoin(page.url, source_link)
        listed = pages[_target(built_site, target).relative_to(built_site).as_posix()]
        assert listed.tree.xpath(f"//ol[@class='ij-sources']/li[@id='{urlsplit(target).fragment}']")
        (external,) = entry.xpath(".//a[contains(@class, 'ij-references__title')]/@href")
        assert external.startswith("https://")


def test_pages_built_from_data_cite_their_sources(pages):
    for rel in PAGES:
        if rel in ("data/index.html", "contribute/index.html", "about/index.html",
                   "changes/index.html") or rel.startswith("sources/"):
            continue
        assert pages[rel].tree.xpath("//sup[@class='ij-cite']"), f"{rel} cites nothing"


def source_pages(site: Path, edition: str) -> list[Path]:
    """The sources' pages of an edition, in order: sources/, sources/2/, sources/3/…"""
    folder = site / EDITIONS[edition] / "sources"
    further = sorted((p for p in folder.glob("*/index.html") if p.parent.name.isdigit()),
                     key=lambda p: int(p.parent.name))
    return [folder / "index.html", *further]


def listed_sources(page: Path) -> list[str]:
    return lxml_html.parse(str(page)).xpath("//ol[@class='ij-sources']/li/@id")


def test_every_source_lists_where_it_is_cited(built_site):
    for page in source_pages(built_site, "en"):
        entries = lxml_html.parse(str(page)).xpath("//ol[@class='ij-sources']/li")
        assert entries, page
        for entry in entries:
            cited = entry.xpath(".//span[@class='ij-cited-by']//a")
            assert cited, f"source {entry.get('id')} is not cited on any page"


def test_the_sources_are_split_over_pages_of_a_hundred_the_same_in_every_edition(built_site):
    """No page lists every source: each lists at most a hundred, every source is on exactly one,
    on the same page in both editions, and the pages link to each other in order."""
    api = json.loads((built_site / "api" / "v2" / "sources.json").read_text(encoding="utf-8"))
    every = sorted(f"src-{s['id']}" for s in api["items"])
    split = {edition: [listed_sources(p) for p in source_pages(built_site, edition)]
             for edition in EDITIONS}
    assert len(split["en"]) == -(-len(every) // 100) >= 3  # 289 sources at the time of writing
    assert sorted(sum(split["en"], [])) == every
    assert all(len(ids) == 100 for ids in split["en"][:-1]) and len(split["en"][-1]) <= 100
    assert [sorted(ids) for ids in split["ja"]] == [sorted(ids) for ids in split["en"]]
    for edition in EDITIONS:
        paths = source_pages(built_site, edition)
        for n, path in enumerate(paths):
            page = lxml_html.parse(str(path))
            url = path.relative_to(built_site).as_posix()
            rels = {rel: [_target(built_site, urljoin("http://" + SITE_HOST + "/" + url, a))
                          for a in page.xpath(f"//*[@class='ij-pager']//a[@rel='{rel}']/@href")]
                    for rel in ("prev", "next")}
            assert rels["prev"] == ([paths[n - 1]] * 2 if n else []), url  # above and below
            assert rels["next"] == ([paths[n + 1]] * 2 if n + 1 < len(paths) else []), url
            assert len(page.xpath("//nav[@class='ij-pager']")) == 1, url  # one landmark


@pytest.mark.parametrize("rel", ALL_PAGES + NOT_FOUND)
def test_every_label_names_a_control_on_its_page(pages, rel):
    """What the Nu HTML checker requires of <label for>: pages outside the navigation lack the
    toggle that Material's table of contents names."""
    page = pages[rel]
    assert set(page.tree.xpath("//label/@for")) <= page.ids, rel


@pytest.mark.parametrize("rel", ALL_PAGES + NOT_FOUND)
def test_no_template_syntax_or_macro_error_reaches_a_reader(pages, rel):
    page = pages[rel]
    assert "Macro Rendering Error" not in page.text
    for node in page.tree.xpath("//body//text()[not(ancestor::code) and not(ancestor::pre)]"):
        assert "{{" not in node and "{%" not in node, f"{rel}: unrendered template: {node!r}"


@pytest.mark.parametrize("rel", ALL_PAGES + NOT_FOUND)
def test_nothing_loads_from_another_host(pages, rel):
    tree = pages[rel].tree
    loaded = tree.xpath("//script/@src | //link[normalize-space(@rel)!='alternate' and "
                        "@rel!='canonical']/@href"
                        " | //img/@src | //iframe/@src | //source/@src | //video/@src"
                        " | //audio/@src | //object/@data | //embed/@src")
    remote = [u for u in loaded if urlsplit(u).scheme in ("http", "https") or u.startswith("//")]
    assert not remote, f"{rel} loads {remote}"
    inline_css = " ".join(tree.xpath("//style/text() | //@style"))
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", inline_css)


def test_stylesheets_load_nothing_from_another_host(built_site):
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert "@import url(http" not in text and "fonts.googleapis" not in text, css


@pytest.mark.parametrize("rel", ALL_PAGES)
def test_every_page_has_social_and_description_meta(pages, rel):
    tree = pages[rel].tree
    for prop in ("og:title", "og:description", "og:type"):
        assert tree.xpath(f"//meta[@property='{prop}']/@content"), f"{rel} lacks {prop}"
    for name in ("twitter:card", "twitter:title", "twitter:description", "description"):
        assert tree.xpath(f"//meta[@name='{name}']/@content"), f"{rel} lacks {name}"


@pytest.mark.parametrize("rel", ALL_PAGES)
def test_every_page_has_a_cite_this_page_box(pages, rel):
    box = pages[rel].tree.xpath("//details[contains(@class, 'ij-cite-page')]")
    assert box, rel
    bibtex = box[0].xpath(".//pre[contains(@class, 'bibtex')]")[0].text_content()
    assert bibtex.startswith("@misc{") and "howpublished" in bibtex


def test_glossary_terms_become_abbreviations_on_pages(pages):
    abbrs = pages["outcomes/index.html"].tree.xpath("//article//abbr[@title]")
    assert abbrs, "no glossary tooltip on the outcomes page"


def _indexed(built_site: Path) -> dict[str, dict]:
    """Pagefind's index of the site (hooks.py), as its files hold it: each page's text and
    meta data, by its address from the site's root ("/ja/visit/"). Each page's is a file of its
    own: gzip, then "pagefind_dcd" and the JSON."""
    pages = {}
    for path in (built_site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        fragment = json.loads(raw[len(b"pagefind_dcd"):])
        fragment["text"] = fragment["content"].replace("\u200b", "")  # Japanese words' marks
        pages[fragment["url"]] = fragment
    return pages


@pytest.mark.parametrize("edition, word", [("en", "Quad"), ("ja", "日米豪印")])
def test_the_search_index_holds_every_page_of_each_edition(built_site, edition, word):
    indexed = _indexed(built_site)
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    edition_pages = [url for url in indexed if url.startswith("/" + EDITIONS[edition])
                     and (edition == "ja" or not url.startswith("/ja/"))]
    assert entry["languages"][edition]["page_count"] == len(edition_pages)
    for rel in PAGES:
        assert "/" + EDITIONS[edition] + rel.removesuffix("index.html") in indexed, rel
    assert any(word in indexed[url]["text"] for url in edition_pages)
    # Material's own index, which every searcher would download whole, holds no page: only the
    # settings its search box and its highlighting of the words found read.
    material = json.loads((built_site / EDITIONS[edition] / "search" / "search_index.json")
                          .read_text(encoding="utf-8"))
    assert material["docs"] == [] and material["config"]["separator"]


def test_the_search_index_is_tidied_into_what_a_search_downloads_in_one_order(tmp_path):
    """Pagefind lists the languages in an order that changes from run to run (a byte-identical
    build needs one), and writes search interfaces the site does not use (hooks._Indexer)."""
    import hooks

    bundle = tmp_path / "pagefind"
    (bundle / "index").mkdir(parents=True)
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.en.pagefind",
                 "pagefind.ja_1.pf_meta", "index/en_1.pf_index"):
        (bundle / name).write_text("x", encoding="utf-8")
    entry = {"version": "1", "languages": {"ja": {"page_count": 1}, "en": {"page_count": 2}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    hooks._indexer.tidy(bundle)
    assert sorted(p.name for p in bundle.iterdir()) == [
        "index", "pagefind-entry.json", "pagefind.ja_1.pf_meta", "pagefind.js", "wasm.en.pagefind"]
    assert (bundle / "pagefind-entry.json").read_text("utf-8") == \
        '{"version":"1","languages":{"en":{"page_count":2},"ja":{"page_count":1}}}'


def test_a_search_shows_as_many_pages_as_any_list_given_in_passing():
    """The worker's bound on the pages a search shows is the site's (registry.MOST_SHOWN)."""
    from sitedata.registry import MOST_SHOWN

    worker = (ROOT / "overrides" / "assets" / "javascripts" / "search-worker.js").read_text("utf-8")
    assert re.search(r"^const MOST_SHOWN = (\d+);$", worker, re.M).group(1) == str(MOST_SHOWN)


def test_the_search_index_is_only_what_a_search_downloads(built_site):
    """Pagefind's script and WebAssembly, its list of pages and parts of the index and the
    pages' text: not the search interfaces Pagefind also writes, which the site does not use."""
    bundle = built_site / "pagefind"
    top = sorted(path.name for path in bundle.iterdir())
    assert [name for name in top if not re.fullmatch(
        r"fragment|index|pagefind\.js|pagefind-entry\.json|pagefind\.(en|ja)_\w+\.pf_meta"
        r"|wasm\.(en|unknown)\.pagefind", name)] == []
    assert len(top) == 8  # both languages' lists, both WebAssembly files


@pytest.mark.parametrize("rel", ["visit/index.html", "changes/index.html",
                                 "sources/index.html", "outcomes/index.html"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_search_index_leaves_out_what_every_page_repeats(built_site, pages, edition, rel):
    """The page's article is indexed, but not what is on every page (Material's header,
    navigation and footer), nor what repeats the same few words for every record, or lists the
    sources that the sources pages list (data-pagefind-ignore): reference lists, the change
    log's entries, sources' "cited in" lists, records' dates, the "cite this page" box; nor the
    citation marks ([1]) and Material's section marks (¶). Compared without spaces and full
    stops, which Pagefind puts where the page has none (after each of a list's items)."""
    def bare(text: str) -> str:
        return re.sub(r"[\s.]+", "", text)

    page = pages[EDITIONS[edition] + rel]
    indexed = bare(_indexed(built_site)["/" + EDITIONS[edition]
                                        + rel.removesuffix("index.html")]["text"])
    left_out = [bare(el.text_content()) for el in page.tree.xpath(
        "//ol[@class='ij-references'] | //ul[@class='ij-changes'] | //p[@class='ij-record-meta']"
        " | //span[@class='ij-cited-by'] | //details[@class='ij-cite-page'] | //footer")]
    assert len(left_out) >= 3
    kept = page.tree.xpath("//article//p[not(ancestor-or-self::*[@data-pagefind-ignore])]")
    assert any(bare(p.text_content())[:30] in indexed for p in kept)
    for words in left_out:
        if len(words) > 30:  # long enough to be found only where it is
            assert words[:60] not in indexed, words[:60]
    assert "¶" not in indexed and "[1]" not in indexed
    skip = page.tree.xpath("//a[contains(@class, 'md-skip')]")[0]  # "Skip to content"
    assert bare(skip.text_content()) not in indexed


@pytest.mark.parametrize("edition", EDITIONS)
def test_sitemap_lists_every_page(built_site, edition):
    sitemap = (built_site / EDITIONS[edition] / "sitemap.xml").read_text(encoding="utf-8")
    for rel in PAGES:
        assert EDITIONS[edition] + rel.removesuffix("index.html") + "</loc>" in sitemap, rel


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_api_collection_validates_against_its_published_schema(built_site, version):
    api = built_site / "api" / version
    index = json.loads((api / "index.json").read_text(encoding="utf-8"))
    names = [c["name"] for c in index["collections"]]
    assert {"sources", "outcomes", "visit", "timeline", "topics", "people", "glossary",
            "claims"} <= set(names)
    assert ("terminology" in names) == (version == "v2")  # v1 stays as it was published
    for entry in index["collections"]:
        data = json.loads((built_site / entry["data"]).read_text(encoding="utf-8"))
        schema = json.loads((built_site / entry["schema"]).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
        if isinstance(data["items"], list):
            assert all("id" in item for item in data["items"]), entry["name"]


def test_outcome_feed_is_atom_with_every_update(built_site):
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    outcomes = json.loads((built_site / "api/v1/outcomes.json").read_text(encoding="utf-8"))
    updates = sum(len(o["updates"]) for o in outcomes["items"])
    assert len(feed.entries) == updates
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_outcomes_page_links_its_feed(pages):
    page = pages["outcomes/index.html"]
    assert page.tree.xpath("//link[@type='application/atom+xml']")
    assert page.tree.xpath("//article//a[contains(@href, 'feed.xml')]")


def test_data_pages_link_to_their_yaml(pages):
    for rel in ("visit/index.html", "outcomes/index.html", "timeline/index.html",
                "quad/index.html", "sources/index.html"):
        edits = pages[rel].tree.xpath("//p[@class='ij-edit-data']//a/@href")
        assert edits and all("/edit/main/data/" in e or "/tree/main/data/" in e for e in edits), rel


def test_the_build_writes_no_site_files_outside_site_dir():
    assert not (ROOT / "docs" / "api").exists()


def test_every_page_links_to_the_corrections_and_the_change_log(pages):
    for rel, page in pages.items():
        links = page.tree.xpath("//nav[@class='ij-footer-links']//a/@href")
        # The 404 page may be served at any address, so its links are absolute (the Pages path).
        folder = EDITIONS[edition_of(rel)[0]]
        root = f"http://{SITE_HOST}" + (site_path() if rel in NOT_FOUND else "/") + folder
        assert [urljoin(page.url, href) for href in links] == [
            root + "corrections/", root + "changes/", root + "searches/"], rel


def test_corrected_records_link_to_their_correction(pages):
    people = pages["people/index.html"]
    (link,) = people.tree.xpath("//*[@id='person-toshimitsu-motegi']//a[@class='ij-corrected']")
    assert link.text == "Corrected on 2 December 2026"
    note = link.get("href").split("#")[1]
    assert note in pages["corrections/index.html"].ids
    assert people.tree.xpath("//*[@id='person-toshimitsu-motegi']"
                             "//p[@class='ij-record-meta'][contains(., 'Last verified')]")


def test_corrections_and_changes_feeds_are_atom(built_site):
    for name in ("corrections.xml", "changes.xml"):
        feed = feedparser.parse((built_site / name).read_bytes())
        assert not feed.bozo and feed.version == "atom10" and feed.entries, name
    corrections = json.loads((built_site / "api/v1/corrections.json").read_text(encoding="utf-8"))
    assert len(feedparser.parse((built_site / "corrections.xml").read_bytes()).entries) == \
        len(corrections["items"])


@pytest.mark.parametrize("name", [root + feed for root in EDITIONS.values()
                                  for feed in ("feed.xml", "corrections.xml", "changes.xml")])
def test_every_feed_entry_links_to_a_page_and_anchor_that_exist(built_site, pages, name):
    """Each entry's link goes where the entry is shown: a new source, to the sources' page that
    lists it (they are split over several)."""
    (site_url,) = pages["index.html"].tree.xpath("//link[@rel='canonical']/@href")
    links = [e.link for e in feedparser.parse((built_site / name).read_bytes()).entries]
    assert links, name
    for link in links:
        assert link.startswith(site_url), link
        path, _, fragment = link.removeprefix(site_url).partition("#")
        target = _target(built_site, path)
        assert target.is_file(), link
        if fragment:
            page = pages.get(target.relative_to(built_site).as_posix())
            ids = page.ids if page else set(lxml_html.parse(str(target)).xpath("//@id"))
            assert fragment in ids, link


@pytest.mark.parametrize("rel", ALL_PAGES + NOT_FOUND)
def test_every_page_names_its_language_and_links_its_counterparts(pages, rel):
    """<html lang>, hreflang alternates to every edition (and x-default), and a language switch
    to the same page in the other edition."""
    edition, path = edition_of(rel)
    tree = pages[rel].tree
    assert tree.get("lang") == edition
    if rel not in NOT_FOUND:
        alternates = {link.get("hreflang"): link.get("href")
                      for link in tree.xpath("//link[normalize-space(@rel)='alternate'][@hreflang]")}
        page_url = "/" + path.removesuffix("index.html")
        assert {lang: urlsplit(href).path.removeprefix(site_path().rstrip("/"))
                for lang, href in alternates.items()} == {
            "en": page_url, "ja": "/ja" + page_url, "x-default": page_url}
    if rel in NOT_FOUND:
        return  # its links to the other edition are checked with its ways back
    (switch,) = tree.xpath("//nav[@class='ij-editions']/a")
    other = "ja" if edition == "en" else "en"
    assert switch.get("hreflang") == other and switch.get("lang") == other
    target = urlsplit(urljoin(pages[rel].url, switch.get("href"))).path
    assert target == "/" + EDITIONS[other] + path.removesuffix("index.html")


@pytest.mark.parametrize("rel", PAGES)
def test_every_section_has_the_same_anchor_in_both_editions(pages, rel):
    """The language switch keeps the reader's place: each heading's anchor is the same."""
    def anchors(page):
        return page.article.xpath("(.//h1 | .//h2 | .//h3 | .//h4)/@id")
    english, japanese = set(anchors(pages[rel])), set(anchors(pages["ja/" + rel]))
    if rel == "contribute/index.html":  # the editors' guide is in English only; linked from ja
        assert japanese < english
    else:
        assert english == japanese


@pytest.mark.parametrize("rel", ALL_PAGES + NOT_FOUND)
def test_text_in_another_language_carries_lang(pages, rel):
    """Japanese or Chinese on an English page, and English sentences on a Japanese page, are
    inside an element naming their language."""
    edition, _ = edition_of(rel)
    tree = pages[rel].tree
    wrong = []
    for node in tree.xpath("//body//text()[normalize-space()][not(ancestor::script) and "
                           "not(ancestor::style) and not(ancestor::code) and not(ancestor::pre)]"):
        element = node.getparent().getparent() if node.is_tail else node.getparent()
        lang = element.xpath("string(ancestor-or-self::*[@lang][1]/@lang)")
        if edition == "en" and CJK.search(node) and lang in ("en", ""):
            wrong.append(str(node).strip()[:60])
        if edition == "ja" and ENGLISH_RUN.search(node) and lang == "ja":
            wrong.append(str(node).strip()[:60])
    assert not wrong, f"{rel}: {len(wrong)} texts without their lang: {wrong[:8]}"


@pytest.mark.parametrize("rel", ALL_PAGES + NOT_FOUND)
def test_no_markup_leaks_into_an_attribute(pages, rel):
    """Texts mark their language with a span: never inside a tooltip or a label."""
    leaks = [f"{name}={value[:60]!r}" for element in pages[rel].tree.iter()
             if isinstance(element.tag, str) for name, value in element.attrib.items()
             if "<span" in value]
    assert not leaks, f"{rel}: {leaks[:5]}"


@pytest.mark.parametrize("page", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: p.name)
def test_front_matter_can_go_into_an_attribute(page):
    """Material writes a page's title and description into attributes as they are, unescaped:
    a straight double quote there ends the attribute (the Nu checker's 24 errors on one page)."""
    text = page.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        front = text.split("---\n")[1]
        for line in front.splitlines():
            if line.startswith(("title:", "description:")):
                assert '"' not in line.split(":", 1)[1] and "<" not in line, \
                    f"{page.relative_to(ROOT)}: use “curly quotes” in {line.split(':')[0]}"


def test_the_audits_plain_site_has_every_page_ours_has(built_site, tmp_path):
    """make audit measures each page beside the same page of a plain Material site: the pages
    the data adds (the sources' further pages) must be there too."""
    from tools.plain_site import build

    plain = build(built_site, tmp_path / "plain")
    assert [p.relative_to(plain).as_posix() for p in sorted(plain.rglob("index.html"))] == \
        [p.relative_to(built_site).as_posix() for p in sorted(built_site.rglob("index.html"))]
