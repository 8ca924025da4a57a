"""The measuring tools. `make bench` measures copies of the data multiplied 10 and 100 times: they
must be valid copies of every collection, or the figures time the error path instead of the work.
`make mutation` must judge the mutants against today's files, not those of its first run."""

from __future__ import annotations

from conftest import ROOT
from sitedata import validate
from sitedata.registry import COLLECTIONS
from tools.bench import multiply, print_table


def test_the_multiplied_data_is_valid_and_copies_every_collection(tmp_path):
    real = validate(ROOT)
    multiply(tmp_path, 2)
    copy = validate(tmp_path)
    assert [str(p) for p in copy.report.sorted()] == []
    for collection in COLLECTIONS:
        wanted = 1 if collection.layout == "single" else 2 * len(real.records[collection.name])
        assert len(copy.records[collection.name]) == wanted, collection.name
    visit, = copy.records["visit"]
    assert len(visit.data["itinerary"]) == 2 * len(real.records["visit"][0].data["itinerary"])


def test_the_visit_grows_only_up_to_what_its_page_shows(tmp_path):
    """The visit is one record: its lists grow with the copies up to its schema's limits (the
    visit page shows them all), and the copy stays valid beyond them."""
    real, = validate(ROOT).records["visit"]
    multiply(tmp_path, 6)
    copy = validate(tmp_path)
    assert [str(p) for p in copy.report.sorted()] == []
    visit, = copy.records["visit"]
    for key, most in (("itinerary", 40), ("tour", 20)):
        assert len(visit.data[key]) == most // len(real.data[key]) * len(real.data[key]), key
        assert len(visit.data[key]) > most - len(real.data[key]), key


def test_growth_is_judged_against_the_real_data_measured_beside_each_copy(capsys):
    """The machine's speed drifts within a run: a copy that took 10x the real data's time beside
    it grew 10x, even if the real data, measured first, took a third less."""
    def row(factor, v_cpu, b_cpu, **more):
        return {"factor": factor, "files": 1, "v_records": 1, "v_seconds": v_cpu, "v_cpu": v_cpu,
                "v_peak_kib": 1024, "b_seconds": b_cpu, "b_cpu": b_cpu, "s_cpu": b_cpu,
                "b_peak_kib": 1024, "b_html_mb": 1, "b_search_mb": 1, "b_search_part_kb": 1,
                "b_search_part": "x", "b_largest_kb": 1,
                "b_largest": "x", "b_list_kb": 1, "b_list": "x", **more}
    print_table([row(1, 0.2, 4.0),
                 row(10, 3.0, 60.0, v_reference_cpu=0.3, b_reference_cpu=6.0)])
    out = capsys.readouterr().out
    assert "validation growth at 10x: 10.0x (target at most 12x" in out
    assert "build growth at 10x: 10.0x (target at most 11x" in out
    assert out.count("MISSED") == 1  # validation at 10x over 2 s; growth is met


def test_a_page_or_a_search_file_that_grows_with_the_data_is_missed(capsys):
    """Item 6: no page and no file a search downloads grows with the data (at most 2x)."""
    def row(factor, page_kb, part_kb):
        return {"factor": factor, "files": 1, "v_records": 1, "v_seconds": 0.1, "v_cpu": 0.1,
                "v_peak_kib": 1024, "b_seconds": 1.0, "b_cpu": 1.0 * factor, "s_cpu": factor,
                "b_peak_kib": 1024, "b_html_mb": 1, "b_search_mb": 1, "b_search_part_kb": part_kb,
                "b_search_part": "index", "b_largest_kb": page_kb, "b_largest": "x",
                "b_list_kb": 1, "b_list": "x"}
    print_table([row(1, 100, 20), row(10, 180, 21), row(100, 210, 20)])
    out = capsys.readouterr().out
    assert "the largest page at 10x: 180 kB, 1.8x its size at 1x (target at most 2x): met" in out
    assert "the largest page at 100x: 210 kB, 2.1x its size at 1x (target at most 2x): MISSED" \
        in out
    assert "the largest file a search downloads at 100x: 20 kB, 1.0x its size at 1x" in out
    assert out.count("MISSED") == 1


def test_a_second_mutation_run_tests_against_todays_templates(tmp_path, monkeypatch):
    """mutmut copies the non-Python files of sitedata/ once; make mutation refreshes them."""
    from tools import mutation

    (tmp_path / "sitedata" / "templates").mkdir(parents=True)
    (tmp_path / "sitedata" / "templates" / "page.md").write_text("today", encoding="utf-8")
    (tmp_path / "sitedata" / "rules.py").write_text("x = 1", encoding="utf-8")
    stale = tmp_path / "mutants" / "sitedata" / "templates" / "page.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("yesterday", encoding="utf-8")
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    mutation.refresh_copies()
    assert stale.read_text(encoding="utf-8") == "today"
    assert not (tmp_path / "mutants" / "sitedata" / "rules.py").exists()  # mutmut's to write


def test_a_mutation_run_tries_earlier_survivors_against_todays_tests(tmp_path, monkeypatch):
    """mutmut tries a mutant again only when its code changes, not when a test is added."""
    import json
    import subprocess

    from tools import mutation

    calls = []

    def run(command, **kwargs):
        args = [str(part) for part in command[1:]]
        calls.append(args)
        if args == ["export-cicd-stats"]:
            (tmp_path / "mutants").mkdir(exist_ok=True)
            (tmp_path / "mutants" / "mutmut-cicd-stats.json").write_text(json.dumps({"total": 3}))
        results = "m.a__mutmut_1: survived\nm.b__mutmut_2: timeout\nm.c__mutmut_3: no tests\n"
        return subprocess.CompletedProcess(command, 0, results if args == ["results"] else "")

    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    monkeypatch.setattr(mutation.subprocess, "run", run)
    (tmp_path / "sitedata").mkdir()
    stats, survivors = mutation.run_mutmut(2)
    assert ["run", "--max-children", "2", "m.a__mutmut_1", "m.b__mutmut_2"] in calls
    assert calls.index(["run", "--max-children", "2"]) < calls.index(
        ["run", "--max-children", "2", "m.a__mutmut_1", "m.b__mutmut_2"])
    assert stats == {"total": 3} and "m.c__mutmut_3: no tests" in survivors


def test_a_mutation_run_maps_every_test_to_the_functions_it_calls_anew(tmp_path, monkeypatch):
    """mutmut adds only new tests to its map: a function written since would face too few."""
    import json

    from tools import mutation

    stats = tmp_path / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir()
    stats.write_text(json.dumps({"tests_by_mangled_function_name": {"m.x_f": ["t1"]},
                                 "duration_by_test": {"t1": 0.1}, "function_hashes": {"m.f": "h"}}))
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    mutation.forget_test_map()
    assert json.loads(stats.read_text()) == {"tests_by_mangled_function_name": {},
                                             "duration_by_test": {}, "function_hashes": {"m.f": "h"}}
