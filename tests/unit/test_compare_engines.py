"""tools/compare_engines.py: the MkDocs and ProperDocs builds must agree but for the generator
tag, and every page of the ProperDocs build, each edition's included, must come from ProperDocs.
(The real builds run in CI: `make engines`, called by .ci/run.)"""

from __future__ import annotations

from conftest import ROOT
from tools import compare_engines

MKDOCS_NAME = "mkdocs-1.6.1, mkdocs-material-9.8.2"
MKDOCS = f'<meta name="generator" content="{MKDOCS_NAME}">'
PROPERDOCS = '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2">'


def _site(root, generator, *, ja_generator=None, extra=None):
    pages = {"index.html": generator, "about/index.html": generator,
             "ja/index.html": ja_generator or generator}
    for rel, tag in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"<html><head>\n{tag}\n</head><body>{rel}</body></html>\n")
    (root / "api").mkdir(exist_ok=True)
    (root / "api" / "index.json").write_text('{\n "generated_at": "2026-12-02T00:00:00Z"\n}\n')
    for rel, text in (extra or {}).items():
        (root / rel).write_text(text)
    return root


def test_sites_that_differ_only_in_the_generator_tag_agree(tmp_path, capsys):
    a, b = _site(tmp_path / "a", MKDOCS), _site(tmp_path / "b", PROPERDOCS)
    assert compare_engines.main([str(a), str(b)]) == 0
    assert "engines agree: 4 files the same, the generator tag of the 3 pages aside" \
        in capsys.readouterr().out


def test_any_other_difference_is_printed_and_fails(tmp_path, capsys):
    a = _site(tmp_path / "a", MKDOCS)
    b = _site(tmp_path / "b", PROPERDOCS,
              extra={"api/index.json": '{\n "generated_at": "2026-12-02T00:00:01Z"\n}\n'})
    assert compare_engines.main([str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert ("differs: api/index.json: line 2: '\"generated_at\": \"2026-12-02T00:00:00Z\"' != "
            "'\"generated_at\": \"2026-12-02T00:00:01Z\"'") in out
    assert "engines differ: 1 of 4 files" in out


def test_a_generator_tag_outside_html_pages_is_a_difference(tmp_path):
    a = _site(tmp_path / "a", MKDOCS, extra={"feed.xml": MKDOCS})
    b = _site(tmp_path / "b", PROPERDOCS, extra={"feed.xml": PROPERDOCS})
    assert compare_engines.compare(a, b) == [
        f"differs: feed.xml: line 1: {MKDOCS!r} != {PROPERDOCS!r}"]


def test_a_file_in_one_output_only_fails(tmp_path, capsys):
    a = _site(tmp_path / "a", MKDOCS, extra={"sitemap.xml": "<urlset/>"})
    b = _site(tmp_path / "b", PROPERDOCS)
    assert compare_engines.main([str(a), str(b)]) == 1
    assert f"only in {a}: sitemap.xml" in capsys.readouterr().out


def test_building_compares_both_engines_and_checks_each_edition_s_engine(monkeypatch, capsys):
    built = []

    def fake_build(engine, out, environment):
        built.append((engine, environment["SOURCE_DATE_EPOCH"], environment["SITE_BUILD_DATE"]))
        # The Japanese edition of the ProperDocs build made by MkDocs: what must not pass.
        _site(out, PROPERDOCS if engine == "properdocs" else MKDOCS, ja_generator=MKDOCS)
        return compare_engines.subprocess.CompletedProcess([], 0, "", "")

    monkeypatch.setattr(compare_engines, "build", fake_build)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796169600")
    monkeypatch.delenv("SITE_BUILD_DATE", raising=False)
    assert compare_engines.main([]) == 1
    assert built == [("mkdocs", "1796169600", "2026-12-02"), ("properdocs", "1796169600", "2026-12-02")]
    out = capsys.readouterr().out
    assert f"properdocs build: ja/index.html has generator {MKDOCS_NAME!r}" in out
    assert "engines differ: 1 of 4 files" in out


def test_a_failed_build_stops_the_comparison(monkeypatch, capsys):
    monkeypatch.setattr(compare_engines, "build", lambda engine, out, environment:
                        compare_engines.subprocess.CompletedProcess([], 1, "", "Aborted"))
    assert compare_engines.main([]) == 2
    assert "mkdocs build failed:\nAborted" in capsys.readouterr().out


def test_each_engine_builds_strictly_with_its_own_module(monkeypatch, tmp_path):
    commands = []
    monkeypatch.setattr(compare_engines.subprocess, "run",
                        lambda command, **kwargs: commands.append(command))
    compare_engines.build("properdocs", tmp_path, {})
    assert commands[0][1:5] == ["-m", "properdocs", "build", "--strict"]


def test_both_engines_are_pinned_exactly():
    pins = {line.split("==")[0].lower(): line.split()[0]
            for name in ("requirements.in", "requirements-test.in")
            for line in (ROOT / name).read_text(encoding="utf-8").splitlines() if "==" in line}
    assert set(compare_engines.ENGINES) <= pins.keys()
    assert all(pins[engine].count("==") == 1 for engine in compare_engines.ENGINES)
