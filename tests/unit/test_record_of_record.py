"""The site's record of itself: when each record was last verified and last changed (from git),
the corrections log, the search log and the change log, in the data, the pages and the API."""

from __future__ import annotations

import datetime
import os
import subprocess

import pytest

from conftest import FIXTURE_DAY, ROOT
from sitedata.clock import ClockError, build_time
from sitedata.enrich import enrich
from sitedata.history import HistoryMemo, read_history
from sitedata.pipeline import Memo, load_data, load_site, validate
from sitedata.views import Views

LISTS = ["data/glossary.yaml"]


def git(root, *args, day: str = "") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{day}T12:00:00+00:00")
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def history_project(project):
    """The fixture project as a git repository: everything committed on 1 November 2026, then
    the glossary's second entry and one person changed on 20 November."""
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "first", day="2026-11-01")
    project.replace("data/glossary.yaml", "en: A standing group of officials.",
                    "en: A standing group of officials of both governments.")
    project.replace("data/people/host-one.yaml", "en: Host One", "en: Host One Jr")
    git(project.root, "commit", "-q", "-am", "second", day="2026-11-20")
    return project


def test_history_dates_each_file_and_each_list_entry(history_project):
    history = read_history(history_project.root, LISTS)
    assert history.available and history.reason == ""
    assert history.added["data/people/host-one.yaml"] == "2026-11-01"
    assert history.changed["data/people/host-one.yaml"] == "2026-11-20"
    assert history.changed["data/people/visitor-one.yaml"] == "2026-11-01"
    assert history.span("data/glossary.yaml", 2, 11) == ("2026-11-01", "2026-11-01")
    assert history.span("data/glossary.yaml", 12, 22) == ("2026-11-01", "2026-11-20")
    site = load_site(history_project.root, FIXTURE_DAY)
    assert site.dates[("glossary", "quad")].changed == "2026-11-01"
    assert site.dates[("glossary", "jwg")].changed == "2026-11-20"
    assert site.dates[("people", "host-one")].changed == "2026-11-20"
    assert site.dates[("people", "host-one")].verified == "2026-11-20"  # from the data
    new = [(c.date, c.label, c.page, c.anchor) for c in site.changes if c.kind == "new"]
    assert ("2026-11-01", "People: Host One Jr", "people.md", "person-host-one") in new
    # Logs (corrections, searches) and the visit itself are not "new records" of the change log.
    assert {page for _, _, page, _ in new} == {
        "quad.md", "economic-security.md", "china.md", "timeline.md", "glossary.md",
        "sources.md", "people.md", "outcomes.md", "claims.md"}



def test_a_list_entry_is_dated_by_its_own_lines_only(history_project):
    """An entry spans from its own first line to the line before the next entry's: a change
    just after it, or just before it, is not its change."""
    root = history_project.root
    history_project.replace("data/glossary.yaml", "  term:\n    en: JWG\n", "  term: {en: JWG}\n")
    git(root, "commit", "-q", "-am", "third", day="2026-11-22")  # jwg's second line
    dates = load_site(root, FIXTURE_DAY).dates
    assert (dates[("glossary", "quad")].changed, dates[("glossary", "jwg")].changed) == \
        ("2026-11-01", "2026-11-22")
    history_project.replace("data/glossary.yaml", "en: A grouping of", "en: A group of")
    git(root, "commit", "-q", "-am", "fourth", day="2026-11-23")  # quad's seventh line
    dates = load_site(root, FIXTURE_DAY).dates
    assert (dates[("glossary", "quad")].changed, dates[("glossary", "jwg")].changed) == \
        ("2026-11-23", "2026-11-22")

def test_a_record_not_yet_committed_has_no_dates_from_git(history_project):
    """A new file, not yet committed: no day added or changed (empty, as in the API), only the
    day the data says it was verified."""
    host = (history_project.root / "data/people/host-one.yaml").read_text(encoding="utf-8")
    history_project.write("data/people/host-two.yaml", host.replace("id: host-one", "id: host-two"))
    site = load_site(history_project.root, FIXTURE_DAY)
    dates = site.dates[("people", "host-two")]
    assert (dates.added, dates.changed) == ("", "")
    assert dates.verified == site.dates[("people", "host-one")].verified


def test_a_kept_history_is_read_again_only_where_it_changed(history_project, monkeypatch):
    """Under mkdocs serve each save reads the history again: at the same commit, a memo gives
    the log and the blames it kept, and blames again only a list file whose bytes changed; a
    new commit reads everything again."""
    import sitedata.history as history_module

    root = history_project.root
    asked = []
    real = history_module.git_output
    monkeypatch.setattr(history_module, "git_output",
                        lambda at, *args: asked.append(args[0]) or real(at, *args))
    memo = HistoryMemo()
    first = read_history(root, LISTS, memo)
    assert asked.count("log") == 1 and asked.count("blame") == 1
    asked.clear()
    again = read_history(root, LISTS, memo)
    assert (again.changed, again.added, again.lines) == (first.changed, first.added, first.lines)
    assert "log" not in asked and "blame" not in asked
    history_project.replace("data/glossary.yaml", "en: JWG", "en: JWGs")  # not committed
    edited = read_history(root, LISTS, memo)
    assert asked.count("blame") == 1 and "log" not in asked
    assert edited.lines == read_history(root, LISTS).lines
    assert edited.span("data/glossary.yaml", 14, 14) == ("", "")
    asked.clear()
    git(root, "commit", "-q", "-am", "third", day="2026-11-22")
    committed = read_history(root, LISTS, memo)
    assert asked.count("log") == 1 and asked.count("blame") == 1
    assert committed.span("data/glossary.yaml", 14, 14) == ("2026-11-22", "2026-11-22")
    assert committed.changed["data/glossary.yaml"] == "2026-11-22"


def test_the_process_memo_keeps_the_history_between_builds(history_project, monkeypatch):
    """macros.py loads the data with the process's memo on every build: the second load at
    the same commit does not ask git for the log or a blame again."""
    import sitedata.history as history_module

    asked = []
    real = history_module.git_output
    monkeypatch.setattr(history_module, "git_output",
                        lambda at, *args: asked.append(args[0]) or real(at, *args))
    memo = Memo()
    first = load_data(history_project.root, FIXTURE_DAY, memo)
    assert "log" in asked
    asked.clear()
    second = load_data(history_project.root, FIXTURE_DAY, memo)
    assert "log" not in asked and "blame" not in asked
    assert second.history.lines == first.history.lines and second.history.changed


def test_uncommitted_lines_have_no_date(history_project):
    history_project.replace("data/glossary.yaml", "en: JWG", "en: JWGs")
    history = read_history(history_project.root, LISTS)
    assert history.lines["data/glossary.yaml"][13] == ""  # line 14, changed since the commit
    assert history.span("data/glossary.yaml", 14, 14) == ("", "")


def test_a_shallow_clone_or_a_copy_has_no_dates_and_says_why(history_project, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history_project.root}", str(clone))
    shallow = read_history(clone, LISTS)
    assert not shallow.available and "shallow clone" in shallow.reason
    assert shallow.changed == {}
    copy = read_history(tmp_path / "nowhere", LISTS)
    assert "no git history" in copy.reason
    site = load_site(clone, FIXTURE_DAY)
    assert all(not d.changed and not d.added for d in site.dates.values())
    views = Views(site, "https://github.com/o/r", root=ROOT)
    assert "shallow clone" in str(views.history_note())
    assert "last changed" not in str(views.record_meta("people", "host-one"))


# The time a build is dated by (sitedata/clock.py) -------------------------------------------

SECOND_COMMIT = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)  # history_project's
NEWEST_PAST_DAY = datetime.date(2026, 11, 25)  # the fixture outcome's last_checked


def test_source_date_epoch_wins_over_the_commit(history_project):
    built = build_time(history_project.root, environ={"SOURCE_DATE_EPOCH": "1796204764"})
    assert (built.source, built.iso) == ("SOURCE_DATE_EPOCH", "2026-12-02T09:46:04Z")
    assert built.epoch == 1796204764
    with pytest.raises(ClockError, match="whole number of seconds"):
        build_time(history_project.root, environ={"SOURCE_DATE_EPOCH": "2026-12-02"})


def test_without_source_date_epoch_a_build_is_dated_by_its_commit(history_project, tmp_path,
                                                                  monkeypatch):
    head = git(history_project.root, "rev-parse", "HEAD").strip()
    built = build_time(history_project.root, environ={})
    assert (built.when, built.source, built.detail) == (SECOND_COMMIT, "commit", head)
    assert built.iso == "2026-11-20T12:00:00Z" and head[:12] in built.describe()
    history_project.replace("data/glossary.yaml", "en: JWG", "en: JWGs")  # uncommitted: same
    assert build_time(history_project.root, environ={}) == built
    clone = tmp_path / "clone"  # a shallow clone has its one commit
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history_project.root}", str(clone))
    assert build_time(clone, environ={}).when == SECOND_COMMIT
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("SITE_BUILD_DATE", raising=False)
    site = load_site(history_project.root)
    assert site.built.when == SECOND_COMMIT
    # Judged on the commit's day, or on the data's newest past day when that is later (here
    # the outcome was last checked on the 25th, after the commit of the 20th).
    assert site.today == NEWEST_PAST_DAY
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.datetime(
        2026, 12, 1, 23, 59, tzinfo=datetime.UTC).timestamp())))
    assert load_site(history_project.root).today == datetime.date(2026, 12, 1)
    monkeypatch.setenv("SITE_BUILD_DATE", "2026-12-24")  # what tests fix the day with
    assert load_site(history_project.root).today == datetime.date(2026, 12, 24)


def test_without_git_a_build_is_dated_by_the_newest_past_day_in_the_data(project, monkeypatch):
    """A download has no commit: its builds all give midnight UTC of the newest day the data
    records as past. Dates that may lie ahead (a deadline, a planned event) do not count."""
    project.replace("data/outcomes/ai-dialogue.yaml", "by: 2026-04-30", "by: 2031-04-30")
    project.replace("data/timeline.yaml", "date: 2026-01-16", "date: 2030-01-16")
    built = build_time(project.root, validate(project.root, FIXTURE_DAY).records, environ={})
    assert (built.source, built.iso) == ("data", "2026-11-25T00:00:00Z")
    assert "no git history" in built.describe() and "SOURCE_DATE_EPOCH" in built.describe()
    assert build_time(project.root, {}, environ={}).iso == "1970-01-01T00:00:00Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("SITE_BUILD_DATE", raising=False)
    site = load_site(project.root)
    assert site.built == built and site.today == NEWEST_PAST_DAY


def test_records_show_when_they_were_verified_changed_and_corrected(history_project):
    site = load_site(history_project.root, FIXTURE_DAY)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("people.md")
    assert str(views.record_meta("people", "visitor-one")) == (
        '<p class="ij-record-meta" data-pagefind-ignore>Last verified 20 November 2026 · '
        'last changed 1 November 2026 · <a href="../corrections/#correction-role-start" '
        'class="ij-corrected">Corrected on 21 November 2026</a></p>')
    assert str(views.record_meta("people", "host-one")) == (
        '<p class="ij-record-meta" data-pagefind-ignore>Last verified 20 November 2026 · '
        "last changed 20 November 2026</p>")
    assert str(views.record_meta("sources", "wire-report")) == (
        # never read: no date
        '<p class="ij-record-meta" data-pagefind-ignore>last changed 1 November 2026</p>')
    views.start_page("visit.md")
    assert "Corrected on 22 November 2026" in str(views.record_meta("visit", "", "metro"))
    assert str(views.record_meta("visit", "", "dialogue")) == ""


def test_the_corrections_page_lists_newest_first_with_what_was_corrected(project):
    site = load_site(project.root, FIXTURE_DAY)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("corrections.md")
    html = str(views.corrections_list())
    assert html.index('id="correction-metro-day"') < html.index('id="correction-role-start"')
    assert '<a href="../visit/#event-metro">The visit: Metro ride</a>' in html
    assert '<a href="../people/#person-visitor-one">People: Visitor One</a>' in html
    assert "<strong>The site said:</strong> The metro ride was dated 16 January." in html
    assert 'href="#cite-note-1"' in html


def test_the_search_log_says_what_was_and_was_not_found(project):
    site = load_site(project.root, FIXTURE_DAY)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("searches.md")
    html = str(views.searches_list())
    assert html.index('id="search-ai-dialogue-meeting"') < html.index('id="search-ai-dialogue-first"')
    assert "in English, Japanese</p>" in html
    assert "<strong>Found:</strong> nothing." in html
    assert "<strong>Found:</strong> The first meeting was held." in html
    views.start_page("outcomes.md")
    assert ('Searched for evidence: <a href="../searches/#search-ai-dialogue-meeting">24 November '
            "2026</a> (nothing new found), <a href=\"../searches/#search-ai-dialogue-first\">21 "
            "April 2026</a>.") in views.outcome_sections()


def test_the_change_log_holds_updates_and_corrections_newest_first(project):
    site = load_site(project.root, FIXTURE_DAY)
    assert [(c.date, c.kind, c.label, c.page, c.anchor) for c in site.changes] == [
        ("2026-11-22", "correction", "The visit: Metro ride", "corrections.md",
         "correction-metro-day"),
        ("2026-11-21", "correction", "People: Visitor One", "corrections.md",
         "correction-role-start"),
        ("2026-04-20", "update", "AI Dialogue: In progress", "outcomes.md", "outcome-ai-dialogue"),
        ("2026-01-16", "update", "AI Dialogue: Announced", "outcomes.md", "outcome-ai-dialogue")]
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("changes.md")
    markdown = views.changes_list()
    assert markdown.index("## November 2026 { #m2026-11 data-pagefind-ignore }") < \
        markdown.index("## April 2026")
    assert '<span class="ij-changes__kind">Correction</span> · <a href="../corrections/' \
        '#correction-metro-day">The visit: Metro ride</a>' in markdown


def test_a_correction_of_a_whole_record_names_the_record(project):
    corrections = (project.root / "data/corrections.yaml").read_text(encoding="utf-8")
    project.write("data/corrections.yaml", corrections + (
        "- id: quad-whole\n  date: 2026-11-23\n  collection: topics\n  record: quad\n"
        "  wrong:\n    en: W.\n  right:\n    en: R.\n  sources: [wire-report]\n"
        "  untranslated: [ja]\n"))
    site = load_site(project.root, FIXTURE_DAY)
    assert (site.changes[0].date, site.changes[0].label, site.changes[0].anchor) == \
        ("2026-11-23", "Topic quad", "correction-quad-whole")


def test_the_api_says_when_each_record_last_changed(history_project, tmp_path):
    import json

    from sitedata.export import write_api
    site = load_site(history_project.root, FIXTURE_DAY)
    for version, number in (("v1", "1.1.0"), ("v2", "2.0.0")):
        write_api(site, tmp_path / version, "2026-11-25T00:00:00Z", version)
        glossary = json.loads((tmp_path / version / "glossary.json").read_text())
        assert glossary["history"] == "" and glossary["schema_version"] == number
        assert glossary["last_changed"] == {"jwg": "2026-11-20", "quad": "2026-11-01"}
        assert all("last_changed" not in item for item in glossary["items"])  # as written


CORRECTION = ("- id: x\n  date: 2026-11-23\n  collection: {collection}\n{more}  wrong: {{en: w}}\n"
              "  right: {{en: r}}\n  sources: [wire-report]\n  untranslated: [ja]\n")
TARGET_CASES = {
    "unknown collection": ("nowhere", "  record: x\n", "5:15: collection 'nowhere' is not one of "
                           "sources, outcomes, topics, visit, timeline, people, glossary, terminology, "
                           "claims"),
    "no such record": ("people", "  record: nobody\n", "6:11: record 'nobody' does not exist in "
                       "people (no file data/people/nobody.yaml)"),
    "no such entry": ("glossary", "  record: nowhere\n", "6:11: record 'nowhere' does not exist "
                      "in glossary (no entry with that id in data/glossary.yaml)"),
    "a record named for the visit": ("visit", "  record: visit\n", "6:11: record: visit is one "
                                     "record; leave record out (name a part of it with part:)"),
    "no record named": ("people", "", "3:3: names no record of people: add record: with its id"),
    "no such part": ("topics", "  record: quad\n  part: nowhere\n", "7:9: part 'nowhere' is not "
                     "in the sections of that record"),
    "a part of a record without parts": ("people", "  record: host-one\n  part: x\n",
                                         "7:9: part 'x' is not in the nothing: this kind of "
                                         "record has no parts of that record"),
}


@pytest.mark.parametrize("collection, more, problem", TARGET_CASES.values(), ids=TARGET_CASES.keys())
def test_a_correction_names_a_record_that_exists(project, collection, more, problem):
    text = (project.root / "data/corrections.yaml").read_text()
    project.write("data/corrections.yaml", text + CORRECTION.format(collection=collection,
                                                                    more=more))
    offset = text.count("\n")
    line, col, message = problem.split(":", 2)
    assert project.problems() == [f"data/corrections.yaml:{int(line) + offset - 2}:{col}:{message}"]


def test_logs_are_not_dated_in_the_future_nor_records_verified_there(project):
    project.replace("data/corrections.yaml", "date: 2026-11-22", "date: 2026-11-26")
    project.replace("data/searches.yaml", "date: 2026-11-24", "date: 2026-11-27")
    project.replace("data/people/host-one.yaml", "last_verified: 2026-11-20",
                    "last_verified: 2026-11-26")
    assert project.problems() == [
        "data/corrections.yaml:13:9: date 2026-11-26 is in the future (today is 2026-11-25)",
        "data/people/host-one.yaml:10:16: last_verified 2026-11-26 is in the future (today is "
        "2026-11-25)",
        "data/searches.yaml:3:9: date 2026-11-27 is in the future (today is 2026-11-25)"]


def test_a_search_is_about_an_outcome_or_a_topic(project):
    project.replace("data/searches.yaml", "collection: outcomes\n  record: ai-dialogue\n  "
                    "looked_for:\n    en: A second", "collection: sources\n  record: ai-dialogue\n  "
                    "looked_for:\n    en: A second")
    # and the next search is still checked
    project.replace("data/searches.yaml", "record: ai-dialogue\n  looked_for:\n    en: The first",
                    "record: ai-dialog\n  looked_for:\n    en: The first")
    assert project.problems() == [
        "data/searches.yaml:4:15: collection 'sources' is not one of outcomes, topics",
        "data/searches.yaml:13:11: record 'ai-dialog' does not exist in outcomes (no file "
        "data/outcomes/ai-dialog.yaml)"]


def test_a_search_that_found_something_cites_it(project):
    project.replace("data/searches.yaml", "    en: The first meeting was held.\n  sources: "
                    "[wire-report]\n", "    en: The first meeting was held.\n")
    assert project.problems() == [
        "data/searches.yaml:10:3: has 'found' but no 'sources'; give both or neither"]


def test_stats_count_copies_and_verified_records(project):
    from sitedata.stats import measure
    project.write("data/sources/copy.yaml", (ROOT / "tests/fixtures/valid/data/sources/"
                                             "wire-report.yaml").read_text().replace(
        "id: wire-report", "id: copy").replace("publisher: Example Wire",
                                               "publisher: Site (Example Wire copy)\n"
                                               "rerun_of: Example Wire").replace(
        "news.example.org", "site.example.org"))
    project.replace("data/glossary.yaml", "sources: [wire-report]", "sources: [copy]")
    site = load_site(project.root, FIXTURE_DAY)
    figures = {f.name: f.value for f in measure(site)}
    assert figures["statements resting only on copies (re-runs of another's report)"] == 1
    assert figures["records verified against their sources (last_verified set)"] == 13
    assert figures["corrections logged"] == 2 and figures["searches logged"] == 2
    stale = enrich(site.records, site.vocabulary, site.schemas,
                   datetime.date(2027, 12, 1), site.history)
    assert {f.name: f.value for f in measure(stale)}["records verified in the last 365 days"] == 0


def test_a_statement_resting_only_on_copies_says_so(project):
    project.write("data/sources/copy.yaml", (ROOT / "tests/fixtures/valid/data/sources/"
                                             "wire-report.yaml").read_text().replace(
        "id: wire-report", "id: copy").replace("publisher: Example Wire",
                                               "publisher: Site (Example Wire copy)\n"
                                               "rerun_of: Example Wire").replace(
        "news.example.org", "site.example.org"))
    site = load_site(project.root, FIXTURE_DAY)
    views = Views(site, "https://github.com/o/r", root=ROOT)
    views.start_page("glossary.md")
    assert "[copy only]" in str(views.cite("copy"))
    assert "[copy only]" not in str(views.cite("copy", "wire-report"))
    assert "a re-run of Example Wire's report" in views.end_page()
    assert validate(project.root, FIXTURE_DAY).report.problems == []
