"""Each pipeline stage on good input: load, enrich, views (macros), field reference, export."""

from __future__ import annotations

import datetime
import json
import os
import re

import jsonschema
import pytest
import yaml

from conftest import FIXTURE_DAY, ROOT
from sitedata import loader
from sitedata.enrich import enrich
from sitedata.export import export_schema, json_text, write_api, write_feeds
from sitedata.fields import field_table
from sitedata.history import History
from sitedata.loader import _syntax_message, load_document, parse_document
from sitedata.pipeline import Memo, load_data, load_site, validate
from sitedata.problems import DataError, Problem, Report
from sitedata.registry import COLLECTIONS, MOST_SHOWN, PLACES, Place, page_url, pages
from sitedata.schema import Schemas
from sitedata.views import Views


def enriched(root, today=FIXTURE_DAY):
    """The site as enriched on `today` (the data validated on the fixture's day)."""
    result = validate(root, FIXTURE_DAY)
    assert not result.report, result.report.format()
    return enrich(result.records, result.vocabulary, result.schemas, today,
                  History(reason="not read by this test"))


@pytest.fixture
def site(project):
    return enriched(project.root)


@pytest.fixture
def views(site, project):
    v = Views(site, "https://github.com/o/r", root=ROOT)
    v.start_page("visit.md")
    return v


# -- load ------------------------------------------------------------------------------------

def test_loader_keeps_dates_as_text_and_marks_every_value(tmp_path):
    path = tmp_path / "data" / "x.yaml"
    path.parent.mkdir()
    path.write_text("# c\nday: 2026-01-16\nn: 3\nok: true\nname: 茂木 敏充\nlist:\n  - a\n",
                    encoding="utf-8")
    report = Report()
    doc = load_document(tmp_path, "data/x.yaml", report)
    assert not report
    assert doc.data == {"day": "2026-01-16", "n": 3, "ok": True, "name": "茂木 敏充",
                        "list": ["a"]}
    assert doc.mark(("list", 0)) == (7, 5)
    assert doc.mark(("name",), key=True) == (5, 1)
    assert doc.mark(("nothing", "here")) == (2, 1)
    # A path that goes wrong part of the way is placed on the last value it reached.
    assert doc.mark(("list", 0), key=True) == (7, 5)  # an item has no key of its own
    assert doc.mark(("list", 1)) == doc.mark(("list", "x")) == (7, 3)  # past the end; a name
    assert doc.mark(("name", 0)) == (5, 7)  # into text
    assert (doc.plain_text(("n",)), doc.plain_text(("n", "x"))) == ("3", None)


def test_a_syntax_error_without_a_problem_still_says_what_it_is():
    assert _syntax_message(yaml.MarkedYAMLError()) == "YAML syntax error: invalid YAML"


def test_loader_reads_true_and_false_as_booleans():
    report = Report()
    doc = parse_document(b"a: false\nb: true\n", "d.yaml", report)
    assert doc is not None and doc.data == {"a": False, "b": True} and report.problems == []


@pytest.mark.parametrize("value, problem", [
    ("12:30", "'12:30' is read as a base-60 number by YAML 1.1; put it in quotes: '12:30'"),
    ("1:30.5", "'1:30.5' is read as a base-60 number by YAML 1.1; put it in quotes: '1:30.5'"),
    ("0755", "'0755' is an octal, hex or grouped number in YAML 1.1; put it in quotes if it is "
             "text: '0755'"),
    (".inf", "'.inf' is a special number in YAML (infinity or not-a-number); put it in quotes "
             "if it is text: '.inf'"),
    ("=", "'=' has a special meaning in YAML 1.1; put it in quotes: '='"),
])
def test_loader_marks_each_trap_it_reports_as_refused(value, problem):
    """Each YAML 1.1 trap is reported once, at its value, and marked refused there, so that
    the schema does not report the same value again (a base-60 float is one, not a special
    number)."""
    report = Report()
    doc = parse_document(f"published: {value}\n".encode(), "d.yaml", report)
    assert [str(p) for p in report.problems] == [f"d.yaml:1:12: {problem}"]
    assert doc is not None and doc.refused == {("published",)}


def test_loader_reads_data_nested_as_deep_as_allowed():
    """32 levels of lists and mappings, values included, are read; one more is refused (see
    test_bad_input's "nested-too-deep")."""
    report = Report()
    doc = parse_document(("a: " + "[" * 30 + "x" + "]" * 30 + "\n").encode(), "d.yaml", report)
    assert report.problems == [] and doc is not None
    value, level = doc.data["a"], 2  # the file's mapping is level 1
    while isinstance(value, list):
        value, level = value[0], level + 1
    assert (value, level) == ("x", 32)


INVISIBLE = ("invisible zero-width space U+200B is not allowed; delete it (it can make text "
             "read differently from what it says)")


def _problems(text: str | bytes) -> list[str]:
    report = Report()
    doc = parse_document(text if isinstance(text, bytes) else text.encode(), "f.yaml", report)
    assert (doc is None) == bool(report)
    return [str(p) for p in report.sorted()]


def test_mappings_nest_as_deep_as_lists():
    """Keys and values of mappings count their depth as items of lists do: x at level 32."""
    assert _problems("a: " + "{a: " * 30 + "x" + "}" * 30 + "\n") == []
    assert _problems("a: " + "{a: " * 31 + "x" + "}" * 31 + "\n") == [
        "f.yaml:1:125: data nests more than 32 levels deep"]


@pytest.mark.parametrize("count", [10, 12])
def test_invisible_characters_are_listed_up_to_ten_then_counted(count):
    # The blank first line: each one's line and column are counted from the file's start.
    listed = [f"f.yaml:2:{5 + 2 * n}: {INVISIBLE}" for n in range(min(count, 10))]
    summary = ["f.yaml:1:1: 2 more invisible characters not listed"] if count > 10 else []
    assert _problems("\na: " + "x\u200b" * count + "\n") == summary + listed


def test_noncharacters_are_refused_at_their_place():
    assert _problems("a: b\nc: x\ufffe\n\uffff: d\n") == [
        f"f.yaml:{place}: invisible noncharacter U+{code} is not allowed; delete it (it can make "
        "text read differently from what it says)" for place, code in [("2:5", "FFFE"),
                                                                        ("3:1", "FFFF")]]


def test_a_character_only_libyaml_refuses_is_still_a_problem_not_a_crash(monkeypatch):
    monkeypatch.setattr(loader, "_REFUSED", re.compile("(?!)"))  # as if the lists differed
    [problem] = _problems("a: b\nc: x\ufffe\n")
    assert problem.startswith("f.yaml:1:1: YAML error: unacceptable character #xfffe")


@pytest.mark.parametrize("mark", [b"\xff\xfe", b"\xfe\xff"])  # little-endian, big-endian
def test_utf16_is_refused_whichever_its_byte_order(mark):
    assert _problems(mark + "a: b\n".encode("utf-16-le" if mark == b"\xff\xfe" else
                                           "utf-16-be")) == [
        "f.yaml:1:1: file is UTF-16; save it as UTF-8"]


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 8)
    (tmp_path / "limit.yaml").write_text("id: 1234")  # 8 bytes
    (tmp_path / "over.yaml").write_text("id: 12345")
    report = Report()
    assert load_document(tmp_path, "limit.yaml", report).data == {"id": 1234}
    assert load_document(tmp_path, "over.yaml", report) is None
    assert [str(p) for p in report.sorted()] == [
        "over.yaml:1:1: file is 9 bytes; the limit is 8 (split it, one record per file)"]


def test_loader_accepts_joiners_inside_indic_words(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("term: \u0915\u094d\u200d\u0937\n", encoding="utf-8")
    report = Report()
    assert load_document(tmp_path, "x.yaml", report).data == {"term": "\u0915\u094d\u200d\u0937"}
    assert not report


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_loader_reads_windows_line_endings_like_unix_ones(tmp_path, newline):
    path = tmp_path / "x.yaml"
    path.write_bytes(newline.join(["# c", "time: '12:30'", "answer: 'no'", "note: >-",
                                   "  two", "  lines", "emoji: \U0001F1EE\U0001F1F3", ""]
                                  ).encode("utf-8"))
    report = Report()
    doc = load_document(tmp_path, "x.yaml", report)
    assert not report
    assert doc.data == {"time": "12:30", "answer": "no", "note": "two lines",
                        "emoji": "\U0001F1EE\U0001F1F3"}
    assert doc.mark(("emoji",)) == (7, 8)


def test_positions_are_found_again_from_the_text(tmp_path):
    (tmp_path / "x.yaml").write_text("a:\n  - b: 1\n    c: [x, y]\n", encoding="utf-8")
    doc = load_document(tmp_path, "x.yaml", Report())
    doc._node = None  # as a document is kept: its nodes are composed again when needed
    assert doc.mark(("a", 0, "c", 1)) == (3, 12)
    assert doc.mark(("a", 0, "b"), key=True) == (2, 5)


def test_the_items_of_a_list_file_are_placed_without_composing_it_again(tmp_path):
    (tmp_path / "x.yaml").write_text("# c\n- a: 1\n\n-   b: 2\n    c: 3\n- [x]\n",
                                     encoding="utf-8")
    doc = load_document(tmp_path, "x.yaml", Report())
    assert [doc.mark((i,)) for i in range(3)] == [(2, 3), (4, 5), (6, 3)]
    assert doc._node is None  # not composed for that
    assert doc.mark((1, "c")) == (5, 8) and doc.mark((3,)) == (2, 1)


def test_github_annotation_escapes_its_fields():
    problem = Problem("data/a,b%:c\r\n.yaml", 3, 4, "50% of 'x':\r\nnext, then")
    assert problem.annotation() == ("::error file=data/a%2Cb%25%3Ac%0D%0A.yaml,line=3,col=4,"
                                    "title=Data error::50%25 of 'x':%0D%0Anext, then")


def test_report_lists_each_problem_once_in_order_then_the_count(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "")
    report = Report()
    assert not report and len(report) == 0
    report.add("data/b.yaml", 0, 0, "second\nline")
    report.add("data/a.yaml", 2, 3, "first")
    report.add("data/a.yaml", 2, 3, "first")
    assert report and len(report) == 3
    assert report.format().splitlines() == [
        "data/a.yaml:2:3: first", "data/b.yaml:1:1: second\\nline",
        "2 data errors in 2 files; nothing was published. "
        "See CONTRIBUTING.md#fixing-validation-errors"]
    single = Report()
    single.add("data/a.yaml", 1, 1, "only")
    assert single.format().splitlines()[-1].startswith("1 data error in 1 file; ")


def test_report_prints_annotations_only_on_github(monkeypatch):
    report = Report()
    report.add("data/x.yaml", 2, 3, "bad")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert report.format().splitlines() == [
        "data/x.yaml:2:3: bad", "::error file=data/x.yaml,line=2,col=3,title=Data error::bad",
        "1 data error in 1 file; nothing was published. "
        "See CONTRIBUTING.md#fixing-validation-errors"]
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert "::error" not in report.format()


def test_the_build_date_is_today_unless_set(monkeypatch):
    from sitedata.pipeline import build_date
    monkeypatch.delenv("SITE_BUILD_DATE", raising=False)
    assert build_date() == datetime.date.today()
    monkeypatch.setenv("SITE_BUILD_DATE", "2026-01-16")
    assert build_date() == datetime.date(2026, 1, 16)


def test_load_site_gives_the_enriched_site_or_one_error_with_every_problem(project):
    site = load_site(project.root, FIXTURE_DAY)
    assert [o.id for o in site.outcomes] == ["ai-dialogue"] and site.today == FIXTURE_DAY
    project.replace("data/outcomes/ai-dialogue.yaml", "status: in-progress", "status: done")
    project.replace("data/glossary.yaml", "en: JWG", "en: Quad")
    with pytest.raises(DataError) as raised:
        load_site(project.root, FIXTURE_DAY)
    assert len(raised.value.report) == 2
    assert str(raised.value) == raised.value.report.format()


def test_load_site_checks_the_data_on_the_day_it_is_given(project):
    project.replace("data/sources/wire-report.yaml", "published: 2026-01-16",
                    "published: 2026-11-30")
    load_site(project.root, datetime.date(2026, 11, 30))
    with pytest.raises(DataError) as raised:
        load_site(project.root, FIXTURE_DAY)
    assert "published 2026-11-30 is in the future (today is 2026-11-25)" in str(raised.value)


def test_load_site_refuses_an_edition_the_vocabulary_does_not_have(project):
    with pytest.raises(DataError) as raised:
        load_site(project.root, FIXTURE_DAY, edition="hi")
    assert [str(p) for p in raised.value.report.sorted()] == [
        "mkdocs.yml:1:1: extra.edition 'hi' is not an edition of the vocabulary (en, ja)"]


def test_load_site_shows_one_edition_and_keeps_every_editions_catalog(project):
    site = load_site(project.root, FIXTURE_DAY, edition="ja")
    assert site.catalog.edition == "ja"
    assert {edition: c.edition for edition, c in site.catalogs.items()} == {"en": "en", "ja": "ja"}


def test_one_load_gives_every_edition(project):
    data = load_data(project.root, FIXTURE_DAY)
    english, japanese = data.site(), data.site("ja")
    assert (english.catalog.edition, japanese.catalog.edition) == ("en", "ja")
    assert english.raw is japanese.raw  # validated once; each edition enriches its own copies
    assert english.visit is not japanese.visit and english.built == japanese.built
    with pytest.raises(DataError):
        data.site("hi")


def _verdict(result) -> list[str]:
    return [str(p) for p in result.report.sorted()]


def test_a_memo_judges_again_only_the_files_whose_bytes_changed(project):
    memo = Memo()
    first = validate(project.root, FIXTURE_DAY, memo)
    assert not first.report
    again = validate(project.root, FIXTURE_DAY, memo)
    assert again.records["sources"] == first.records["sources"]  # the same records, not re-read
    project.replace("data/outcomes/ai-dialogue.yaml", "status: in-progress", "status: done")
    project.replace("data/glossary.yaml", "en: JWG", "en: Quad")
    changed = validate(project.root, FIXTURE_DAY, memo)
    assert _verdict(changed) == _verdict(validate(project.root, FIXTURE_DAY)) and changed.report
    assert changed.records["sources"] == first.records["sources"]
    assert changed.records["outcomes"][0] is not first.records["outcomes"][0]
    project.replace("data/outcomes/ai-dialogue.yaml", "status: done", "status: in-progress")
    project.replace("data/glossary.yaml", "en: Quad", "en: JWG")
    assert not validate(project.root, FIXTURE_DAY, memo).report
    # The rules across records run every time: files that did not change are judged anew
    # against the others (they cite a source that is gone).
    source = project.root / "data/sources/wire-report.yaml"
    text = source.read_text(encoding="utf-8")
    source.unlink()
    gone = _verdict(validate(project.root, FIXTURE_DAY, memo))
    assert gone == _verdict(validate(project.root, FIXTURE_DAY))
    assert any(p.startswith("data/visit.yaml:") and "wire-report" in p for p in gone)
    source.write_text(text, encoding="utf-8")
    assert not validate(project.root, FIXTURE_DAY, memo).report


def test_a_memo_reads_but_does_not_judge_unchanged_bytes_again(project, monkeypatch):
    """Not even a file that does not parse: its verdict is kept with its bytes, and a build
    given the process's memo (load_data) fills it."""
    from sitedata import pipeline

    project.replace("data/glossary.yaml", "- id: jwg", "- id: jwg\n  : broken")
    parsed = []
    parse = pipeline.parse_document
    monkeypatch.setattr(pipeline, "parse_document", lambda raw, rel, report: (
        parsed.append(rel), parse(raw, rel, report))[1])
    memo = Memo()
    first = _verdict(validate(project.root, FIXTURE_DAY, memo))
    assert "data/glossary.yaml" in parsed and first
    parsed.clear()
    assert _verdict(validate(project.root, FIXTURE_DAY, memo)) == first and parsed == []
    project.replace("data/glossary.yaml", "- id: jwg\n  : broken", "- id: jwg")
    memo = Memo()
    load_data(project.root, FIXTURE_DAY, memo)
    parsed.clear()
    assert not validate(project.root, FIXTURE_DAY, memo).report and parsed == []


def test_a_memo_forgets_its_verdicts_when_the_judge_changes(project):
    memo = Memo()
    project.replace("data/sources/wire-report.yaml", "published: 2026-01-16",
                    "published: 2026-11-30")
    assert not validate(project.root, datetime.date(2026, 11, 30), memo).report
    assert "is in the future" in str(validate(project.root, FIXTURE_DAY, memo).report.format())
    assert not validate(project.root, datetime.date(2026, 11, 30), memo).report
    schema = "sitedata/schemas/source.schema.json"
    project.replace(schema, '"required": [', '"required": ["isbn", ')
    assert "missing the required field 'isbn'" in \
        validate(project.root, datetime.date(2026, 11, 30), memo).report.format()


def test_a_long_list_goes_on_over_further_pages_of_its_size():
    assert pages("source", 0) == pages("source", 100) == ["sources.md"]
    assert pages("source", 101) == ["sources.md", "sources/2.md"]
    assert pages("source", 300) == ["sources.md", "sources/2.md", "sources/3.md"]
    assert pages("term", 51) == ["glossary.md", "glossary/2.md"]
    assert pages("event", 1000) == ["visit.md"]  # not split
    # A log, newest first: its older pages numbered from the oldest, so that none is renamed,
    # each full; its first page takes what does not fill one more.
    assert pages("change", 199) == ["changes.md"]
    assert pages("change", 200) == pages("change", 299) == ["changes.md", "changes/1.md"]
    assert pages("change", 300) == ["changes.md", "changes/2.md", "changes/1.md"]


def test_sources_are_split_by_kind_then_id_and_linked_on_their_page(project, monkeypatch):
    monkeypatch.setitem(PLACES, "source", Place("sources.md", "src-", per_page=2))
    site = enriched(project.root)
    assert [(page, sorted(ids)) for page, ids in site.listings["source"]] == [
        ("sources.md", ["mea-briefing", "mfa-china-presser"]),
        ("sources/2.md", ["mofa-dialogue", "wire-report"]),
        ("sources/3.md", ["think-tank"])]  # official, news, analysis; by id within each
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("visit.md")
    assert views.link("source", "mea-briefing") == "../sources/#src-mea-briefing"
    assert views.link("source", "wire-report") == "../sources/2/#src-wire-report"
    assert views.url("sources.md") == "../sources/"
    views.start_page("sources/3.md")
    assert views.link("source", "think-tank") == "#src-think-tank"
    assert [s["id"] for s in site.sources_on("sources/2.md")] == \
        [i for i in site.sources if i in ("mofa-dialogue", "wire-report")]  # as the site orders
    sections = views.source_sections()
    assert "think-tank" in sections and "wire-report" not in sections
    assert "## Analysis" in sections and "## Official" not in sections
    pager = str(views.pager())
    assert pager.startswith('<nav class="ij-pager" aria-label="Pages of the source list">')
    assert "Page 3 of 3: sources 5 to 5 of 5." in pager
    assert '<a href="../">First</a> · <a href="../2/" rel="prev">Previous</a></p>' in pager
    assert str(views.pager(below=True)).startswith('<div class="ij-pager">')
    views.start_page("sources/2.md")  # first and last are the previous and the next
    assert 'of 5.\n<a href="../" rel="prev">Previous</a> · <a href="../3/" rel="next">Next</a>' \
        '</p>' in str(views.pager())
    views.start_page("sources.md")
    assert '<a href="2/" rel="next">Next</a> · <a href="3/">Last</a></p>' in \
        str(views.pager())
    generated = views.generated_pages()
    assert list(generated) == ["sources/2.md", "sources/3.md"]
    front, body = generated["sources/2.md"].removeprefix("---\n").split("\n---\n")
    assert yaml.safe_load(front) == {
        "title": "Sources, page 2 of 3", "render_macros": True,
        "description": "Sources 3 to 4 of 5, each with its publisher, date, kind and language, "
                       "and the pages and records that cite it."}
    assert body.lstrip().startswith("# Sources, page 2 of 3 { #sources }")
    assert "{{ source_sections() }}" in body


def test_sources_that_fit_on_one_page_have_no_pager(views, project, monkeypatch):
    views.start_page("sources.md")
    assert str(views.pager()) == "" and views.generated_pages() == {}
    monkeypatch.setitem(PLACES, "source", Place("sources.md", "src-"))  # never split
    assert [(page, len(ids)) for page, ids in enriched(project.root).listings["source"]] == \
        [("sources.md", 5)]


def test_the_glossary_and_the_claims_go_on_over_further_pages(project, monkeypatch):
    for kind, page, prefix in (("term", "glossary.md", "term-"), ("name", "glossary.md", "name-"),
                               ("claim", "claims.md", "claim-")):
        monkeypatch.setitem(PLACES, kind, Place(page, prefix, per_page=1))
    glossary = project.root / "data" / "glossary.yaml"  # jwg: after quad by its term, not its id
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("en: JWG", "en: Zeta"),
                        encoding="utf-8")
    claims = project.root / "data" / "claims.yaml"
    text = claims.read_text(encoding="utf-8")  # a second claim, after the first
    claims.write_text(text + text.split("\n", 1)[1].replace("id: dates", "id: a-later-claim"),
                      encoding="utf-8")
    site = enriched(project.root)
    assert [g["id"] for g in site.glossary] == ["quad", "jwg"]  # as shown: by term
    assert site.listings["term"] == [("glossary.md", ["jwg"]), ("glossary/2.md", ["quad"])]  # by id
    assert site.listings["name"] == [("glossary.md", ["strategic-dialogue"])]
    # In the report's order (the data's), not by id.
    assert site.listings["claim"] == [("claims.md", ["dates"]), ("claims/2.md", ["a-later-claim"])]
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("visit.md")
    assert views.link("term", "quad") == "../glossary/2/#term-quad"
    assert views.link("name", "strategic-dialogue") == "../glossary/#name-strategic-dialogue"
    assert views.link("claim", "a-later-claim") == "../claims/2/#claim-a-later-claim"
    views.start_page("glossary.md")
    first = str(views.glossary_list())
    assert 'id="term-jwg"' in first and 'id="term-quad"' not in first
    assert '<a href="2/#term-quad">Quad</a>' in first  # jwg's "see also", on the next page
    assert 'id="name-strategic-dialogue"' in str(views.terminology_list())
    assert 'aria-label="Pages of the glossary"' in str(views.pager())
    views.start_page("glossary/2.md")
    assert 'id="term-quad"' in str(views.glossary_list())
    assert str(views.terminology_list()) == ""  # every name is on the first page
    assert "Page 2 of 2.\n<a href=\"../\" rel=\"prev\">Previous</a></p>" in str(views.pager())
    views.start_page("claims/2.md")
    check = str(views.claims_check())
    assert '<ol class="ij-claims" start="2">' in check  # numbered on from the first page
    assert 'id="claim-a-later-claim"' in check and 'id="claim-dates"' not in check
    assert '<span class="ij-counts__number">2</span>' in check  # the counts are of every claim
    assert 'aria-label="Pages of the claims check"' in str(views.pager())
    views.start_page("claims.md")
    assert 'start=' not in str(views.claims_check())
    generated = views.generated_pages()
    assert list(generated) == ["glossary/2.md", "claims/2.md"]
    front, body = generated["glossary/2.md"].removeprefix("---\n").split("\n---\n")
    assert yaml.safe_load(front)["title"] == "Glossary, page 2 of 2"
    assert "{{ glossary_list() }}" in body and "Terminology" not in body  # no names on it
    front, body = generated["claims/2.md"].removeprefix("---\n").split("\n---\n")
    assert yaml.safe_load(front)["title"] == "Claims check, page 2 of 2"
    assert "{{ claims_check() }}" in body and "{{ pager() }}" in body
    monkeypatch.setitem(PLACES, "claim", Place("claims.md", "claim-", per_page=2))
    assert enriched(project.root).listings["claim"] == [("claims.md", ["dates", "a-later-claim"])]


def test_a_log_keeps_its_newest_first_and_its_older_pages_as_they_are(project, monkeypatch,
                                                                    tmp_path):
    import feedparser
    one_page = enriched(project.root).listings  # newest first, as shown
    assert one_page["correction"] == [("corrections.md", ["metro-day", "role-start"])]
    assert one_page["search"] == [("searches.md", ["ai-dialogue-meeting", "ai-dialogue-first"])]
    for kind, page, prefix in (("correction", "corrections.md", "correction-"),
                               ("search", "searches.md", "search-"),
                               ("change", "changes.md", "")):
        monkeypatch.setitem(PLACES, kind, Place(page, prefix, per_page=1, newest_first=True))
    site = enriched(project.root)
    assert site.listings["correction"] == [("corrections.md", ["metro-day"]),  # the newest
                                           ("corrections/1.md", ["role-start"])]  # the oldest
    assert site.listings["search"] == [("searches.md", ["ai-dialogue-meeting"]),
                                       ("searches/1.md", ["ai-dialogue-first"])]
    assert [page for page, _ids in site.listings["change"]] == \
        ["changes.md", "changes/3.md", "changes/2.md", "changes/1.md"]
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("people.md")
    assert '<a href="../corrections/1/#correction-role-start" class="ij-corrected">' in \
        str(views.record_meta("people", "visitor-one"))
    views.start_page("corrections.md")
    assert 'id="correction-metro-day"' in str(views.corrections_list())
    pager = str(views.pager())
    assert 'aria-label="Pages of the corrections"' in pager
    assert 'Entries 2 to 2 of 2, counted from the oldest.\n<a href="1/" rel="next">Older</a></p>' \
        in pager
    views.start_page("corrections/1.md")
    listed = str(views.corrections_list())
    assert 'id="correction-role-start"' in listed and "metro-day" not in listed
    assert 'Entries 1 to 1 of 2, counted from the oldest.\n<a href="../" rel="prev">Newer</a>' \
        in str(views.pager())
    views.start_page("changes/2.md")  # the second oldest, with the links to all four
    assert '<a href="../">Newest</a> · <a href="../3/" rel="prev">Newer</a> · <a href="../1/" ' \
        'rel="next">Older</a></p>' in str(views.pager())
    views.start_page("changes/1.md")
    assert "AI Dialogue: Announced" in views.changes_list()
    assert "In progress" not in views.changes_list()
    generated = views.generated_pages()
    assert [page for page in generated if page.startswith(("corrections", "changes"))] == \
        ["corrections/1.md", "changes/3.md", "changes/2.md", "changes/1.md"]
    front, body = generated["corrections/1.md"].removeprefix("---\n").split("\n---\n")
    assert yaml.safe_load(front)["title"] == "Corrections, part 1"
    assert "{{ corrections_list() }}" in body
    feed = feedparser.parse((write_feeds(site, tmp_path, "https://example.org/")[2]).read_text())
    # A correction's entry keeps the id it was first listed under; its link goes where it is.
    assert [(e.id, e.link) for e in feed.entries][1] == (
        "https://example.org/corrections/#correction-role-start",
        "https://example.org/corrections/1/#correction-role-start")


def test_the_timeline_and_the_people_go_on_over_further_pages(project, monkeypatch):
    timeline = project.root / "data" / "timeline.yaml"  # after dialogue-2026 in the file
    timeline.write_text(timeline.read_text(encoding="utf-8") + (
        "- id: a-same-day\n  date: 2026-01-16\n  title:\n    en: Same day\n  summary:\n"
        "    en: s\n  tags: [bilateral]\n  sources: [wire-report]\n"
        "  last_verified: 2026-11-20\n  untranslated: [ja]\n"), encoding="utf-8")
    people = project.root / "data" / "people"  # host.yaml comes after host-one.yaml; its id first
    (people / "host.yaml").write_text((people / "host-one.yaml").read_text(encoding="utf-8")
                                      .replace("id: host-one", "id: host"), encoding="utf-8")
    one_page = enriched(project.root).listings  # each page lists its records as they are shown
    assert one_page["milestone"] == [("timeline.md",
                                      ["global-partnership", "dialogue-2026", "a-same-day"])]
    assert one_page["person"] == [("people.md", ["host-one", "host", "visitor-one"])]
    monkeypatch.setitem(PLACES, "milestone", Place("timeline.md", "tl-", per_page=1,
                                                   newest_first=True))
    monkeypatch.setitem(PLACES, "person", Place("people.md", "person-", per_page=1))
    site = enriched(project.root)
    assert [t["id"] for t in site.timeline] == ["global-partnership", "dialogue-2026", "a-same-day"]
    assert site.listings["milestone"] == [("timeline.md", ["dialogue-2026"]),  # by date, then id
                                          ("timeline/2.md", ["a-same-day"]),
                                          ("timeline/1.md", ["global-partnership"])]
    assert list(site.people) == ["host-one", "host", "visitor-one"]  # as their files are read
    assert site.listings["person"] == [("people.md", ["host"]), ("people/2.md", ["host-one"]),
                                       ("people/3.md", ["visitor-one"])]  # by id
    views = Views(site, "https://github.com/o/r", root=ROOT)
    for page, shown, not_shown in (("timeline.md", "dialogue-2026", "global-partnership"),
                                   ("timeline/1.md", "global-partnership", "dialogue-2026")):
        views.start_page(page)
        listed = views.timeline_list()
        assert f'id="tl-{shown}"' in listed and f"tl-{not_shown}" not in listed
        assert views.timeline_graphic().count("<circle") == 1  # the page's milestones only
    views.start_page("people/3.md")
    assert 'id="person-visitor-one"' in str(views.people_list())
    assert "person-host-one" not in str(views.people_list())
    generated = views.generated_pages()
    assert "timeline/1.md" in generated and "people/3.md" in generated
    assert "{{ timeline_graphic() }}" in generated["timeline/1.md"]


def test_the_glossary_goes_on_for_as_many_pages_as_its_longer_list(project, monkeypatch):
    terminology = project.root / "data" / "terminology.yaml"  # a second name, first by id
    text = terminology.read_text(encoding="utf-8")
    terminology.write_text(text + text.split("\n", 1)[1].replace("id: strategic-dialogue",
                                                                 "id: a-name"), encoding="utf-8")
    glossary = project.root / "data" / "glossary.yaml"  # jwg: after quad by its term, not its id
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("en: JWG", "en: Zeta"),
                        encoding="utf-8")
    one_page = enriched(project.root).listings  # as shown: names as in the file, terms by term
    assert one_page["name"] == [("glossary.md", ["strategic-dialogue", "a-name"])]
    assert one_page["term"] == [("glossary.md", ["quad", "jwg"])]
    monkeypatch.setitem(PLACES, "name", Place("glossary.md", "name-", per_page=1))
    site = enriched(project.root)
    assert site.listings["term"] == [("glossary.md", ["quad", "jwg"])]  # both on the first
    assert site.listings["name"] == [("glossary.md", ["a-name"]),  # by kind, then id
                                     ("glossary/2.md", ["strategic-dialogue"])]
    assert site.list_pages("glossary/2.md") == site.list_pages("glossary.md") == \
        ["glossary.md", "glossary/2.md"]
    views = Views(site, "https://github.com/o/r", root=ROOT)
    generated = views.generated_pages()
    assert list(generated) == ["glossary/2.md"]
    assert "## Terminology { #terminology }" in generated["glossary/2.md"]
    views.start_page("glossary/2.md")
    assert str(views.glossary_list()) == ""  # every term is on the first page
    assert 'id="name-strategic-dialogue"' in str(views.terminology_list())


def test_the_outcomes_go_on_over_further_pages_each_with_its_overview(project, monkeypatch):
    outcomes = project.root / "data" / "outcomes"
    (outcomes / "a-later-one.yaml").write_text(
        (outcomes / "ai-dialogue.yaml").read_text(encoding="utf-8")
        .replace("id: ai-dialogue", "id: a-later-one").replace("en: AI Dialogue", "en: Later one")
        .replace("2026-01-16", "2026-01-17"), encoding="utf-8")  # announced a day later
    (outcomes / "zz-same-day.yaml").write_text(
        (outcomes / "ai-dialogue.yaml").read_text(encoding="utf-8")
        .replace("id: ai-dialogue", "id: zz-same-day").replace("en: AI Dialogue", "en: AA same day"),
        encoding="utf-8")
    shown = ["zz-same-day", "ai-dialogue", "a-later-one"]  # by date, then title
    assert enriched(project.root).listings["outcome"] == [("outcomes.md", shown)]  # as shown
    monkeypatch.setitem(PLACES, "outcome", Place("outcomes.md", "outcome-", per_page=1))
    site = enriched(project.root)
    assert [o.id for o in site.outcomes] == shown
    assert site.listings["outcome"] == [("outcomes.md", ["ai-dialogue"]),  # by date, then id
                                        ("outcomes/2.md", ["zz-same-day"]),
                                        ("outcomes/3.md", ["a-later-one"])]
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("outcomes/3.md")
    overview = str(views.outcome_overview())
    assert "#outcome-a-later-one" in overview and "#outcome-ai-dialogue" not in overview
    assert '<span class="ij-counts__number">3</span>' in overview  # the counts are of them all
    sections = views.outcome_sections()
    assert "{ #outcome-a-later-one }" in sections and "#outcome-ai-dialogue" not in sections
    views.start_page("claims.md")
    assert '<a href="../outcomes/3/#outcome-a-later-one">' in str(views.since_report())


def test_the_site_holds_every_collection(site):
    assert [t["id"] for t in site.terminology] == ["strategic-dialogue"]
    assert [c["id"] for c in site.claims] == ["dates"]
    assert sorted(site.people) == ["host-one", "visitor-one"]
    assert site.visit["title"]


def test_a_source_is_verified_when_it_was_last_read(project):
    project.replace("data/sources/wire-report.yaml", "country: india\n",
                    "country: india\naccessed: 2026-11-10\n")
    site = enriched(project.root)
    assert site.dates[("sources", "wire-report")].verified == "2026-11-10"
    assert site.dates[("sources", "mea-briefing")].verified == ""  # never read again: no date
    assert site.dates[("people", "host-one")].verified == "2026-11-20"


def test_site_lookups_of_what_is_not_there_are_empty(site):
    assert site.corrections_of("outcomes", "no-such-outcome", "") == []
    assert site.searches_of("outcomes", "no-such-outcome") == []
    assert site.data_files("no-such-collection") == []
    assert site.data_files("glossary") == ["data/glossary.yaml"]


def test_stats_count_from_the_data(site):
    from sitedata.stats import measure, stats_table
    figures = {f.name: f for f in measure(site)}
    assert figures["sources"].value == 5 and figures["sources"].met is False  # target 40
    assert figures["claims: confirmed"].value + figures["claims: differs"].value >= 0
    assert [n for n in figures if n.startswith("claims: ")] == [
        "claims: confirmed", "claims: differs", "claims: omitted-context", "claims: unverified"]
    assert {"sources: news", "sources: analysis", "sources: reference"} <= set(figures)
    assert stats_table(site).splitlines()[-1].startswith("targets missed: sources;")


# -- enrich ----------------------------------------------------------------------------------

def test_outcome_status_is_derived_from_its_latest_update(site):
    (outcome,) = site.outcomes
    assert outcome.status.value == "in-progress"
    assert outcome.status_since == "2026-04-20"
    assert outcome.days_since_evidence == (FIXTURE_DAY - datetime.date(2026, 4, 20)).days
    assert outcome.is_overdue  # deadline 2026-04-30 passed, not delivered


def test_delivered_outcome_is_never_overdue(project):
    project.replace("data/outcomes/ai-dialogue.yaml", "status: in-progress", "status: delivered")
    (outcome,) = enriched(project.root).outcomes
    assert outcome.status.value == "delivered" and not outcome.is_overdue
    assert not outcome.awaits_evidence


def test_outcome_before_its_deadline_is_not_overdue(project):
    (outcome,) = enriched(project.root, datetime.date(2026, 4, 30)).outcomes
    assert not outcome.is_overdue
    (outcome,) = enriched(project.root, datetime.date(2026, 5, 1)).outcomes
    assert outcome.is_overdue


def test_status_holds_since_the_earliest_update_of_its_unbroken_run(project):
    # announced → in-progress → in-progress: in progress since the first of the two.
    project.replace("data/outcomes/ai-dialogue.yaml", "sources: [mea-briefing]\n",
                    "sources: [mea-briefing]\n", )
    project.replace("data/outcomes/ai-dialogue.yaml", "      en: The first meeting was held.\n"
                    "    sources: [wire-report]\n", "      en: The first meeting was held.\n"
                    "    sources: [wire-report]\n  - date: 2026-06-01\n    status: in-progress\n"
                    "    summary:\n      en: A second meeting.\n    sources: [wire-report]\n")
    (outcome,) = enriched(project.root).outcomes
    assert (outcome.status.value, outcome.status_since, outcome.latest_evidence) == \
        ("in-progress", "2026-04-20", "2026-06-01")


def test_an_outcome_with_nothing_since_its_announcement_awaits_evidence(project):
    project.replace("data/outcomes/ai-dialogue.yaml", "status: in-progress", "status: announced")
    (outcome,) = enriched(project.root).outcomes
    assert outcome.status_since == "2026-01-16" and outcome.latest_evidence == "2026-04-20"
    assert outcome.awaits_evidence
    (outcome,) = enriched(project.root, datetime.date(2026, 4, 20)).outcomes
    assert not outcome.awaits_evidence  # evidence the same day
    (outcome,) = enriched(project.root, datetime.date(2026, 4, 21)).outcomes
    assert outcome.awaits_evidence  # and a day later, none since


def test_sources_know_every_place_that_cites_them(site):
    places = [(c.page, c.anchor, c.label) for c in site.cited_by["mea-briefing"]]
    assert places == [
        ("outcomes.md", "outcome-ai-dialogue", "Outcomes: AI Dialogue"),
        ("china.md", "background", "Topic china-context: Background"),
        ("economic-security.md", "background", "Topic economic-security: Background"),
        ("quad.md", "background", "Topic quad: Background"),
        ("index.md", "", "Home: at a glance"),
        ("visit.md", "stop-new-delhi", "The visit: New Delhi (15 January 2026)"),
        ("visit.md", "event-dialogue", "The visit: Strategic Dialogue"),
        ("timeline.md", "tl-dialogue-2026", "Timeline: 18th Strategic Dialogue"),
        ("people.md", "person-host-one", "People: Host One"),
        ("glossary.md", "term-jwg", "Glossary: JWG"),
        ("claims.md", "claim-dates", "Claims: The visit ran from 15 to 17 January 2026.")]
    assert [(c.page, c.anchor, c.label) for c in site.cited_by["mfa-china-presser"]][:1] == [
        ("china.md", "perspectives", "Topic china-context: perspectives")]
    assert ("china.md", "", "Topic china-context") in [
        (c.page, c.anchor, c.label) for c in site.cited_by["wire-report"]]
    assert ("visit.md", "stop-manila", "The visit: Manila (15 January 2026)") in [
        (c.page, c.anchor, c.label) for c in site.cited_by["wire-report"]]
    logs = [(c.page, c.anchor, c.label) for c in site.cited_by["wire-report"]
            if c.page in ("corrections.md", "searches.md")]
    assert logs == [("corrections.md", "correction-metro-day", "Corrections: 22 November 2026"),
                    ("searches.md", "search-ai-dialogue-first", "Search log: 21 April 2026")]


@pytest.mark.parametrize("edition, most, more", [
    ("en", 3, "; and 8 more places</span>"), ("en", 10, "; and 1 more place</span>"),
    ("en", 11, None), ("en", 20, None), ("ja", 3, "、ほか8箇所</span>")])
def test_a_source_lists_at_most_so_many_places_and_counts_the_rest(project, monkeypatch,
                                                                    edition, most, more):
    monkeypatch.setattr("sitedata.views.MOST_SHOWN", most)  # mea-briefing: cited in 11 places
    site = load_site(project.root, FIXTURE_DAY, edition=edition)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("sources.md")
    html = views.source_sections()
    item = html[html.index('<li id="src-mea-briefing">'):]
    item = item[:item.index("</li>")]
    links = re.findall(r'<a href="([^"]+)"', item[item.index("ij-cited-by"):])
    places = site.cited_by["mea-briefing"]
    assert links == [views.url(c.page, c.anchor) for c in places[:most]]  # in site order
    assert (more in item) if more else ("more place" not in item and "ほか" not in item)


@pytest.mark.parametrize("edition, most, more", [
    ("en", 1, "And 2 more outcomes, on the outcomes pages."),
    ("en", 2, "And 1 more outcome, on the outcomes page."), ("en", 3, None), ("en", 5, None),
    ("ja", 1, "ほか2件の成果は成果のページに。")])
def test_the_claims_check_lists_at_most_so_many_outcomes_and_counts_the_rest(
        project, monkeypatch, edition, most, more):
    outcomes = project.root / "data" / "outcomes"
    for copy in ("copy-one", "copy-two"):
        (outcomes / f"{copy}.yaml").write_text(
            (outcomes / "ai-dialogue.yaml").read_text(encoding="utf-8")
            .replace("id: ai-dialogue", f"id: {copy}"), encoding="utf-8")
    monkeypatch.setattr("sitedata.views.MOST_SHOWN", most)
    site = load_site(project.root, FIXTURE_DAY, edition=edition)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("claims.md")
    html = str(views.since_report())
    shown = re.findall(r'<li><a href="\.\./outcomes/#outcome-([^"]+)">', html)
    assert shown == [o.id for o in site.outcomes][:most]  # in the outcomes' order
    if more:
        assert html.endswith(f'<li><a href="../outcomes/">{more}</a></li>\n</ul>')
    else:
        assert "outcomes/\">" not in html and len(shown) == 3


@pytest.mark.parametrize("edition, most, earlier", [
    ("en", 1, ', <a href="../searches/">and 1 earlier search</a>.</p>'), ("en", 2, None),
    ("en", 3, None),
    ("ja", 1, '、<a href="../searches/">それ以前の調査1件</a>。</p>')])
def test_an_outcome_lists_its_newest_searches_and_counts_the_earlier(
        project, monkeypatch, edition, most, earlier):
    monkeypatch.setattr("sitedata.views.MOST_SHOWN", most)  # ai-dialogue: searched twice
    views = Views(load_site(project.root, FIXTURE_DAY, edition=edition),
                  "https://github.com/o/r", root=ROOT)
    views.start_page("outcomes.md")
    html = views.outcome_sections()
    links = re.findall(r'href="\.\./searches/#search-([^"]+)"', html)
    assert links == ["ai-dialogue-meeting", "ai-dialogue-first"][:most]  # newest first
    assert (earlier in html) if earlier else "earlier search" not in html


@pytest.mark.parametrize("most, shown", [
    (0, '<a href="../corrections/" class="ij-corrected">and 1 earlier correction</a>'),
    (1, '<a href="../corrections/#correction-role-start" class="ij-corrected">Corrected on '
        '21 November 2026</a>')])
def test_a_record_lists_its_newest_corrections_and_counts_the_earlier(project, monkeypatch,
                                                                       most, shown):
    monkeypatch.setattr("sitedata.views.MOST_SHOWN", most)  # visitor-one: corrected once
    views = Views(load_site(project.root, FIXTURE_DAY), "https://github.com/o/r", root=ROOT)
    views.start_page("people.md")
    html = str(views.record_meta("people", "visitor-one"))
    assert shown in html and html.count("ij-corrected") == 1


def test_the_sources_pages_say_how_many_places_a_source_lists():
    for page in ("docs/sources.md", "docs/ja/sources.md"):
        assert f"{MOST_SHOWN}" in (ROOT / page).read_text(encoding="utf-8"), page


def test_a_quotation_cites_its_source_and_its_official_translation(project):
    project.replace("data/topics/quad.yaml", "      source: mfa-china-presser\n",
                    "      source: wire-report\n      translation_sources: {ja: mofa-dialogue}\n")
    place = ("quad.md", "perspectives", "Topic quad: perspectives")
    english, japanese = ({source: [(c.page, c.anchor, str(c.label)) for c in cites]
                          for source, cites in load_site(project.root, FIXTURE_DAY,
                                                         edition=edition).cited_by.items()}
                         for edition in ("en", "ja"))
    assert place in english["wire-report"]  # the quotation's own source, not the point's
    assert place not in english["mofa-dialogue"]  # English words: shown with no translation
    assert place[:2] in [(page, anchor) for page, anchor, _ in japanese["mofa-dialogue"]]


def test_each_entry_of_a_list_file_is_dated_by_its_own_lines(project):
    """Each entry spans from its first line to the line before the next entry's; the last one
    to the end of the file, however long (a history given line by line, without git)."""
    from sitedata.enrich import _dates

    path = project.root / "data/glossary.yaml"
    text = path.read_text(encoding="utf-8")
    third = text[text.index("- id: jwg"):].replace("id: jwg", "id: jwg-two")
    text += "# a note\n" * 80 + third
    path.write_text(text, encoding="utf-8")
    records = validate(project.root, FIXTURE_DAY).records
    starts = [record.mark()[0] for record in records["glossary"]]
    assert len(starts) == 3 and starts[2] > 90
    days = [f"2026-11-{10 + sum(start <= n for start in starts):02d}"
            for n in range(1, text.count("\n") + 1)]
    days[-1] = "2026-11-25"  # the file's last line, far down
    days[starts[1] - 2] = "2026-11-20"  # the first entry's last line, just before the second
    dates = _dates(records, History(lines={"data/glossary.yaml": days}))
    assert [(dates[("glossary", i)].added, dates[("glossary", i)].changed)
            for i in ("quad", "jwg", "jwg-two")] == [
        ("2026-11-11", "2026-11-20"), ("2026-11-12", "2026-11-12"), ("2026-11-13", "2026-11-25")]


def test_a_long_title_is_shortened_where_it_is_cited(project):
    project.replace("data/claims.yaml", "en: The visit ran from 15 to 17 January 2026.",
                    "en: " + "x" * 89 + "yz")
    label = [c.label for c in enriched(project.root).cited_by["mofa-dialogue"]
             if c.page == "claims.md"]
    assert label == ["Claims: " + "x" * 87 + "..."]
    japanese = [str(c.label) for c in load_site(project.root, FIXTURE_DAY, edition="ja")
                .cited_by["mofa-dialogue"] if c.page == "claims.md"]
    assert japanese == ['主張：<span lang="en">' + "x" * 87 + '...</span> '
                        '<span class="ij-untranslated" lang="ja">未翻訳</span>']  # still marked
    project.replace("data/claims.yaml", "x" * 89 + "yz", "x" * 89 + "y")  # exactly the limit
    label = [c.label for c in enriched(project.root).cited_by["mofa-dialogue"]
             if c.page == "claims.md"]
    assert label == ["Claims: " + "x" * 89 + "y"]


def test_each_record_says_which_file_it_is_in(site):
    assert site.file_of("people", "host-one") == "data/people/host-one.yaml"
    assert site.file_of("glossary", "jwg") == "data/glossary.yaml"
    assert site.file_of("people", "nobody") == "data/people"
    assert site.data_files("glossary") == ["data/glossary.yaml"]


def test_links_and_places_come_from_the_registry():
    from sitedata.registry import absolute, anchor, feed_file, href, place
    assert place("outcome", "x") == ("outcomes.md", "outcome-x")
    assert place("outcome") == ("outcomes.md", "")
    assert place("visit") == ("index.md", "")
    assert place("topic", "china-context") == ("china.md", "")
    assert place("topic", "new-topic") == ("new-topic.md", "")
    assert anchor("milestone", "y") == "tl-y"
    assert href("visit.md", "sources.md", "src-a") == "../sources/#src-a"
    assert href("visit.md", "visit.md", "day-by-day") == "#day-by-day"
    assert href("visit.md", "visit.md") == "./"
    assert href("index.md", "visit.md") == "visit/"
    assert href("visit.md", "index.md") == "../"
    assert href("index.md", "index.md") == "./"
    assert href("visit.md", "feed.xml") == "../feed.xml"
    assert href("index.md", "api/v1/index.json") == "api/v1/index.json"
    assert href("sub/page.md", "other.md") == "../../other/"
    assert absolute("https://e.org/site/", "outcomes.md", "outcome-x") == \
        "https://e.org/site/outcomes/#outcome-x"
    assert absolute("https://e.org/site", "index.md") == "https://e.org/site/"
    assert absolute("https://e.org/X/", "index.md") == "https://e.org/X/"  # only "/" is trimmed
    assert absolute("https://e.org/site/", feed_file("x")) == "https://e.org/site/feeds/outcome-x.xml"


# -- views (the macros) ----------------------------------------------------------------------

def test_page_urls_follow_mkdocs_directory_urls():
    assert page_url("index.md") == ""
    assert page_url("visit.md") == "visit/"
    assert page_url("sub/index.md") == "sub/"


def test_links_between_pages_are_relative(views):
    assert views.url("sources.md", "src-x") == "../sources/#src-x"
    assert views.url("index.md") == "../"
    assert views.url("visit.md", "day-by-day") == "#day-by-day"
    views.start_page("index.md")
    assert views.url("sources.md") == "sources/"


def test_citations_are_numbered_in_order_of_first_use(views):
    first = views.cite("wire-report")
    second = views.cite("mea-briefing", "wire-report")
    assert 'href="#cite-note-1"' in first and ">[1]<" in first
    assert ">[2]<" in second and 'id="cite-ref-1-2"' in second
    references = views.end_page()
    assert references.index('id="cite-note-1"') < references.index('id="cite-note-2"')
    assert "## References { #references data-pagefind-ignore }" in references
    assert '<a href="#cite-ref-1-1"' in references and '<a href="#cite-ref-1-2"' in references


def test_cite_refuses_an_unknown_source(views):
    with pytest.raises(KeyError, match="visit.md: cite\\(\\) names unknown source id"):
        views.cite("no-such-source")


def test_a_page_defines_the_glossary_terms_its_prose_uses(views):
    views.start_page("about.md", "The JWG met; the Quadrilateral did not.")
    assert views.end_page().strip() == "*[JWG]: Joint Working Group"
    views.start_page("about.md", "Nothing here.")
    assert "*[" not in views.end_page()


def test_a_page_without_citations_has_no_reference_list(views):
    assert "References" not in views.end_page()


def test_itinerary_has_a_heading_per_day_and_event(views):
    markdown = views.itinerary()
    assert "### Friday 16 January 2026 { #day-2026-01-16 }" in markdown
    assert "#### Strategic Dialogue { #event-dialogue }" in markdown
    assert '<time datetime="2026-01-16T12:50+05:30">12:50 IST</time>' in markdown
    assert "<q>A short quotation.</q>" in markdown


def test_outcome_sections_show_wording_deadline_status_and_log(views):
    views.start_page("outcomes.md")
    markdown = views.outcome_sections()
    assert "### AI Dialogue { #outcome-ai-dialogue }" in markdown
    assert "India's wording" in markdown and "launched the AI Dialogue" in markdown
    assert "No wording of its own found" in markdown  # Japan's side is missing
    assert "overdue: the stated deadline (early 2026) passed on 30 April 2026" in markdown
    assert markdown.count('class="ij-status ij-status--') >= 3
    assert "https://github.com/o/r/edit/main/data/outcomes/ai-dialogue.yaml" in markdown


def test_outcome_overview_counts_every_status(views):
    views.start_page("outcomes.md")
    html = str(views.outcome_overview())
    counts = dict(re.findall(r'ij-counts__item--([\w-]+)" role="listitem">'
                             r'<span class="ij-counts__number">(\d+)<', html))
    assert counts == {"announced": "0", "in-progress": "1", "delivered": "0", "stalled": "0"}


def test_topic_page_groups_perspectives_by_holder(views):
    views.start_page("quad.md")
    markdown = views.topic_page("quad")
    assert "## Background { #background }" in markdown
    assert "## Perspectives { #perspectives }" in markdown
    assert "### China { #view-china }" in markdown
    with pytest.raises(KeyError, match="no topic 'nope'"):
        views.topic_page("nope")


def test_key_facts_are_computed_from_the_data(views):
    views.start_page("index.md")
    html = views.key_facts()
    assert "15 January 2026 to 17 January 2026 (3 days), New Delhi" in html
    assert "Philippines → India" in html
    assert "1: 1 in progress" in html
    assert "Visitor One, Minister for Foreign Affairs" in html


def test_tour_map_draws_every_stop(views):
    html = str(views.tour_map())
    assert html.count('class="ij-map__stop"') == 2
    assert "1. Manila, Philippines" in html and "2. New Delhi, India" in html
    assert 'class="ij-map__land ij-map__land--visited"' in html


def test_timeline_marks_planned_entries(project):
    timeline = project.root / "data" / "timeline.yaml"
    timeline.write_text(timeline.read_text(encoding="utf-8") + (
        "- id: later\n  date: '2027'\n  title:\n    en: Later\n  summary:\n    en: s\n"
        "  tags: [bilateral]\n  sources: [wire-report]\n  last_verified: 2026-11-20\n"
        "  untranslated: [ja]\n"), encoding="utf-8")
    views = Views(enriched(project.root), "https://github.com/o/r", root=ROOT)
    views.start_page("timeline.md")
    html = views.timeline_list()
    assert html.index('id="tl-later"') < html.index('id="tl-dialogue-2026"')  # newest first
    assert "(planned)" in html
    assert views.timeline_graphic().count("<circle") == 3


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda c: c.name)
def test_field_reference_lists_every_field_of_the_schema(collection):
    schema = Schemas(ROOT).bundled(collection.schema)
    record = schema["items"] if schema.get("type") == "array" else schema
    rows = {row["name"] for row in field_table(schema)["fields"]}
    assert set(record["properties"]) <= rows


def test_field_reference_lists_vocabulary_values():
    rows = {r["name"]: r for r in field_table(Schemas(ROOT).bundled("outcome.schema.json"))["fields"]}
    assert rows["updates[].status"]["type"] == "one of: announced, in-progress, delivered, stalled"


def _page_html(views: Views, stash: bool) -> str:
    """A page made of macros that write blocks, in Markdown templates and on lines of their
    own, converted as MkDocs converts a page (its extensions, and MkDocs's own raw-HTML pass)."""
    import markdown
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    extensions = ["abbr", "attr_list", "toc", "pymdownx.superfences"]
    if stash:
        extensions.append(views.renderer.block_stash())
    views.start_page("sources.md", "Some prose.")
    text = "\n\n".join([views.source_counts(), views.source_sections(), views.edit_data("sources"),
                        views.history_note(), "Some prose " + views.cite("mea-briefing") + ".",
                        views.end_page()])
    md = markdown.Markdown(extensions=extensions)
    _RawHTMLPreprocessor()._register(md)
    return md.convert(text)


def test_blocks_put_back_unparsed_give_the_page_markdown_would_give(site):
    """Renderer.block hands a page a line standing for each block of HTML, and BlockStash puts
    the HTML back as a raw block without parsing it: the page must come out the same, byte for
    byte, as the HTML written into the Markdown."""
    plain = _page_html(Views(site, "https://github.com/o/r", root=ROOT), stash=False)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    stashed = _page_html(views, stash=True)
    assert len(views.renderer.blocks) >= 4  # the page was made of placeholders
    assert "sitedata-block" not in stashed and 'class="ij-' in stashed
    assert stashed == plain


def test_a_block_with_nothing_to_show_is_no_line_at_all(views):
    views.renderer.block_stash()
    assert views.block("history_note.html", reason="") == ""
    assert views.block("history_note.html", reason="a copy") == "<!--sitedata-block-0-->"


def test_a_block_inside_a_line_of_text_is_the_html_itself(site):
    """A block macro written inside a line of text gets what it got before blocks were put
    back unparsed: its HTML, which Markdown parses there."""
    import markdown

    pages = []
    for stash in (False, True):
        views = Views(site, "https://github.com/o/r", root=ROOT)
        extensions = [views.renderer.block_stash()] if stash else []
        views.start_page("glossary.md")
        pages.append(markdown.Markdown(extensions=extensions).convert(
            "Text " + views.glossary_list() + " and more."))
    assert "sitedata-block" not in pages[1] and "ij-glossary" in pages[1]
    assert pages[1] == pages[0]


# -- export ----------------------------------------------------------------------------------

def test_every_api_file_validates_against_its_published_schema(site, tmp_path):
    write_api(site, tmp_path, "2026-11-25T00:00:00Z")
    index = json.loads((tmp_path / "index.json").read_text())
    assert [c["name"] for c in index["collections"]] == [c.name for c in COLLECTIONS]
    for collection in COLLECTIONS:
        document = json.loads((tmp_path / f"{collection.name}.json").read_text())
        schema = json.loads((tmp_path / f"{collection.name}.schema.json").read_text())
        assert schema == export_schema(collection, site.schemas)
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()) \
            .validate(document)


def test_an_api_file_has_each_field_and_each_record_on_a_line_of_its_own(site, tmp_path):
    """So that a diff of two builds (tools/compare_engines.py, the reproducibility test) names
    the records that differ; and the same JSON as json writes it."""
    write_api(site, tmp_path, "2026-11-25T00:00:00Z")
    text = (tmp_path / "sources.json").read_text(encoding="utf-8")
    document = json.loads(text)
    lines = text.splitlines()
    assert lines[:3] == ["{", '"schema_version":"2.0.0",', '"generated_at":"2026-11-25T00:00:00Z",']
    records = [json.loads(line.rstrip(",")) for line in lines[lines.index('"items":[') + 1:]
               [:len(document["items"])]]
    assert records == document["items"] and len(records) > 1
    # Characters as they are, not \u escapes (the Japanese texts).
    assert any(not path.read_text(encoding="utf-8").isascii() for path in tmp_path.glob("*.json"))
    for value in ({}, [], {"a": []}, {"a": [1, {"b": "c"}], "d": {"e": [2]}}, "x"):
        assert json.loads(json_text(value)) == value


def test_feeds_list_updates_corrections_and_changes_newest_first(site, tmp_path):
    import feedparser
    written = write_feeds(site, tmp_path, "https://example.org/site/")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "feed.xml", "feeds/outcome-ai-dialogue.xml", "corrections.xml", "changes.xml"]
    feed = feedparser.parse(written[0].read_text())
    assert feed.version == "atom10" and not feed.bozo
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True) and len(dates) == 2
    assert feed.entries[0].link == "https://example.org/site/outcomes/#outcome-ai-dialogue"
    assert feed.entries[0].title == "AI Dialogue: In progress (20 April 2026)"
    corrections = feedparser.parse(written[2].read_text())
    assert [e.link for e in corrections.entries] == [
        "https://example.org/site/corrections/#correction-metro-day",
        "https://example.org/site/corrections/#correction-role-start"]
    assert corrections.entries[0].title == "Correction: The visit: Metro ride"
    assert "The site said: The metro ride was dated 16 January." in corrections.entries[0].summary
    changes = feedparser.parse(written[3].read_text())
    assert not changes.bozo and len(changes.entries) == 4  # no history: updates, corrections
    assert len({e.id for e in changes.entries}) == 4


def test_theme_fixes_touch_only_the_invalid_attributes():
    from sitedata.theme_fixes import fix_html
    page = ('<div class="md-search" data-md-component="search" role="dialog">'
            '<input type="checkbox" id="a" autocomplete="off">'
            '<input type="text" autocorrect="off" autocomplete="off">'
            '<label for="x" tabindex="">n</label><label tabindex="0">m</label>')
    assert fix_html(page) == (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
        '<input type="checkbox" id="a">'
        '<input type="text" autocomplete="off">'
        '<label for="x">n</label><label tabindex="0">m</label>')
    # The table of contents' title names its toggle, which a page outside the navigation lacks.
    toc = '<label class="md-nav__title" for="__toc">Table of contents</label>'
    assert fix_html(toc) == '<label class="md-nav__title">Table of contents</label>'
    assert fix_html('<input id="__toc">' + toc) == '<input id="__toc">' + toc


def test_claims_and_milestones_link_to_the_outcome_they_are_about(site, views):
    status = [o for o in site.outcomes if o.data["id"] == "ai-dialogue"][0].status
    for page, html in (("claims.md", views.claims_check), ("timeline.md", views.timeline_list)):
        views.start_page(page)
        out = str(html())
        assert 'Tracked outcome: <a href="../outcomes/#outcome-ai-dialogue">AI Dialogue</a>' in out
        assert f"ij-status--{status.value}" in out.split("Tracked outcome:", 1)[1]


def test_a_list_is_shown_on_its_own_pages_only(views):
    views.start_page("index.md")
    for macro, page in ((views.timeline_list, "timeline.md"), (views.changes_list, "changes.md"),
                        (views.outcome_sections, "outcomes.md"), (views.claims_check, "claims.md"),
                        (views.people_list, "people.md"), (views.glossary_list, "glossary.md")):
        with pytest.raises(KeyError, match=f"index.md: records of the kind '.*' are listed on "
                                           f"{page} \\(and its further pages\\) only"):
            macro()
    views.start_page("glossary.md")
    assert "name-strategic-dialogue" in str(views.terminology_list())  # two lists on one page


def test_glossary_terms_link_to_related_terms(views):
    views.start_page("glossary.md")
    assert 'See also: <a href="#term-quad">Quad</a>.' in str(views.glossary_list())


def test_a_file_gone_since_the_folder_was_listed_is_a_problem_not_a_crash(tmp_path):
    report = Report()
    assert load_document(tmp_path, "gone.yaml", report) is None
    assert [str(p) for p in report.sorted()] == [
        "gone.yaml:1:1: the file cannot be read (No such file or directory); try again"]


def test_a_file_that_grew_since_its_size_was_read_is_read_whole(tmp_path, monkeypatch):
    (tmp_path / "grown.yaml").write_text("id: grown\nname: all of it\n")
    monkeypatch.setattr(loader.os, "fstat", lambda fd: os.stat_result((0,) * 10))  # size 0
    report = Report()
    assert load_document(tmp_path, "grown.yaml", report).data == {"id": "grown",
                                                                  "name": "all of it"}
    assert not report


def test_records_are_put_in_reading_order(project):
    # Written out of order: a later milestone first, a lower-case term, a second outcome
    # announced earlier, a source from an earlier publisher name.
    timeline = (project.root / "data/timeline.yaml").read_text().split("\n- id:")
    project.write("data/timeline.yaml", timeline[0] + "\n- id:" + timeline[2].rstrip("\n")
                  + "\n- id:" + timeline[1].rstrip("\n") + "\n")
    project.replace("data/glossary.yaml", "en: JWG", "en: awg")
    outcome = (project.root / "data/outcomes/ai-dialogue.yaml").read_text()
    project.write("data/outcomes/b-first.yaml", outcome.replace("id: ai-dialogue", "id: b-first")
                  .replace("en: AI Dialogue", "en: B").replace("announced: 2026-01-16",
                                                                      "announced: 2026-01-15"))
    project.write("data/outcomes/a-second.yaml", outcome.replace("id: ai-dialogue",
                                                                 "id: a-second")
                  .replace("en: AI Dialogue", "en: Z"))
    site = enriched(project.root)
    assert [t["id"] for t in site.timeline] == ["global-partnership", "dialogue-2026"]
    assert [g["term"] for g in site.glossary] == ["awg", "Quad"]
    assert [o.id for o in site.outcomes] == ["b-first", "ai-dialogue", "a-second"]
    assert list(site.sources) == ["think-tank", "wire-report", "mea-briefing", "mofa-dialogue",
                                  "mfa-china-presser"]  # by publisher
    assert site.visit["title"] == "A visit" and site.claims[0]["id"] == "dates"
    assert site.people["host-one"]["name"] == "Host One"
    assert site.topics["quad"]["title"] == "Topic quad"


def test_a_long_name_is_shortened_as_plain_text():
    """A terminology entry's name is a plain string, not a text with a language."""
    from sitedata.enrich import _shorten

    assert _shorten("x" * 91) == "x" * 87 + "..." and _shorten("x" * 90) == "x" * 90
