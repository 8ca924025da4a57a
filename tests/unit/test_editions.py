"""Two editions from one set of records: every text in both languages or marked untranslated,
quoted words in their own language with a translation, official names held to the terminology
list, the interface's words in each edition's catalog, and each span marked with its language."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_DAY, ROOT, copy_project
from sitedata.editions import mark_scripts
from sitedata.pipeline import load_site
from sitedata.views import Views

CATALOG = "sitedata/locale/ja.yaml"


# -- translations ------------------------------------------------------------------------------

def test_a_text_without_its_japanese_is_refused_unless_marked(project):
    project.replace("data/glossary.yaml", "  last_verified: 2026-11-20\n  untranslated: [ja]\n- id: jwg",
                    "  last_verified: 2026-11-20\n- id: jwg")
    assert project.problems() == [
        "data/glossary.yaml:4:5: term has no ja text; add ja: (or mark the record untranslated: "
        "[ja] until it is translated)",
        "data/glossary.yaml:6:5: expansion has no ja text; add ja: (or mark the record "
        "untranslated: [ja] until it is translated)",
        "data/glossary.yaml:8:5: definition has no ja text; add ja: (or mark the record "
        "untranslated: [ja] until it is translated)"]


def test_a_marker_on_a_translated_record_is_refused(project):
    project.replace("data/people/visitor-one.yaml", "last_verified: 2026-11-20",
                    "last_verified: 2026-11-20\nuntranslated: [ja]")
    assert project.problems() == [
        "data/people/visitor-one.yaml:17:15: untranslated lists ja, but every text has its ja "
        "version; take ja out of untranslated"]


SECOND = """id: second
title: {en: Second, ja: 第二}
area: technology
summary: {en: A second outcome., ja: 二つ目の成果。}
announced: 2026-01-16
wording:
  india:
    text: launched the AI Dialogue
    language: en
    sources: [mea-briefing]
last_checked: 2026-11-25
updates:
  - date: 2026-01-16
    status: announced
    summary: {en: Announced., ja: 発表された。}
    sources: [mea-briefing]
sources: [mea-briefing]
last_verified: 2026-11-20
"""


def test_quoted_words_need_a_translation_into_the_other_language(project):
    project.write("data/outcomes/second.yaml", SECOND)
    assert project.problems() == [
        "data/outcomes/second.yaml:8:5: wording.india.translation has no ja translation; add ja: "
        "(or mark the record untranslated: [ja] until it is translated)"]
    project.write("data/outcomes/second.yaml", SECOND.replace(
        "    language: en\n", "    language: en\n    translation: {ja: AI対話を立ち上げた}\n"))
    assert project.problems() == []


# -- official names ----------------------------------------------------------------------------

def test_a_translation_must_use_the_official_name(project):
    project.replace("data/timeline.yaml", "ja: 第18回戦略対話", "ja: 第18回外相会合")
    assert project.problems() == [
        "data/timeline.yaml:16:9: title names 'Strategic Dialogue' in English, but its ja text "
        "has none of 戦略対話 (data/terminology.yaml: strategic-dialogue); use one of them"]


def test_a_name_that_starts_with_punctuation_is_found_too(project):
    # Indexed under no first word, and tried on every text.
    project.replace("data/terminology.yaml", "en: [Strategic Dialogue]",
                    "en: ['“Strategic Dialogue”']")
    project.replace("data/timeline.yaml", "en: 18th Strategic Dialogue",
                    "en: 18th “Strategic Dialogue”")
    project.replace("data/timeline.yaml", "ja: 第18回戦略対話", "ja: 第18回外相会合")
    assert project.problems() == [
        "data/timeline.yaml:16:9: title names '“Strategic Dialogue”' in English, but its ja text "
        "has none of 戦略対話 (data/terminology.yaml: strategic-dialogue); use one of them"]


def test_a_person_is_named_as_their_file_says(project):
    project.replace("data/timeline.yaml", "en: The ministers met in New Delhi.",
                    "en: Visitor One met the minister in New Delhi.")
    assert project.problems() == [
        "data/timeline.yaml:19:9: summary names 'Visitor One' in English, but its ja text has "
        "none of 来訪一郎, 来訪 (data/people/visitor-one.yaml); use one of them"]


def test_namesakes_give_one_verdict_named_after_the_first(project):
    person = (project.root / "data/people/visitor-one.yaml").read_text(encoding="utf-8")
    project.write("data/people/visitor-two.yaml", person.replace("id: visitor-one",
                                                                 "id: visitor-two"))
    project.replace("data/timeline.yaml", "en: The ministers met in New Delhi.",
                    "en: Visitor One met the minister in New Delhi.")
    assert project.problems() == [
        "data/timeline.yaml:19:9: summary names 'Visitor One' in English, but its ja text has "
        "none of 来訪一郎, 来訪 (data/people/visitor-one.yaml); use one of them"]


def test_a_name_inside_a_longer_word_does_not_count(project):
    project.replace("data/timeline.yaml", "en: The ministers met in New Delhi.",
                    "en: The ministers met in New Delhi (Strategic Dialogues aside).")
    assert project.problems() == []  # "Strategic Dialogues" is not "Strategic Dialogue"


# -- the interface's catalog -------------------------------------------------------------------

def _line(text: str, start: str) -> int:
    """The number of the catalog's line that starts with `start` (messages move as it grows)."""
    return text[:text.index("\n" + start)].count("\n") + 2


def test_the_catalog_must_translate_every_message_and_only_those(project):
    placeholders = '  "%(title)s: %(part)s"'
    text = (project.root / CATALOG).read_text(encoding="utf-8")
    text = (text.replace("  Terminology: 名称対照\n", "")
            .replace("  Kind: 種類\n", "  Kind: 種類\n  Never used: 使わない\n")
            .replace('"%(title)s: %(part)s": "%(title)s：%(part)s"',
                     '"%(title)s: %(part)s": "%(title)s"'))
    project.write(CATALOG, text)
    assert project.problems() == [
        f"{CATALOG}:11:1: no translation of 'Terminology' (used in "
        "sitedata/templates/glossary_page.md:21); add it under messages:",
        f"{CATALOG}:{_line(text, placeholders)}:26: '%(title)s: %(part)s': the translation has "
        "placeholders ['title'], the English ['part', 'title']; keep the same ones",
        f"{CATALOG}:{_line(text, '  Never used:')}:3: 'Never used' is not used by any "
        "template; take it out"]


def test_a_message_added_to_the_theme_needs_a_translation(project):
    # Every validation reads the overrides again (what it keeps is by each template's bytes).
    assert project.problems() == []
    text = (project.root / CATALOG).read_text(encoding="utf-8")
    project.replace("overrides/404.html", '{{ t("Page not found") }}', '{{ t("Page gone") }}')
    assert project.problems() == [
        f"{CATALOG}:11:1: no translation of 'Page gone' (used in overrides/404.html:9); add it "
        "under messages:",
        f"{CATALOG}:{_line(text, '  Page not found:')}:3: 'Page not found' is not used by any "
        "template; take it out"]


# -- pages -------------------------------------------------------------------------------------

def test_the_japanese_edition_marks_english_standing_in_for_a_translation(project):
    site = load_site(project.root, FIXTURE_DAY, edition="ja")
    views = Views(site, "https://github.com/o/r", root=project.root)
    views.start_page("glossary.md")
    html = views.glossary_list()
    assert ('<span lang="en">A grouping of Australia, India, Japan and the United States.</span> '
            '<span class="ij-untranslated" lang="ja">未翻訳</span>') in html
    views.start_page("timeline.md")
    timeline = views.timeline_list()
    assert "<p>両外相がニューデリーで会談した。<sup" in timeline  # translated: no label
    assert ('<p><span lang="en">The two countries agreed a global partnership.</span> '
            '<span class="ij-untranslated" lang="ja">未翻訳</span><sup') in timeline


def test_each_edition_names_the_vocabulary_in_its_language(project):
    statuses = {edition: load_site(project.root, FIXTURE_DAY, edition=edition).vocabulary.status
                for edition in ("en", "ja")}
    assert (statuses["en"]["announced"].label, statuses["ja"]["announced"].label) == \
        ("Announced", "発表済み")
    assert statuses["ja"]["announced"].description == \
        "合意されたが、その後、作業が進んでいることを示す公開情報はない。"
    assert statuses["en"]["announced"].description == "Agreed, with no public sign of work since."


def test_a_name_is_cited_under_its_form_in_each_edition(project):
    labels = {edition: [c.label for c in load_site(project.root, FIXTURE_DAY, edition=edition)
                        .cited_by["mofa-dialogue"] if c.page == "glossary.md"]
              for edition in ("en", "ja")}
    assert labels == {"en": ["Terminology: Strategic Dialogue"], "ja": ["名称対照：戦略対話"]}


def test_other_scripts_inside_a_text_are_marked(project):
    load_site(project.root, FIXTURE_DAY)  # the vocabulary says what each script looks like
    assert mark_scripts("MOFA writes 日印外相間戦略対話 (第18回).", "en") == \
        'MOFA writes <span lang="ja">日印外相間戦略対話</span> (<span lang="ja">第18回</span>).'
    assert mark_scripts("インド紙The Hindu によると、AIは", "ja") == \
        'インド紙<span lang="en">The Hindu</span> によると、AIは'
    assert mark_scripts('<a href="https://x.example/a-b-c">日本</a> <code>日本</code>', "en") == \
        '<a href="https://x.example/a-b-c"><span lang="ja">日本</span></a> <code>日本</code>'
    assert mark_scripts("plain English", "en") == "plain English"
    assert mark_scripts("日本語だけ", "zh") == "日本語だけ"  # not an edition: left as it is


@pytest.mark.process
def test_a_failing_other_edition_fails_the_whole_build_saying_which(tmp_path):
    project = copy_project(tmp_path, ROOT / "data")  # the real data, which the pages cite
    project.copy_the_rest()
    for page in (project.root / "docs").glob("*.md"):  # the English pages, quick to build
        page.write_text("# A page\n", encoding="utf-8")
    project.replace("mkdocs.ja.yml", "docs_dir: docs/ja", "docs_dir: docs/nowhere")
    result = project.build(SITE_BUILD_DATE="")  # judged on the real today, as the real data is
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Config value 'docs_dir': The path" in output and "docs/nowhere" in output
    assert "The 日本語 edition (ja) failed to build: Aborted with a configuration error!" in output
    assert "Traceback" not in output


def test_a_translation_of_a_quotation_is_not_held_to_every_edition(project):
    """Words quoted in Japanese are translated into English only: a translation is given for
    each edition whose language the words are not in, so it is not a text every edition needs."""
    project.replace("data/topics/quad.yaml",
                    "      text: should not target any third party\n      language: en\n",
                    "      text: 第三者を標的にすべきではない\n      language: ja\n"
                    "      translation: {en: should not target any third party}\n")
    assert project.problems() == []
    # The fixture's record is marked untranslated into ja, which would hide a ja gap: so the
    # texts the rules hold to every edition are checked themselves.
    from sitedata.pipeline import validate
    quad = next(r for r in validate(project.root, FIXTURE_DAY).records["topics"] if r.id == "quad")
    texts = [path for path, _ in quad.local_texts()]
    assert ("perspectives", 0, "text") in texts
    assert not [path for path in texts if path[-1] == "translation"]
