"""The vocabulary is defined once: a value added there validates, renders and exports; a value
missing what the pages need is refused at its line and column, never with a traceback."""

from __future__ import annotations

import datetime
import json
import re

import jsonschema
import pytest

from conftest import FIXTURE_DAY, ROOT, copy_project
from sitedata.pipeline import validate
from sitedata.registry import COLLECTIONS, SCHEMA_DIR
from sitedata.schema import Schemas

VOCABULARY = f"{SCHEMA_DIR}/vocabulary.schema.json"
LAST_COUNTRY = '{"const": "international", "title": "International", "x-labels": {"ja": "国際"}}'
# The line an entry added after the last country lands on.
NEW = 1 + next(i for i, line in enumerate(
    (ROOT / VOCABULARY).read_text(encoding="utf-8").splitlines(), start=1) if LAST_COUNTRY in line)


def add_country(project, entry: str) -> None:
    project.replace(VOCABULARY, LAST_COUNTRY, LAST_COUNTRY + ",\n        " + entry)


@pytest.mark.process
def test_a_new_value_validates_renders_and_exports(tmp_path):
    project = copy_project(tmp_path, ROOT / "data")  # the real site: every page builds
    add_country(project, '{"const": "germany", "title": "Germany", "x-labels": {"ja": "ドイツ"}}')
    project.replace("data/people/keiichi-ono.yaml", "country: japan", "country: germany")
    result = project.build(SITE_BUILD_DATE=datetime.date.today().isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    site = project.root / "site"
    assert "Keiichi Ono <span class=\"ij-muted\">(Germany)</span>" in \
        (site / "people/index.html").read_text(encoding="utf-8")
    assert "<span class=\"ij-muted\">（ドイツ）</span>" in \
        (site / "ja/people/index.html").read_text(encoding="utf-8")
    people = json.loads((site / "api/v1/people.json").read_text(encoding="utf-8"))
    assert {p["id"]: p["country"] for p in people["items"]}["keiichi-ono"] == "germany"
    schema = json.loads((site / "api/v1/people.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(people)
    assert "germany" in json.dumps(schema["$defs"]["country"])


VOCABULARY_CASES = {
    "no label": ('{"const": "germany"}', f"{NEW}:9: $defs.country.oneOf[14] is missing the "
                                         "required field 'title'"),
    "no Japanese label": ('{"const": "germany", "title": "Germany"}',
                          f"{NEW}:9: country 'germany' has no ja label (x-labels: {{ja: …}}); "
                          "each edition needs one"),
    "no Japanese description": ('{"const": "germany", "title": "Germany", "description": "A '
                                'country.", "x-labels": {"ja": "ドイツ"}}',
                                f"{NEW}:9: country 'germany' has no ja description "
                                "(x-descriptions: {ja: …}); each edition needs one"),
    "a label for no edition": ('{"const": "germany", "title": "Germany", "x-labels": {"ja": '
                               '"ドイツ", "fr": "Allemagne"}}',
                               f"{NEW}:76: x-labels names 'fr', which is not an edition (en, ja)"),
    "a key twice": ('{"const": "germany", "title": "Germany", "title": "Deutschland", '
                    '"x-labels": {"ja": "ドイツ"}}',
                    f"{NEW}:50: duplicate key 'title' (first at line {NEW}); YAML would silently "
                    "keep only the last one"),
    "defined twice": ('{"const": "india", "title": "India again", "x-labels": {"ja": "インド"}}',
                      f"{NEW}:19: country 'india' is defined twice; each value once"),
    "misspelt field": ('{"const": "germany", "title": "Germany", "x-atlass": "Germany"}',
                       f"{NEW}:50: unknown field 'x-atlass' (did you mean 'x-atlas'?); allowed "
                       "here: const, description, title, x-atlas, x-descriptions, x-icon, x-labels, "
                       "x-locale, x-marker, x-native, x-script, x-stage"),
    "not kebab-case": ('{"const": "Germany", "title": "Germany"}',
                       f"{NEW}:19: $defs.country.oneOf[14].const 'Germany' must be kebab-case: "
                       "lower-case letters, digits and single hyphens, e.g. 'south-africa'"),
    "not JSON": ('{"const": "germany", "title": "Germany",}',
                 f"{NEW}:49: not valid JSON: Expecting property name enclosed in double quotes"),
}


@pytest.mark.parametrize("entry, problem", VOCABULARY_CASES.values(), ids=VOCABULARY_CASES.keys())
def test_a_value_without_what_it_needs_is_refused_at_its_place(project, entry, problem):
    from sitedata import validate

    add_country(project, entry)
    assert project.problems() == [f"{VOCABULARY}:{problem}"]
    # No data is judged against a broken vocabulary (the values it would judge by are wrong).
    assert validate(project.root, FIXTURE_DAY).vocabulary is None


def test_a_status_without_its_stage_and_icon_is_refused(project):
    project.replace(VOCABULARY, ', "x-icon": "✕", "x-stage": "pending",', ",")
    assert project.problems() == [
        f"{VOCABULARY}:23:9: $defs.status.oneOf[3] is missing the required field 'x-icon'",
        f"{VOCABULARY}:23:9: $defs.status.oneOf[3] is missing the required field 'x-stage'"]


def test_every_kind_of_meta_schema_error_is_explained(project):
    project.replace(VOCABULARY, '"x-icon": "✕", "x-stage": "pending",',
                    '"x-icon": "✕✕✕", "x-stage": "later",')
    project.replace(VOCABULARY, '"type": "string",\n      "title": "Outcome status"',
                    '"type": "number",\n      "title": "Outcome status"')
    line = next(i for i, text in enumerate((project.root / VOCABULARY).read_text(
        encoding="utf-8").splitlines(), start=1) if "x-stage\": \"later" in text)
    assert project.problems() == [
        f"{VOCABULARY}:16:15: $defs.status.type 'number' is not one of string",
        f"{VOCABULARY}:{line}:108: $defs.status.oneOf[3].x-icon '✕✕✕' is longer than 2 character(s)",
        f"{VOCABULARY}:{line}:126: $defs.status.oneOf[3].x-stage 'later' is not one of "
        "pending, active, done"]


def test_a_broken_vocabulary_stops_validation_with_no_records(project):
    """Without a vocabulary the schemas cannot be applied: validation stops there, with the
    vocabulary's problems, every collection empty (not missing: the bench and the command line
    count them) and the schemas it was to judge with."""
    add_country(project, '{"const": "germany"}')
    result = validate(project.root, FIXTURE_DAY)
    assert result.report and result.vocabulary is None
    assert result.records == {c.name: [] for c in COLLECTIONS}
    assert isinstance(result.schemas, Schemas)


@pytest.mark.process
def test_a_broken_vocabulary_fails_the_command_and_the_build_cleanly(project):
    add_country(project, '{"const": "germany"}')
    expected = f"{VOCABULARY}:{VOCABULARY_CASES['no label'][1]}"
    for result in (project.validate_cli(), project.build()):
        output = result.stdout + result.stderr
        assert result.returncode != 0 and expected in output and "Traceback" not in output
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("path", sorted((ROOT / SCHEMA_DIR).glob("*.json")), ids=lambda p: p.name)
def test_every_schema_is_a_valid_2020_12_schema(path):
    jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_every_list_the_schemas_use_is_in_the_vocabulary():
    schemas = Schemas(ROOT)
    lists = set(schemas.raw("vocabulary.schema.json")["$defs"])
    for path in (ROOT / SCHEMA_DIR).glob("*.schema.json"):
        text = path.read_text(encoding="utf-8")
        for name in lists:
            text = text.replace(f'"vocabulary.schema.json#/$defs/{name}"', "")
        assert "vocabulary.schema.json#" not in text, path.name
        assert '"enum"' not in text or path.name == "vocabulary.meta.schema.json", \
            f"{path.name} lists values of its own; put them in the vocabulary"
        assert not re.search(r'"type":\s*\[', text), f"{path.name}: one type per field"


def test_an_edition_says_what_its_script_looks_like(project):
    """x-script is a regular expression; a broken one is refused at its place."""
    text = (project.root / VOCABULARY).read_text(encoding="utf-8")
    start = text.index('"x-script": "', text.index('"const": "en"'))
    end = text.index('", "x-labels"', start)
    project.write(VOCABULARY, text[:start] + '"x-script": "[A-Z' + text[end:])
    assert project.problems() == [
        f"{VOCABULARY}:11:101: edition 'en': x-script is not a regular expression (unterminated "
        "character set at position 0)"]


def test_every_value_carries_what_its_entry_gives_it():
    from sitedata.problems import Report
    from sitedata.vocabulary import load_vocabulary

    report = Report()
    vocabulary = load_vocabulary(ROOT, Schemas(ROOT), report)
    assert not report and vocabulary is not None
    raw = json.loads((ROOT / VOCABULARY).read_text(encoding="utf-8"))
    for name, definition in raw["$defs"].items():
        for entry in definition["oneOf"]:
            value = vocabulary.lists[name][entry["const"]]
            assert (value.value, value.label, value.description, value.icon, value.stage,
                    value.marker, value.atlas, value.native, value.locale, value.script,
                    dict(value.labels), dict(value.descriptions)) == (
                entry["const"], entry["title"], entry.get("description", ""),
                entry.get("x-icon", ""), entry.get("x-stage", ""), entry.get("x-marker", ""),
                entry.get("x-atlas", entry["title"]), entry.get("x-native", ""),
                entry.get("x-locale", ""), entry.get("x-script", ""),
                entry.get("x-labels", {}), entry.get("x-descriptions", {})), (name, entry)
    # and a few read by eye, so that the mapping above cannot be wrong in the same way twice
    delivered = vocabulary.lists["status"]["delivered"]
    assert (delivered.icon, delivered.stage, dict(delivered.labels)) == ("●", "done", {"ja": "実現"})
    ja = vocabulary.lists["edition"]["ja"]
    assert (ja.native, ja.locale, vocabulary.lists["edition"]["en"].locale) == \
        ("日本語", "ja_JP", "en_GB")
    india = vocabulary.lists["country"]["india"]
    assert (india.icon, india.atlas, india.description) == ("", "India", "")
