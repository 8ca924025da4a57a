"""Every kind of bad edit is refused with the exact file:line:col and message, in one run.

Each case breaks the valid fixture data in one way and is checked in process, message by
message. The command line (`python -m sitedata validate`, what `make validate` runs) and
`mkdocs build` (which must fail and write no site) are each exercised once per way of failing:
data errors, a broken vocabulary, an unreadable or refused file, missing map data. None may
print a traceback.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from dataclasses import dataclass, field

import pytest

from conftest import FIXTURE, PYTHON, ROOT, copy_project

H = "# yaml-language-server: $schema=../../sitedata/schemas/source.schema.json\n"
SOURCE = ("title: T\npublisher: P\nurl: https://example.org/a/b\npublished: 2026-01-01\n"
          "kind: news\nlanguage: en\ncountry: india\n")
NO_COUNTRY = SOURCE.removesuffix("country: india\n")  # a required field left out
BAD = "data/sources/bad.yaml"
B = BAD + ":"


@dataclass
class Case:
    name: str
    expected: list[str]
    files: dict = field(default_factory=dict)  # rel path -> new content (None deletes)
    edits: list = field(default_factory=list)  # (rel path, old, new)


def source(body: str, head: str = "id: bad\n") -> dict:
    return {BAD: H + head + body}


def edit(rel: str, old: str, new: str) -> tuple:
    return (f"data/{rel}", old, new)


VOCAB = " (the values are defined in sitedata/schemas/vocabulary.schema.json)"
COUNTRIES = ("india, japan, china, united-states, australia, philippines, israel, palestine, "
             "qatar, united-kingdom, france, singapore, south-africa, international")
OUTCOME = "outcomes/ai-dialogue.yaml"
OUT = "data/" + OUTCOME + ":"
DEFINITION = "en: A standing group of officials."


def events(count: int) -> str:
    """`count` more events on the visit's first day, for the itinerary's limit."""
    return "".join(f"  - id: extra-{n}\n    date: 2026-01-15\n    title:\n      en: Event {n}\n"
                   "    place:\n      en: New Delhi\n    participants: [visitor-one]\n"
                   "    summary:\n      en: An event.\n    sources: [wire-report]\n"
                   for n in range(count))


def stops(count: int) -> str:
    """`count` more stops on the tour's first day, for the tour's limit."""
    return "".join(f"  - id: extra-{n}\n    country: philippines\n    place:\n      en: Manila\n"
                   "    start: 2026-01-15\n    summary:\n      en: Talks.\n    lat: 14.6\n"
                   "    lon: 120.98\n    sources: [wire-report]\n" for n in range(count))


CASES = [
    # YAML syntax
    Case("unclosed-bracket", [B + "4:1: YAML syntax error: did not find expected ',' or ']' "
         "(while parsing a flow sequence)"], source("title: [unclosed\n")),
    Case("unclosed-quote", [B + "5:1: YAML syntax error: found unexpected end of stream "
         "(while scanning a quoted scalar)"], source('title: "unclosed\npublisher: P\n')),
    Case("bad-indentation", [B + "4:12: YAML syntax error: mapping values are not allowed in this "
         "context"],
         source("title: T\n  publisher: P\n")),
    Case("tab-indentation", [B + "4:1: YAML syntax error: found a tab character that violates "
         "indentation (while scanning a plain scalar); indent with spaces, not tabs"],
         source("title: T\n\tpublisher: P\n")),
    # duplicates
    Case("duplicate-key", [B + "10:1: duplicate key 'title' (first at line 3); YAML would "
         "silently keep only the last one"], source(SOURCE + "title: Again\n")),
    Case("duplicate-id-in-list", ["data/glossary.yaml:12:7: glossary id 'quad' is used twice "
         "(first at data/glossary.yaml:2); each must be unique"],
         edits=[edit("glossary.yaml", "- id: jwg", "- id: quad")]),
    Case("term-not-a-word", ["data/glossary.yaml:14:9: term.en '#JWG' must start with a letter, "
         "a digit or a Japanese character, not a space or an ASCII sign (such a term is never "
         "found in text)"],
         edits=[edit("glossary.yaml", "en: JWG", "en: '#JWG'")]),
    Case("duplicate-glossary-term", ["data/glossary.yaml:14:9: glossary term 'Quad' is used twice "
         "(first at data/glossary.yaml:4); each must be unique"],
         edits=[edit("glossary.yaml", "en: JWG", "en: Quad")]),
    Case("duplicate-id-inside-a-record", [
        "data/corrections.yaml:15:9: part 'metro' is not in the itinerary or tour of that record",
        "data/visit.yaml:56:9: itinerary id 'dialogue' is used twice (first at "
        "data/visit.yaml:40); each must be unique"],
         edits=[edit("visit.yaml", "- id: metro", "- id: dialogue")]),
    Case("duplicate-id-across-files", [
        "data/people/copy.yaml:2:5: id 'host-one' must match the file name 'copy.yaml': rename "
        "the file or fix the id",
        "data/people/host-one.yaml:2:5: people id 'host-one' is used twice (first at "
        "data/people/copy.yaml:2); each must be unique"],
         {"data/people/copy.yaml": (FIXTURE / "data/people/host-one.yaml").read_text()}),
    # fields and types
    Case("unknown-field", [B + "10:1: unknown field 'sorces'; allowed here: accessed, "
         "archived_url, author, country, id, kind, language, note, published, publisher, rerun_of, "
         "title, untranslated, url"], source(SOURCE + "sorces: [x]\n")),
    Case("unknown-field-with-hint", [OUT + "30:5: unknown field 'sorces' (did you mean "
         "'sources'?); allowed here: date, sources, status, summary"],
         edits=[edit(OUTCOME, "    sources: [wire-report]", "    sorces: [wire-report]")]),
    Case("unknown-edition", ["data/people/host-one.yaml:5:3: unknown field 'jp'; allowed here: "
         "en, ja"], edits=[edit("people/host-one.yaml", "  en: Host One\n",
                                "  en: Host One\n  jp: x\n")]),
    Case("missing-field", [B + "2:1: missing the required field 'kind'"],
         source(SOURCE.replace("kind: news\n", ""))),
    Case("list-for-string", [B + "3:8: title must be text, not a list"],
         source(SOURCE.replace("title: T", "title: [a, b]"))),
    # A block ("|") keeps its final line break, which a pattern's "$" matches before in
    # Python's re but not in the schemas' dialect (ECMA-262): one line means one line.
    Case("block-for-line", [B + "3:8: title 'T ' must be one non-empty line of text (at most 200 "
         "characters)"], source(SOURCE.replace("title: T\n", "title: |\n  T\n"))),
    Case("number-for-date", [B + "6:12: published must be text, not the number 20260101; YAML "
         "read '20260101' as a value of another type: put it in quotes"],
         source(SOURCE.replace("published: 2026-01-01", "published: 20260101"))),
    Case("empty-string", [B + "3:8: title '' must be one non-empty line of text (at most 200 "
         "characters)"], source(SOURCE.replace("title: T", 'title: ""'))),
    Case("whitespace-only", [B + "3:8: title ' ' must be one non-empty line of text (at most "
         "200 characters)"], source(SOURCE.replace("title: T", 'title: "   "'))),
    Case("long-value-shortened", [B + "3:8: title '" + "x" * 57 + "...' must be one non-empty "
         "line of text (at most 200 characters)"],
         source(SOURCE.replace("title: T", "title: " + "x" * 201))),
    Case("sixty-characters-shown-whole", [B + "7:7: kind '" + "k" * 60 + "' is not one of "
         "official, news, analysis, reference" + VOCAB],
         source(SOURCE.replace("kind: news", "kind: " + "k" * 60))),
    Case("boolean-for-text", [B + "3:8: title must be text, not the boolean true; YAML read "
         "'true' as a value of another type: put it in quotes"],
         source(SOURCE.replace("title: T", "title: true"))),
    Case("same-source-twice", ["data/glossary.yaml:9:12: sources lists the same value more than "
         "once"], edits=[edit("glossary.yaml", "sources: [wire-report]",
                              "sources: [wire-report, wire-report]")]),
    Case("no-tags", ["data/timeline.yaml:8:9: tags must list at least 1 item(s)"],
         edits=[edit("timeline.yaml", "tags: [bilateral]", "tags: []")]),
    Case("latitude-out-of-range", ["data/visit.yaml:25:10: tour[0].lat 91 is out of range "
         "(maximum 90)"], edits=[edit("visit.yaml", "lat: 14.6", "lat: 91")]),
    Case("longitude-out-of-range", ["data/visit.yaml:26:10: tour[0].lon -181 is out of range "
         "(minimum -180)"], edits=[edit("visit.yaml", "lon: 120.98", "lon: -181")]),
    Case("too-many-events", ["data/visit.yaml:40:3: itinerary has more events than the visit "
         "page shows (at most 40): leave out or merge the minor ones"],
         edits=[edit("visit.yaml", "itinerary:\n", "itinerary:\n" + events(39))]),
    Case("too-many-stops", ["data/visit.yaml:18:3: tour has more stops than the visit page shows "
         "(at most 20): leave out or merge the minor ones"],
         edits=[edit("visit.yaml", "tour:\n", "tour:\n" + stops(19))]),
    Case("empty-wording", [OUT + "9:10: wording must have at least 1 field(s)"],
         edits=[edit(OUTCOME, "wording:\n  india:\n    text: launched the AI Dialogue\n"
                     "    language: en\n    sources: [mea-briefing]", "wording: {}")]),
    Case("missing-field-in-a-nested-mapping", [OUT + "11:5: wording.india is missing the required "
         "field 'language'"], edits=[edit(OUTCOME, "    text: launched the AI Dialogue\n    language: "
                                          "en\n", "    text: launched the AI Dialogue\n")]),
    Case("missing-field-in-a-list-item", [OUT + "26:5: updates[1] is missing the required field "
         "'summary'"], edits=[edit(OUTCOME, "    summary:\n      en: The first meeting was held.\n", "")]),
    Case("list-for-mapping", ["data/visit.yaml:40:5: itinerary[0] must be a mapping of fields, "
         "not a list"], edits=[edit("visit.yaml", "  - id: dialogue\n    date: 2026-01-16\n"
                                    "    time: \"12:50\"\n    title:\n      en: Strategic "
                                    "Dialogue\n    place:\n      en: New Delhi\n    participants: "
                                    "[visitor-one, host-one]\n    summary:\n      en: The two "
                                    "ministers held their dialogue.\n    quote:\n      text: A "
                                    "short quotation.\n      language: en\n      speaker: "
                                    "host-one\n      source: mea-briefing\n"
                                    "    sources: [mea-briefing]\n", "  - [a, b]\n")]),
    Case("entries-without-ids", [
        "data/glossary.yaml:2:3: missing the required field 'id'",
        "data/glossary.yaml:11:3: missing the required field 'id'",
        "data/glossary.yaml:18:13: related[0] refers to 'quad', which does not exist (no entry "
        "with that id in data/glossary.yaml)"],
         edits=[edit("glossary.yaml", "- id: quad\n  term", "- term"),
                edit("glossary.yaml", "- id: jwg\n  term", "- term")]),
    Case("wording-too-long", [OUT + "11:11: wording.india.text quotes 41 words; keep quotations to "
         "40 words and paraphrase the rest"],
         edits=[edit(OUTCOME, "text: launched the AI Dialogue", "text: " + " ".join(["w"] * 41))]),
    Case("archived-url-with-credentials", [B + "10:15: archived_url 'https://u:p@archive.example"
         ".org/a' must not carry a user name or password"],
         source(SOURCE + "archived_url: https://u:p@archive.example.org/a\n")),
    Case("long-url-shortened-in-the-message", [B + "5:6: url 'https://user:pw@example.org/" +
         "a" * 52 + "' must not carry a user name or password"],
         source(SOURCE.replace("https://example.org/a/b", "https://user:pw@example.org/" +
                               "a" * 60))),
    Case("no-sources", ["data/glossary.yaml:9:12: sources must cite at least one source id "
         "from data/sources/"], edits=[edit("glossary.yaml", "sources: [wire-report]",
                                            "sources: []")]),
    # dates
    Case("impossible-date", [B + "6:12: published '2026-13-45' is not a real date; write it as "
         "YYYY-MM-DD, e.g. 2026-01-16"],
         source(SOURCE.replace("published: 2026-01-01", "published: 2026-13-45"))),
    Case("impossible-date-quoted", [B + "6:12: published '2026-02-30' must be a real date "
         "written YYYY-MM-DD, e.g. 2026-01-16"],
         source(SOURCE.replace("published: 2026-01-01", "published: '2026-02-30'"))),
    Case("date-with-time", [B + "6:12: '2026-01-01 10:00:00' is read as a timestamp; dates are "
         "written YYYY-MM-DD, and times go in their own quoted field"],
         source(SOURCE.replace("published: 2026-01-01", "published: 2026-01-01 10:00:00"))),
    Case("accessed-before-published", [B + "10:11: accessed 2025-12-31 is before published "
         "2026-01-01"], source(SOURCE + "accessed: 2025-12-31\n")),
    Case("published-in-future", [B + "6:12: published 2026-11-26 is in the future (today is "
         "2026-11-25)"], source(SOURCE.replace("published: 2026-01-01", "published: 2026-11-26"))),
    Case("update-in-future", [OUT + "19:15: last_checked 2026-11-25 is before the latest update "
         "(2026-11-26); set it to the day you last looked", OUT + "26:11: updates[1].date "
         "2026-11-26 is in the future (today is 2026-11-25)"],
         edits=[edit(OUTCOME, "- date: 2026-04-20", "- date: 2026-11-26")]),
    Case("deadline-before-announcement", [OUT + "17:7: deadline.by 2026-01-15 is before the "
         "announcement (2026-01-16)"], edits=[edit(OUTCOME, "by: 2026-04-30", "by: 2026-01-15")]),
    Case("first-update-before-announcement", [OUT + "21:11: updates[0].date 2026-01-15 is before "
         "announced (2026-01-16); keep the log oldest first"],
         edits=[edit(OUTCOME, "- date: 2026-01-16", "- date: 2026-01-15")]),
    Case("visit-ends-before-it-starts", [
        "data/visit.yaml:6:6: end 2026-01-14 is before start 2026-01-15",
        "data/visit.yaml:41:11: itinerary[0].date 2026-01-16 is outside the visit (2026-01-15 to "
        "2026-01-14)",
        "data/visit.yaml:57:11: itinerary[1].date 2026-01-17 is outside the visit (2026-01-15 to "
        "2026-01-14)"], edits=[edit("visit.yaml", "end: 2026-01-17\noverview",
                                    "end: 2026-01-14\noverview")]),
    Case("event-before-visit", ["data/visit.yaml:41:11: itinerary[0].date 2026-01-14 is outside "
         "the visit (2026-01-15 to 2026-01-17)"],
         edits=[edit("visit.yaml", "date: 2026-01-16\n    time", "date: 2026-01-14\n    time")]),
    Case("tour-stop-ends-before-it-starts", ["data/visit.yaml:33:10: tour[1].end 2026-01-14 is "
         "before its start 2026-01-15"], edits=[edit("visit.yaml", "end: 2026-01-17\n    summary",
                                                     "end: 2026-01-14\n    summary")]),
    Case("untimed-event-after-a-later-one", ["data/visit.yaml:57:11: itinerary[1] (2026-01-16 "
         "12:50) is out of sequence: it comes after 2026-01-16 13:00; list events in the order "
         "they happened"], edits=[edit("visit.yaml", 'time: "12:50"', 'time: "13:00"'),
                                  edit("visit.yaml", "date: 2026-01-17\n    title:\n      en: Metro",
                                       "date: 2026-01-16\n    time: '12:50'\n    title:\n      en: Metro")]),
    Case("day-month-year", [B + "6:12: published '15/01/2026' must be a real date written "
         "YYYY-MM-DD, e.g. 2026-01-16"],
         source(SOURCE.replace("published: 2026-01-01", "published: 15/01/2026"))),
    Case("update-after-last-checked", [OUT + "19:15: last_checked 2026-03-01 is before the latest "
         "update (2026-04-20); set it to the day you last looked"],
         edits=[edit(OUTCOME, "last_checked: 2026-11-25", "last_checked: 2026-03-01")]),
    Case("updates-out-of-order", [OUT + "26:11: updates[1].date 2026-01-10 is before "
         "updates[0].date (2026-01-16); keep the log oldest first"],
         edits=[edit(OUTCOME, "- date: 2026-04-20", "- date: 2026-01-10")]),
    Case("date-in-future", [OUT + "19:15: last_checked 2027-01-01 is in the future (today is "
         "2026-11-25)"], edits=[edit(OUTCOME, "last_checked: 2026-11-25",
                                     "last_checked: 2027-01-01")]),
    Case("itinerary-out-of-sequence", ["data/visit.yaml:57:11: itinerary[1] (2026-01-15) is out "
         "of sequence: it comes after 2026-01-16 12:50; list events in the order they happened"],
         edits=[edit("visit.yaml", "date: 2026-01-17\n    title:\n      en: Metro",
                     "date: 2026-01-15\n    title:\n      en: Metro")]),
    Case("event-outside-visit", ["data/visit.yaml:57:11: itinerary[1].date 2026-01-19 is "
         "outside the visit (2026-01-15 to 2026-01-17)"],
         edits=[edit("visit.yaml", "date: 2026-01-17\n    title:\n      en: Metro",
                     "date: 2026-01-19\n    title:\n      en: Metro")]),
    Case("tour-out-of-order", ["data/visit.yaml:32:12: tour[1].start 2026-01-15 is before the "
         "previous stop's start (2026-01-18); list stops in order"],
         edits=[edit("visit.yaml", "start: 2026-01-15\n    summary:\n      en: Talks",
                     "start: 2026-01-18\n    summary:\n      en: Talks")]),
    Case("role-ends-before-start", ["data/people/visitor-one.yaml:15:9: role ends (2024-01) "
         "before it starts (2025-10)"],
         edits=[edit("people/visitor-one.yaml", "from: 2025-10", "from: 2025-10\n    to: 2024-01")]),
    Case("bad-time", ["data/visit.yaml:42:11: itinerary[0].time '25:00' must be a 24-hour time "
         "written HH:MM in quotes, e.g. '10:30'"],
         edits=[edit("visit.yaml", 'time: "12:50"', 'time: "25:00"')]),
    # YAML 1.1 traps
    Case("yes-as-boolean", [B + "3:8: 'yes' is read as true/false by some YAML parsers and as "
         "text by others; write true or false, or put text in quotes: 'yes'"],
         source(SOURCE.replace("title: T", "title: yes"))),
    Case("no-as-boolean", [B + "8:11: 'no' is read as true/false by some YAML parsers and as "
         "text by others; write true or false, or put text in quotes: 'no'"],
         source(SOURCE.replace("language: en", "language: no"))),
    Case("time-as-number", [B + "3:8: '12:30' is read as a base-60 number by YAML 1.1; put it in "
         "quotes: '12:30'"], source(SOURCE.replace("title: T", "title: 12:30"))),
    Case("version-as-number", [B + "3:8: title must be text, not the number 1.1; YAML read "
         "'1.10' as a value of another type: put it in quotes"],
         source(SOURCE.replace("title: T", "title: 1.10"))),
    Case("null-required", [B + "3:7: title must be text, not nothing (an empty value)"],
         source(SOURCE.replace("title: T", "title:"))),
    # A mapping with a key refused is not judged by its schema (here, its missing country is
    # not reported): the key may be what would have given it its fields, as a merge key does.
    Case("merge-key", [B + "9:1: merge keys ('<<') are not allowed: YAML 1.1 copies another "
         "mapping's fields in here and other YAML parsers do not; write the fields out in full"],
         source(NO_COUNTRY + "<<: {country: india}\n")),
    Case("number-as-key", [B + "9:1: key '2026' is read as a int, not as text; put it in "
                           "quotes or rename it"], source(NO_COUNTRY + "2026: x\n")),
    Case("special-value", [B + "3:8: '=' has a special meaning in YAML 1.1; put it in quotes: "
                           "'='"], source(SOURCE.replace("title: T", "title: ="))),
    Case("octal-number", [B + "3:8: '0755' is an octal, hex or grouped number in YAML 1.1; put it "
                          "in quotes if it is text: '0755'"],
         source(SOURCE.replace("title: T", "title: 0755"))),
    # A syntax error is the one problem reported: a file that cannot be read whole has no values.
    Case("trap-before-a-syntax-error", [B + "11:1: YAML syntax error: did not find expected node "
         "content (while parsing a flow node)"],
         source(SOURCE.replace("title: T", "title: yes") + "note: [\n")),
    # A value that is not kept (its key refused, or given twice) is not judged, but its YAML is.
    Case("list-as-key", [B + "9:3: a key must be plain text, not a list or mapping",
                         B + "11:7: 'no' is read as true/false by some YAML parsers and as text "
                         "by others; write true or false, or put text in quotes: 'no'"],
         source(NO_COUNTRY + "? {a: yes}\n: [1, yes]\nnote: no\n")),
    Case("duplicate-key-with-a-list", [B + "9:1: duplicate key 'title' (first at line 3); YAML "
         "would silently keep only the last one"], source(NO_COUNTRY + "title:\n  - a: yes\n")),
    Case("alias-in-a-value-given-twice", [B + "10:12: alias '*x' is not allowed; write the value "
         "out in full"], source(SOURCE + "title: [a, *x]\n")),
    Case("nested-too-deep", [B + "3:39: data nests more than 32 levels deep"],
         source(SOURCE.replace("title: T", "title: " + "[" * 32 + "]" * 32))),
    Case("nested-too-deep-in-a-value-given-twice", [B + "10:39: data nests more than 32 levels "
         "deep"], source(SOURCE + "title: " + "[" * 32 + "]" * 32 + "\n")),
    # A value the loader refused is not reported again, and the next problem still is.
    Case("impossible-day-and-kind", [B + "6:12: published '2026-02-30' is not a real date; "
                                     "write it as YYYY-MM-DD, e.g. 2026-01-16",
                                     B + "7:7: kind 'blog' is not one of official, news, "
                                     "analysis, reference" + VOCAB],
         source(SOURCE.replace("2026-01-01", "2026-02-30").replace("kind: news", "kind: blog"))),
    Case("infinity", [B + "3:8: '.inf' is a special number in YAML (infinity or not-a-number); put "
                      "it in quotes if it is text: '.inf'"],
         source(SOURCE.replace("title: T", "title: .inf"))),
    # references
    Case("unknown-source", ["data/glossary.yaml:9:13: sources[0] refers to 'wire-reprot', which "
         "does not exist (no file data/sources/wire-reprot.yaml); did you mean 'wire-report'?"],
         edits=[edit("glossary.yaml", "sources: [wire-report]", "sources: [wire-reprot]")]),
    # A hint only for a near miss: 'wire-story' is as close to 'wire-report' as 0.67, under 0.7.
    Case("unknown-source-far-from-any", ["data/topics/china-context.yaml:8:15: summary[0]."
         "sources[0] refers to 'wire-story', which does not exist (no file "
         "data/sources/wire-story.yaml)"],
         edits=[edit("topics/china-context.yaml", "sources: [wire-report]",
                     "sources: [wire-story]")]),
    Case("unknown-person", ["data/visit.yaml:62:20: itinerary[1].participants[0] refers to "
         "'visitor-two', which does not exist (no file data/people/visitor-two.yaml); did you "
         "mean 'visitor-one'?"],
         edits=[edit("visit.yaml", "participants: [visitor-one]", "participants: [visitor-two]")]),
    Case("unknown-speaker", ["data/visit.yaml:53:16: itinerary[0].quote.speaker refers to "
         "'nobody', which does not exist (no file data/people/nobody.yaml)"],
         edits=[edit("visit.yaml", "speaker: host-one", "speaker: nobody")]),
    Case("unknown-outcome", ["data/claims.yaml:9:12: outcome refers to 'ai-dialog', which does "
         "not exist (no file data/outcomes/ai-dialog.yaml); did you mean 'ai-dialogue'?",
         "data/timeline.yaml:22:12: outcome refers to 'jwg', which does not exist (no file "
         "data/outcomes/jwg.yaml)"],
         edits=[edit("claims.yaml", "outcome: ai-dialogue", "outcome: ai-dialog"),
                edit("timeline.yaml", "outcome: ai-dialogue", "outcome: jwg")]),
    Case("unknown-translation-source", ["data/topics/quad.yaml:26:33: perspectives[0].quote."
         "translation_sources.ja refers to 'mofa-dialog', which does not exist (no file "
         "data/sources/mofa-dialog.yaml); did you mean 'mofa-dialogue'?"],
         edits=[edit("topics/quad.yaml", "      source: mfa-china-presser\n",
                     "      source: mfa-china-presser\n      translation_sources: {ja: mofa-dialog}\n")]),
    Case("missing-single-file", ["data/visit.yaml:1:1: file data/visit.yaml is missing"],
         {"data/visit.yaml": None}),
    Case("impossible-partial-dates", [
         "data/timeline.yaml:3:9: date '2000-13' must be a real date written YYYY-MM-DD, YYYY-MM "
         "or YYYY", "data/timeline.yaml:13:9: date '26' must be a real date written YYYY-MM-DD, "
         "YYYY-MM or YYYY"],
         edits=[edit("timeline.yaml", "date: 2000-08", "date: 2000-13"),
                edit("timeline.yaml", "date: 2026-01-16", "date: '26'")]),
    Case("unknown-glossary-term", ["data/glossary.yaml:20:13: related[0] refers to 'qaud', which "
         "does not exist (no entry with that id in data/glossary.yaml); did you mean 'quad'?"],
         edits=[edit("glossary.yaml", "related: [quad]", "related: [qaud]")]),
    # enumerations
    Case("status-not-allowed", [OUT + "27:13: updates[1].status 'done' is not one of announced, "
         "in-progress, delivered, stalled" + VOCAB],
         edits=[edit(OUTCOME, "status: in-progress", "status: done")]),
    Case("kind-not-allowed", [B + "7:7: kind 'blog' is not one of official, news, analysis, "
         "reference" + VOCAB], source(SOURCE.replace("kind: news", "kind: blog"))),
    Case("country-not-allowed", ["data/people/visitor-one.yaml:9:10: country 'germany' is not "
         "one of " + COUNTRIES + VOCAB],
         edits=[edit("people/visitor-one.yaml", "country: japan", "country: germany")]),
    Case("number-for-vocabulary-value", [B + "7:7: kind must be text, not the number 5; YAML "
                                         "read '5' as a value of another type: put it in quotes",
                                         B + "7:7: kind the number 5 is not one of official, "
                                         "news, analysis, reference" + VOCAB],
         source(SOURCE.replace("kind: news", "kind: 5"))),
    # URLs
    Case("http-url", [B + "5:6: url 'http://example.org/a/b' must be an https:// URL written in "
         "ASCII with no spaces"], source(SOURCE.replace("https://", "http://"))),
    Case("javascript-url", [B + "5:6: url 'javascript:alert(1)' must be an https:// URL written "
         "in ASCII with no spaces"],
         source(SOURCE.replace("https://example.org/a/b", '"javascript:alert(1)"'))),
    Case("data-url", [B + "5:6: url 'data:text/html;base64,PHNjcmlwdD4=' must be an https:// "
         "URL written in ASCII with no spaces"],
         source(SOURCE.replace("https://example.org/a/b", '"data:text/html;base64,PHNjcmlwdD4="'))),
    Case("vbscript-url", [B + "5:6: url 'vbscript:msgbox' must be an https:// URL written in "
         "ASCII with no spaces"], source(SOURCE.replace("https://example.org/a/b",
                                                        '"vbscript:msgbox"'))),
    Case("credentials-in-url", [B + "5:6: url 'https://user:pw@example.org/a' must not carry a "
         "user name or password"],
         source(SOURCE.replace("https://example.org/a/b", "https://user:pw@example.org/a"))),
    Case("malformed-url", [B + "5:6: url 'https://exa mple.org/a' must be an https:// URL "
         "written in ASCII with no spaces"],
         source(SOURCE.replace("https://example.org/a/b", "https://exa mple.org/a"))),
    Case("no-host", [B + "5:6: url 'https:///a/b' has no valid host name ('')"],
         source(SOURCE.replace("https://example.org/a/b", "https:///a/b"))),
    Case("malformed-host", [B + "5:6: url 'https://[x/a' is not a well-formed URL"],
         source(SOURCE.replace("https://example.org/a/b", "https://[x/a"))),
    Case("home-page-url", [B + "5:6: url 'https://example.org/' is a home page; link the exact "
         "page that supports the statement"],
         source(SOURCE.replace("https://example.org/a/b", "https://example.org/"))),
    # markup and templates
    Case("script-tag", [B + "3:8: title: raw HTML ('<script') is not allowed in data; write "
         "plain text or Markdown"], source(SOURCE.replace("title: T", "title: <script>x</script>"))),
    Case("img-onerror", [B + "3:8: title: raw HTML ('<img') is not allowed in data; write plain "
         "text or Markdown"], source(SOURCE.replace("title: T", "title: 'x <img src=x onerror=y>'"))),
    Case("iframe", ["data/glossary.yaml:18:9: definition.en: raw HTML ('<iframe') is not allowed "
         "in data; write plain text or Markdown"],
         edits=[edit("glossary.yaml", DEFINITION, "en: '<iframe src=x></iframe>'")]),
    Case("markdown-script-link", ["data/glossary.yaml:18:9: definition.en: link target "
         "'javascript:alert(1' must use https://, not javascript:"],
         edits=[edit("glossary.yaml", DEFINITION, "en: 'A [g](javascript:alert(1)) x.'")]),
    Case("markdown-image", ["data/glossary.yaml:18:9: definition.en: Markdown images ('![') are "
         "not allowed: the site loads nothing from other hosts"],
         edits=[edit("glossary.yaml", DEFINITION, "en: 'A ![x](https://e.example/x.png)'")]),
    Case("reference-definition", ["data/glossary.yaml:18:9: definition.en: reference-style link "
         "definitions ('[x]:') are not allowed; write [text](https://...)"],
         edits=[edit("glossary.yaml", DEFINITION, 'en: "[x]: https://e.example/"')]),
    Case("template-expression", [B + "3:8: title: template syntax ('{{') is not allowed in data: "
         "the site's macro engine would run it"],
         source(SOURCE.replace("title: T", 'title: "{{ config }}"'))),
    Case("template-statement", [B + "3:8: title: template syntax ('{%') is not allowed in data: "
         "the site's macro engine would run it"],
         source(SOURCE.replace("title: T", "title: \"{% include 'x' %}\""))),
    # YAML tags, aliases
    Case("python-tag", [B + "3:8: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is "
         "not allowed; data files hold plain text, lists and mappings only"],
         source(SOURCE.replace("title: T", "title: !!python/object/apply:os.system ['ls']"))),
    Case("unknown-tag", [B + "3:8: YAML tag '!custom' is not allowed; data files hold plain text, "
         "lists and mappings only"], source(SOURCE.replace("title: T", "title: !custom x"))),
    Case("billion-laughs", [B + "3:4: anchor '&a' is not allowed; write each value out in full"],
         source("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b]\n"
                "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\n")),
    # files
    Case("not-utf8", [B + "2:11: byte 0xe9 is not valid UTF-8; save the file as UTF-8"],
         {BAD: "id: bad\ntitle: caf\xe9\n".encode("latin-1")}),
    Case("utf16", [B + "1:1: file is UTF-16; save it as UTF-8"],
         {BAD: "id: bad\n".encode("utf-16")}),
    Case("empty-file", [B + "1:1: file is empty; expected YAML data (see the schema named on "
         "line 1)"], {BAD: ""}),
    Case("comments-only", [B + "1:1: file is empty; expected YAML data (see the schema named on "
         "line 1)"], {BAD: H}),
    Case("top-level-list", [B + "1:1: the file must be a mapping of fields, not a list"],
         {BAD: "- a\n- b\n"}),
    Case("top-level-mapping", ["data/glossary.yaml:1:1: the file must be a list, not a mapping "
         "of fields"], {"data/glossary.yaml": "id: x\n"}),
    Case("byte-order-mark", [B + "1:1: file starts with a byte-order mark; save it as UTF-8 "
         "without BOM"], {BAD: b"\xef\xbb\xbfid: bad\n"}),
    Case("huge-file", [B + "1:1: file is 8,400,011 bytes; the limit is 8,388,608 (split it, one "
         "record per file)"], {BAD: "id: bad\n# " + "x" * 8_400_000 + "\n"}),
    Case("deep-nesting", [B + "1:1003: YAML nests too deeply to read"],
         {BAD: "a: " + "[" * 2000 + "]" * 2000 + "\n"}),
    Case("two-documents", [B + "2:1: YAML syntax error: more than one document ('---') in one "
         "file"], {BAD: "id: bad\n---\nid: again\n"}),
    Case("file-name-mismatch", [B + "2:5: id 'other' must match the file name 'bad.yaml': "
         "rename the file or fix the id"], source(SOURCE, head="id: other\n")),
    Case("stray-files", [
        "data/outcome.yaml:1:1: unexpected file: the site reads only data/sources/<id>.yaml, "
        "data/outcomes/<id>.yaml, data/topics/<id>.yaml, data/visit.yaml, data/timeline.yaml, "
        "data/people/<id>.yaml, data/glossary.yaml, data/terminology.yaml, data/claims.yaml, "
        "data/corrections.yaml, data/searches.yaml",
        "data/sources/x.yml:1:1: unexpected file: the site reads only data/sources/<id>.yaml, "
        "data/outcomes/<id>.yaml, data/topics/<id>.yaml, data/visit.yaml, data/timeline.yaml, "
        "data/people/<id>.yaml, data/glossary.yaml, data/terminology.yaml, data/claims.yaml, "
        "data/corrections.yaml, data/searches.yaml"],
         {"data/outcome.yaml": "x: 1\n", "data/sources/x.yml": "id: x\n"}),
    Case("empty-collection", [
        "data/claims.yaml:9:12: outcome refers to 'ai-dialogue', which does not exist (no file "
        "data/outcomes/ai-dialogue.yaml)",
        "data/outcomes/:1:1: folder data/outcomes/ has no <id>.yaml files; the site needs at "
        "least one",
        "data/searches.yaml:5:11: record 'ai-dialogue' does not exist in outcomes (no file "
        "data/outcomes/ai-dialogue.yaml)",
        "data/searches.yaml:13:11: record 'ai-dialogue' does not exist in outcomes (no file "
        "data/outcomes/ai-dialogue.yaml)",
        "data/timeline.yaml:22:12: outcome refers to 'ai-dialogue', which does not exist (no "
        "file data/outcomes/ai-dialogue.yaml)"], {"data/" + OUTCOME: None}),
    # A file that cannot be read is the one problem reported for it: the references to the
    # records it holds wait for it to be mended, rather than say that those do not exist.
    Case("syntax-error-in-a-cited-source", ["data/sources/wire-report.yaml:4:10: YAML syntax "
         "error: did not find expected ',' or ']' (while parsing a flow sequence)"],
         edits=[edit("sources/wire-report.yaml", "title: Ministers", "title: [Ministers")]),
    Case("syntax-error-in-a-named-outcome", [OUT + "5:5: YAML syntax error: "
         "did not find expected ',' or ']' (while parsing a flow sequence)"],
         edits=[edit(OUTCOME, "title:\n", "title: [\n")]),
    Case("syntax-error-in-a-corrected-list", ["data/timeline.yaml:6:10: YAML syntax error: "
         "did not find expected ',' or ']' (while parsing a flow sequence)"],
         edits=[edit("corrections.yaml", "collection: people\n  record: visitor-one",
                     "collection: timeline\n  record: global-partnership"),
                edit("timeline.yaml", "  title:\n", "  title: [\n")]),
    # invisible characters
    Case("bidi-control", [B + "3:9: invisible bidirectional control U+202E is not allowed; "
         "delete it (it can make text read differently from what it says)"],
         source(SOURCE.replace("title: T", "title: a\u202eb"))),
    Case("zero-width-space-in-id", [B + "2:7: invisible zero-width space U+200B is not allowed; "
         "delete it (it can make text read differently from what it says)"],
         source(SOURCE, head="id: ba\u200bd\n")),
    Case("zero-width-joiner-in-id", [B + "2:5: id 'ba\u200dd' must be kebab-case (lower-case "
         "letters, digits and single hyphens, e.g. 'ai-dialogue')"],
         source(SOURCE, head="id: ba\u200dd\n")),
    Case("zero-width-joiner-in-url", [B + "5:6: url 'https://exa\u200dmple.org/a' must be an "
         "https:// URL written in ASCII with no spaces"],
         source(SOURCE.replace("https://example.org/a/b", "https://exa\u200dmple.org/a"))),
    Case("control-character", [B + "3:9: invisible control character U+0007 is not allowed; "
         "delete it (it can make text read differently from what it says)"],
         source(SOURCE.replace("title: T", "title: a\x07b"))),
    # data quoted in a message cannot break its line (and forge a GitHub workflow command)
    Case("line-break-in-key", [B + "10:1: unknown field 'x\\n::error file=README.md::forged'; "
         "allowed here: accessed, archived_url, author, country, id, kind, language, note, "
         "published, publisher, rerun_of, title, untranslated, url"],
         source(SOURCE + '"x\\n::error file=README.md::forged": 1\n')),
    Case("line-break-in-reference", ["data/glossary.yaml:9:13: sources[0] 'x ::warning::forged' "
         "must be kebab-case (lower-case letters, digits and single hyphens, e.g. "
         "'ai-dialogue')", "data/glossary.yaml:9:13: sources[0] refers to "
         "'x\\n::warning::forged', which does not exist (no file "
         "data/sources/x\\n::warning::forged.yaml)"],
         edits=[edit("glossary.yaml", "sources: [wire-report]",
                     'sources: ["x\\n::warning::forged"]')]),
    # editorial rules
    Case("perspective-without-own-source", ["data/topics/quad.yaml:26:14: perspectives[0] gives "
         "china's view but cites no source from china (sources here are from: india)"],
         edits=[edit("topics/quad.yaml", "sources: [mfa-china-presser]", "sources: [wire-report]")]),
    Case("perspective-from-elsewhere", ["data/topics/quad.yaml:26:14: perspectives[0] gives "
         "china's view but cites no source from china (sources here are from: india, japan)"],
         edits=[edit("topics/quad.yaml", "sources: [mfa-china-presser]",
                     "sources: [wire-report, mofa-dialogue]")]),
    # A perspective says whose view it is (holder): analysis alone needs no 'whose:' there.
    Case("perspective-on-analysis-alone", ["data/topics/quad.yaml:26:14: perspectives[0] gives "
         "china's view but cites no source from china (sources here are from: international)"],
         edits=[edit("topics/quad.yaml", "sources: [mfa-china-presser]", "sources: [think-tank]")]),
    Case("perspective-citing-nothing-known", [
         "data/topics/quad.yaml:26:14: perspectives[0] gives china's view but cites no source "
         "from china (sources here are from: nowhere known)",
         "data/topics/quad.yaml:26:15: perspectives[0].sources[0] refers to 'mfa-beijing', which "
         "does not exist (no file data/sources/mfa-beijing.yaml)"],
         edits=[edit("topics/quad.yaml", "sources: [mfa-china-presser]", "sources: [mfa-beijing]")]),
    Case("quote-too-long", ["data/visit.yaml:51:13: itinerary[0].quote.text quotes 45 words; keep "
         "quotations to 40 words and paraphrase the rest"],
         edits=[edit("visit.yaml", "text: A short quotation.", "text: " + " ".join(["w"] * 45))]),
    # One site, one publisher's name: the fixture's wire is "Example Wire" (news.example.org).
    Case("publisher-written-two-ways", [
         "data/sources/wire-report.yaml:4:12: publisher 'Example Wire' names the publisher of "
         "news.example.org otherwise than 'Example wire' (data/sources/bad.yaml:4); write it "
         "one way"],
         source(SOURCE.replace("publisher: P", "publisher: Example wire (Reuters copy)")
                .replace("example.org/a/b", "www.news.example.org/a/b"))),
    # A source whose URL is refused is left out of the comparison, not the sources after it.
    Case("publisher-after-a-malformed-url", [
         B + "5:6: url 'https://[x/a' is not a well-formed URL",
         "data/sources/wire-report.yaml:4:12: publisher 'Example Wire' names the publisher of "
         "news.example.org otherwise than 'Example wire' (data/sources/bad2.yaml:4); write it "
         "one way"],
         {BAD: H + "id: bad\n" + SOURCE.replace("example.org/a/b", "[x/a"),
          "data/sources/bad2.yaml": H + "id: bad2\n" + SOURCE.replace(
              "publisher: P", "publisher: Example wire").replace("example.org/a/b",
                                                                 "news.example.org/c")}),
    Case("analysis-without-whose", ["data/visit.yaml:13:7: significance[0] cites only analysis; "
         "add 'whose:' to say whose analysis it is"],
         edits=[edit("visit.yaml", "    whose:\n      en: Example Institute\n", "")]),
]


def cases(*names: str) -> list[Case]:
    by_name = {c.name: c for c in CASES}
    return [by_name[name] for name in names]


def apply(project, case: Case) -> None:
    for rel, content in case.files.items():
        project.write(rel, content)
    for rel, old, new in case.edits:
        project.replace(rel, old, new)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_problem_is_reported_exactly(project, case):
    apply(project, case)
    assert project.problems() == case.expected


# Each rule's boundary, on the side that passes: the day itself is not "before" or "after" it.
BOUNDARIES = {
    "source accessed the day it was published": (
        {BAD: H + "id: bad\n" + SOURCE + "accessed: 2026-01-01\n"}, []),
    "source published on the build day": (
        {BAD: H + "id: bad\n" + SOURCE.replace("2026-01-01", "2026-11-25")}, []),
    "deadline on the day of the announcement": ({}, [edit(OUTCOME, "by: 2026-04-30",
                                                          "by: 2026-01-16")]),
    "update on the announcement day, checked the same day": ({}, [
        edit(OUTCOME, "- date: 2026-04-20", "- date: 2026-01-16"),
        edit(OUTCOME, "last_checked: 2026-11-25", "last_checked: 2026-01-16")]),
    "events on the first and last day of the visit": ({}, [
        edit("visit.yaml", "date: 2026-01-16\n    time", "date: 2026-01-15\n    time")]),
    "a one-day visit and a one-day stop": ({}, [
        edit("visit.yaml", "start: 2026-01-15\nend: 2026-01-17", "start: 2026-01-16\nend: 2026-01-16"),
        edit("visit.yaml", "date: 2026-01-17\n    title:\n      en: Metro",
             "date: 2026-01-16\n    title:\n      en: Metro"),
        edit("visit.yaml", "end: 2026-01-17\n    summary", "end: 2026-01-15\n    summary")]),
    "two events at the same time, the second untimed": ({}, [
        edit("visit.yaml", "date: 2026-01-17\n    title:\n      en: Metro",
             "date: 2026-01-16\n    title:\n      en: Metro")]),
    "two tour stops starting the same day": ({}, []),  # the fixture's stops both start 15 January
    "the most events and stops the visit page shows": ({}, [
        edit("visit.yaml", "itinerary:\n", "itinerary:\n" + events(38)),
        edit("visit.yaml", "tour:\n", "tour:\n" + stops(18))]),
    "a role that ends the month it starts": ({}, [
        edit("people/visitor-one.yaml", "from: 2025-10", "from: 2025-10\n    to: 2025-10")]),
    "a quotation of exactly 40 words": ({}, [
        edit("visit.yaml", "text: A short quotation.", "text: " + " ".join(["w"] * 40))]),
    "a long statement is not a quotation": ({}, [
        edit("visit.yaml", "en: The minister visited India from 15 to 17 January 2026.",
             "en: " + " ".join(["w"] * 60)),
        edit("topics/quad.yaml", "en: A summary point.", "en: " + " ".join(["w"] * 60)),
        edit(OUTCOME, "  text: early 2026\n", "  text: " + " ".join(["w"] * 60) + "\n")]),
    "an archived copy may be a home page": (
        {BAD: H + "id: bad\n" + SOURCE + "archived_url: https://archive.example.org/\n"}, []),
    "a copy and a section under one publisher's name": (
        {BAD: H + "id: bad\n" + SOURCE.replace("publisher: P", "publisher: Example Wire (Reuters copy)")
                                        .replace("example.org/a/b", "www.news.example.org/a/b"),
         "data/sources/bad2.yaml": H + "id: bad2\n" + SOURCE.replace(
             "publisher: P", "publisher: Example Wire, Sunday edition").replace(
             "example.org/a/b", "news.example.org/c")}, []),
    "analysis cited beside another kind of source": ({}, [
        edit("visit.yaml", "    whose:\n      en: Example Institute\n    sources: [think-tank]",
             "    sources: [think-tank, wire-report]")]),
}


@pytest.mark.parametrize("files, edits", BOUNDARIES.values(), ids=BOUNDARIES.keys())
def test_each_rule_accepts_its_boundary(project, files, edits):
    apply(project, Case("boundary", [], files, edits))
    assert project.problems() == []


def test_every_problem_in_every_file_is_reported_in_one_run(project):
    for case in cases("duplicate-key", "status-not-allowed", "itinerary-out-of-sequence"):
        apply(project, case)
    problems = project.problems()
    assert problems == sorted(problems)
    assert len(problems) == 3


# The command line and the build, once per way of failing -------------------------------------

def _assert_refused(result, expected: list[str], project) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for line in expected:
        assert line in output
    assert "Traceback" not in output
    assert not (project.root / "site").exists()


@pytest.mark.process
def test_data_errors_fail_the_validate_command(project):
    for case in cases("duplicate-key", "status-not-allowed", "itinerary-out-of-sequence"):
        apply(project, case)
    result = project.validate_cli()
    _assert_refused(result, project.problems(), project)
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "3 data errors in 3 files; nothing was published. "
        "See CONTRIBUTING.md#fixing-validation-errors")


@pytest.mark.process
def test_data_errors_fail_the_build_and_publish_nothing(project):
    for case in cases("duplicate-key", "status-not-allowed", "itinerary-out-of-sequence"):
        apply(project, case)
    _assert_refused(project.build(), project.problems(), project)


@pytest.mark.process
def test_an_unreadable_file_fails_both_without_a_traceback(project):
    apply(project, cases("not-utf8")[0])
    for result in (project.validate_cli(), project.build()):
        _assert_refused(result, cases("not-utf8")[0].expected, project)


@pytest.mark.process
def test_a_failed_search_index_fails_the_build_without_a_traceback(tmp_path):
    """Pagefind, which the build runs over the built pages (hooks.py), failing: its own words,
    exit status 1, no traceback. Here a Pagefind that can do nothing else, and the real data,
    which every page can be built from."""
    project = copy_project(tmp_path / "project", ROOT / "data")
    broken = tmp_path / "broken" / "pagefind"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("", encoding="utf-8")
    (broken / "__main__.py").write_text("import sys\nsys.exit('Error: no room to write')\n",
                                        encoding="utf-8")
    result = project.build(PYTHONPATH=str(broken.parent),
                           SITE_BUILD_DATE=datetime.date.today().isoformat())
    assert result.returncode == 1, result.stderr
    assert "Pagefind could not index the site in " in result.stderr
    assert "(exit status 1): Error: no room to write" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.process
def test_valid_data_passes_the_validate_command(project):
    result = project.validate_cli()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data OK: ")


SECRET = "token: SECRET-VALUE-OUTSIDE-THE-REPO\n"
LINKED = ("data/sources/linked.yaml:1:1: a symbolic link is not allowed in data/: data must be "
          "ordinary files in the repository (a link could point anywhere on the machine that "
          "builds the site)")


def _link_outside(project, tmp_path) -> str:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET)
    (project.root / "data/sources/linked.yaml").symlink_to(outside / "secret.yaml")
    shutil.rmtree(project.root / "data/people")
    (project.root / "data/people").symlink_to(outside, target_is_directory=True)
    return LINKED.replace("data/sources/linked.yaml", "data/people")


def test_links_are_refused_not_followed(project, tmp_path):
    expected_people = _link_outside(project, tmp_path)
    problems = project.problems()
    assert LINKED in problems and expected_people in problems
    assert not any("SECRET" in p for p in problems)
    # The rest is read and checked as if data/people were empty; its own emptiness is not
    # reported again.
    assert "data/visit.yaml:4:10: visitor refers to 'visitor-one', which does not exist (no file " \
        "data/people/visitor-one.yaml)" in problems
    assert sorted({p.split(":")[0] for p in problems}) == [
        "data/corrections.yaml", "data/people", "data/sources/linked.yaml",
        "data/topics/china-context.yaml", "data/topics/economic-security.yaml",
        "data/topics/quad.yaml", "data/visit.yaml"]


@pytest.mark.process
def test_links_fail_the_command_and_the_build_without_reading_them(project, tmp_path):
    _link_outside(project, tmp_path)
    for result in (project.validate_cli(), project.build()):
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert LINKED in output and "SECRET" not in output and "Traceback" not in output
    assert not (project.root / "site").exists()


def test_a_linked_data_folder_is_refused_whole(project, tmp_path):
    shutil.move(project.root / "data", tmp_path / "elsewhere")
    (project.root / "data").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert project.problems() == [LINKED.replace("data/sources/linked.yaml", "data")]


def test_a_missing_data_folder_is_reported_file_by_file(project):
    shutil.rmtree(project.root / "data")
    problems = project.problems()
    assert "data/visit.yaml:1:1: file data/visit.yaml is missing" in problems
    assert ("data/sources/:1:1: folder data/sources/ has no <id>.yaml files; the site needs at "
            "least one") in problems
    assert len(problems) == 11 and all(p.startswith("data/") for p in problems), problems


SPECIAL = ("data/sources/pipe.yaml:1:1: only ordinary files are allowed in data/, not pipes, "
           "sockets or devices (reading one could stop the build)")


def test_a_named_pipe_is_refused(project):
    os.mkfifo(project.root / "data/sources/pipe.yaml")
    os.mkfifo(project.root / "data/pipe.yaml")
    assert project.problems() == [SPECIAL.replace("sources/pipe", "pipe"), SPECIAL]


@pytest.mark.process
def test_a_named_pipe_is_refused_without_waiting_for_it(project):
    os.mkfifo(project.root / "data/sources/pipe.yaml")
    result = project.run(PYTHON, "-m", "sitedata", "validate", timeout=60)
    assert result.returncode == 1
    assert SPECIAL in result.stderr


@pytest.mark.process
def test_no_output_line_can_be_taken_for_a_workflow_command(project):
    # A file name can hold a line break too; every line printed must be one of ours.
    project.write("data/sources/a\n::error::forged.yaml", H + "id: a\n" + SOURCE)
    for case in cases("line-break-in-key", "line-break-in-reference"):
        apply(project, case)
    result = project.validate_cli(GITHUB_ACTIONS="true")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "data/sources/a\\n::error::forged.yaml:2:5: id 'a' must match the file name " \
        "'a\\n::error::forged.yaml': rename the file or fix the id" in lines
    ours = ("data/", "::error file=data/", "4 data errors in 3 files")
    assert all(line.startswith(ours) for line in lines), lines


# Values shaped to make a backtracking pattern take time growing with the square of their
# length: before the text rules were made linear, a 200 kB one took minutes. Generous limits,
# so that only that mistake, never a slow machine, can fail these.
PATHOLOGICAL = {"line-breaks": "note: |-\n  x" + "\n" * 200_000 + "  x[\n",
                "brackets": 'note: "' + "[" * 200_000 + '"\n',
                "bracket-lines": "note: |-\n" + "  [x\n" * 50_000}


@pytest.mark.process
def test_pathological_text_is_refused_in_seconds(project):
    # One file per shape, one process for all (its timeout is the limit).
    for name, body in PATHOLOGICAL.items():
        project.write(f"data/sources/{name}.yaml", H + f"id: {name}\n" + SOURCE + body)
    result = project.run(PYTHON, "-m", "sitedata", "validate", timeout=60)
    assert result.returncode == 1
    for name in PATHOLOGICAL:  # too long for a note, and nothing worse
        assert f"data/sources/{name}.yaml:10:7: note " in result.stderr


@pytest.mark.process
def test_rendering_pathological_text_takes_seconds_not_minutes():
    # Rendering, which bypasses validation here, must not hang either.
    texts = ["'[' * 200_000", "'[x ' * 70_000", "'*a' * 100_000"]
    code = ("from sitedata.render import Renderer, Terms; "
            "inline = Renderer(Terms([])).env.filters['inline']; "
            + "; ".join(f"inline({text})" for text in texts))
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_fixture_data_is_valid(project):
    assert project.problems() == []
