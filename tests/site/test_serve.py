"""`mkdocs serve` as an editor runs it (`make serve`; issue 14, item 7).

While serving, hooks.py builds each other edition in a process of its own, at the same time as
the default one, and Pagefind indexes the site in the background once the pages are served.
Neither may change what is served: after a save, every file of both editions, and a moment
later the search index, must be what a build of the same files makes. A bad save is reported
once, as a build reports it, and the next good save brings the site back; when serving ends,
the builder process and its folder go with it. Slow (a server, a build, several rebuilds of
the small fixture data).
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import MKDOCS, ROOT, copy_project

PROPERDOCS = str(Path(MKDOCS).with_name("properdocs"))

pytestmark = pytest.mark.process

# What the server adds to each page it serves (mkdocs/livereload: _inject_js_into_html).
RELOAD_SCRIPT = re.compile(rb"<script>[^<]*livereload[^<]*</script>(?=</body>)")
BUILDER_FOLDER = re.compile(r"edition \(ja\) into (\S+)/site")


class Server:
    def __init__(self, project, log: Path, engine: str = MKDOCS):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}/site/"
        self.env = {**os.environ, "SITE_BUILD_DATE": TODAY, "NO_MKDOCS_2_WARNING": "1",
                    "GITHUB_ACTIONS": "", "SITE_URL": self.base}
        self.log = log
        project.copy_the_rest()
        with log.open("w") as err:
            self.process = subprocess.Popen(
                [engine, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project.root,
                env=self.env, stdout=subprocess.DEVNULL, stderr=err,
                # Ctrl-C reaches it as it reaches a server in a terminal: pytest-xdist's
                # workers ignore SIGINT, which a child would inherit (and Python then keeps).
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            return RELOAD_SCRIPT.sub(b"", response.read())

    def get_or_none(self, path: str) -> bytes | None:
        try:
            return self.get(path)
        except urllib.error.HTTPError:
            return None

    def wait_for(self, path: str, text: str, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.process.poll() is None, self.text()
            with contextlib.suppress(OSError):
                if text.encode() in self.get(path):
                    return
            time.sleep(0.1)
        raise AssertionError(f"{path} did not show {text!r}:\n{self.text()}")

    def wait_in_log(self, text: str, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while text not in self.text():
            assert time.monotonic() < end, f"the log never showed {text!r}:\n{self.text()}"
            assert self.process.poll() is None, f"the server stopped:\n{self.text()}"
            time.sleep(0.1)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builders(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        """As an editor stops it: Ctrl-C."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)


@pytest.fixture
def project(tmp_path):
    """The project with the real data, which the pages cite."""
    return copy_project(tmp_path, ROOT / "data")


@pytest.fixture(params=[MKDOCS, PROPERDOCS], ids=["mkdocs", "properdocs"])
def engine(request) -> str:
    return request.param


@pytest.fixture
def server(project, tmp_path, engine):
    running = Server(project, tmp_path / "serve.log", engine)
    try:
        running.wait_for("ja/sources/", "</html>", timeout=300)  # the first build, both editions
        running.wait_in_log("Serving on")
        # The watcher starts in a thread of its own once serving starts, and says nothing when
        # it is ready (inotify's watches set, or the engine's polling's first look taken): a
        # save before that would not be seen.
        time.sleep(2)
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()


TODAY = datetime.date.today().isoformat()
SOURCE = "data/sources/ht-2026-01-14-motegi-to-visit-india.yaml"
TITLE = (SOURCE, "title: Japan foreign minister", "title: Revised Japan foreign minister")
REVISED = "Revised Japan foreign minister"


def _revise_and_wait(project, server) -> None:
    project.replace(*TITLE)
    for page in ("visit/", "ja/visit/"):  # two pages that cite it
        server.wait_for(page, REVISED)


def test_a_save_is_served_in_every_edition_as_a_build_makes_it(project, server, engine):
    """With either engine (the builder process must load the one that serves)."""
    _revise_and_wait(project, server)
    builders = server.builders()
    folder = Path(BUILDER_FOLDER.search(server.text()).group(1))
    assert len(builders) == 1 and folder.is_dir()
    result = project.run(engine, "build", "--strict", "--site-dir", "site",
                         env={"SITE_URL": server.base, "SITE_BUILD_DATE": TODAY})
    assert result.returncode == 0, result.stderr
    built = project.root / "site"
    files = sorted(path.relative_to(built).as_posix() for path in built.rglob("*")
                   if path.is_file())
    assert "pagefind/pagefind-entry.json" in files and "ja/sources/index.html" in files
    index = [name for name in files if name.startswith("pagefind/")]
    end = time.monotonic() + 120
    while [name for name in index if server.get_or_none(name) != (built / name).read_bytes()]:
        assert time.monotonic() < end, "the search index served is not the build's"
        time.sleep(0.5)
    differ = [name for name in files if server.get(name) != (built / name).read_bytes()]
    assert differ == []
    # When the editor stops the server (Ctrl-C), the builder and its folder go too.
    server.stop()
    assert server.process.returncode == 0, server.text()
    for pid in builders:
        assert not Path(f"/proc/{pid}").exists()
    assert not folder.exists()


@pytest.mark.parametrize("engine", [MKDOCS], ids=["mkdocs"])
def test_errors_are_reported_once_and_the_next_good_save_recovers(project, server):
    # Bad data: the default edition's build reports it; the builder's report of the same data
    # is dropped.
    project.replace(SOURCE, "published: 2026-01-14", "published: 2026-01-99")
    problem = next(p for p in project.problems() if SOURCE in p)
    server.wait_in_log(problem)
    project.replace(SOURCE, "published: 2026-01-99", "published: 2026-01-14")
    _revise_and_wait(project, server)
    assert server.text().count(problem) == 1
    # An error in another edition alone: its builder's report, once.
    page = "docs/ja/index.md"
    original = (project.root / page).read_text(encoding="utf-8")
    project.write(page, original + "\n{{ no_such_macro() }}\n")
    server.wait_in_log("The 日本語 edition (ja) failed to build")
    project.write(page, original)
    project.replace(SOURCE, REVISED, "Revised again Japan foreign minister")
    server.wait_for("ja/visit/", "Revised again")
    assert server.text().count("The 日本語 edition (ja) failed to build") == 1
    assert server.text().count("_UndefinedError_: 'no_such_macro'") == 1  # mkdocs-macros' report
    # An error in a page's macros, which mkdocs-macros reports and then ends the process with:
    # that rebuild fails, not the server.
    page = "docs/index.md"
    original = (project.root / page).read_text(encoding="utf-8")
    project.write(page, original + "\n{{ another_missing_macro() }}\n")
    server.wait_in_log("The build stopped (exit status 100)")
    project.write(page, original)
    project.replace(SOURCE, "Revised again", "Revised a third time")
    server.wait_for("visit/", "Revised a third time")
    assert server.text().count("_UndefinedError_: 'another_missing_macro'") == 1


# A project for an engine's server alone (its plugins, Material's among them, are made for the
# engine imported first in this process: ProperDocs would refuse them).
CONFIG = "site_name: {name}\ntheme: material\nplugins: []\n"


def _engine_server(engine: str, root: Path):
    """`engine`'s own serve set-up for a project at `root` (mkdocs/commands/serve.py), up to
    the hooks' on_serve: its server, its configuration, and the paths it watches before the
    hook; each save counted as a build."""
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Page\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(name="Test"), encoding="utf-8")
    config = importlib.import_module(f"{engine}.config").load_config(
        config_file=str(root / "mkdocs.yml"))
    builds: list[float] = []
    server = importlib.import_module(f"{engine}.livereload").LiveReloadServer(
        builder=lambda: builds.append(time.monotonic()), host="127.0.0.1", port=0,
        root=str(root))
    server.watch(config["docs_dir"])
    server.watch(config["config_file_path"])
    return server, config, builds


@pytest.mark.parametrize("engine_name", ["mkdocs", "properdocs"])
def test_a_rebuild_waits_a_hundredth_of_a_second_for_more_changes(tmp_path, engine_name):
    """Not MkDocs' tenth (see hooks.on_serve): with either engine's server."""
    import hooks
    server, config, _ = _engine_server(engine_name, tmp_path)
    assert server.build_delay == 0.1  # the engine's own, which hooks.py shortens
    assert hooks.on_serve(server, config, server.builder).build_delay == 0.01
    server.server_close()


def _until(condition, timeout: float = 10) -> bool:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize("engine_name", ["mkdocs", "properdocs"])
def test_the_kernel_tells_the_server_of_each_save_and_reading_is_no_save(
        tmp_path, engine_name, monkeypatch):
    """On Linux, inotify rather than the engine's polling (hooks._hear_saves): what the engine
    watched before the hook (its pages, its configuration), and what it watches after (the
    data), each save rebuilds once, however the editor saves it; a build's reading the files
    rebuilds nothing."""
    from watchdog.observers.inotify import InotifyObserver

    import hooks
    monkeypatch.delenv(hooks.WATCH, raising=False)
    server, config, builds = _engine_server(engine_name, tmp_path)
    (tmp_path / "data").mkdir()
    record = tmp_path / "data" / "record.yaml"
    record.write_text("id: a\n", encoding="utf-8")
    server = hooks.on_serve(server, config, server.builder)
    server.watch(str(tmp_path / "data"))  # as mkdocs.yml's `watch:` is, after the hook
    assert isinstance(server.observer, InotifyObserver)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        assert _until(lambda: server.serve_thread.is_alive())
        time.sleep(0.3)
        saves = [
            lambda: record.write_text("id: b\n", encoding="utf-8"),  # in place
            lambda: (tmp_path / "docs" / "index.md").write_text("# Changed\n", encoding="utf-8"),
            # as editors that save a copy and rename it over the file do: twice, since the
            # file watched is then another one
            lambda: _save_by_renaming(tmp_path / "mkdocs.yml", CONFIG.format(name="Renamed")),
            lambda: _save_by_renaming(tmp_path / "mkdocs.yml", CONFIG.format(name="Again")),
            lambda: (tmp_path / "data" / "new.yaml").write_text("id: c\n", encoding="utf-8"),
            lambda: (tmp_path / "data" / "new.yaml").unlink(),
            lambda: os.replace(_written(tmp_path / "outside.yaml"), tmp_path / "data" / "in.yaml"),
            lambda: os.utime(record),  # touched
        ]
        for n, save in enumerate(saves, start=1):
            save()
            assert _until(lambda n=n: len(builds) >= n), f"save {n} was not heard"
            time.sleep(0.3)
            assert len(builds) == n, f"save {n} rebuilt {len(builds) - n + 1} times"
        for path in (record, tmp_path / "docs" / "index.md", tmp_path / "mkdocs.yml"):
            path.read_bytes()
        time.sleep(0.5)
        assert len(builds) == len(saves)
    finally:
        server.shutdown(wait=True)
        thread.join(timeout=10)


def _written(path: Path) -> Path:
    path.write_text("id: d\n", encoding="utf-8")
    return path


def _save_by_renaming(path: Path, text: str) -> None:
    copy = path.with_name(f".{path.name}.swp")
    copy.write_text(text, encoding="utf-8")
    os.replace(copy, path)


@pytest.mark.parametrize("engine_name", ["mkdocs", "properdocs"])
@pytest.mark.parametrize("where", ["poll", "darwin"])
def test_elsewhere_the_engine_s_own_watcher_stays(tmp_path, engine_name, where, monkeypatch):
    """SITEDATA_WATCH=poll, for files that change across a virtual file system (CONTRIBUTING),
    and any other system than Linux: the engine's polling, as it is."""
    from watchdog.observers.polling import PollingObserver

    import hooks
    if where == "poll":
        monkeypatch.setenv(hooks.WATCH, "poll")
    else:
        monkeypatch.delenv(hooks.WATCH, raising=False)
        monkeypatch.setattr(sys, "platform", where)
    server, config, _ = _engine_server(engine_name, tmp_path)
    observer = server.observer
    assert hooks.on_serve(server, config, server.builder).observer is observer
    assert type(observer) is PollingObserver
    server.server_close()


@pytest.mark.parametrize("engine_name", ["mkdocs", "properdocs"])
def test_a_server_lists_the_theme_once_and_copies_what_a_build_copies(
        tmp_path, engine_name, monkeypatch):
    """hooks._remember_theme_files: the theme's files a build copies, found by listing the
    theme again only when the names in the project's own theme folder change; a page's file of
    the same path is still copied instead of the theme's."""
    import jinja2

    import hooks
    structure = importlib.import_module(f"{engine_name}.structure.files")
    # The engine's own, put back after the test (the hook changes it for the whole process).
    monkeypatch.setattr(structure.Files, "add_files_from_theme",
                        structure.Files.add_files_from_theme)
    (tmp_path / "docs" / "assets" / "images").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Page\n", encoding="utf-8")
    (tmp_path / "docs" / "assets" / "images" / "favicon.png").write_bytes(b"a page's own")
    (tmp_path / "overrides" / "assets").mkdir(parents=True)
    (tmp_path / "overrides" / "assets" / "extra.css").write_text("p {}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(name="Test").replace(
        "theme: material", "theme:\n  name: material\n  custom_dir: overrides"), encoding="utf-8")
    config = importlib.import_module(f"{engine_name}.config").load_config(
        config_file=str(tmp_path / "mkdocs.yml"))

    def copied() -> list[tuple[str, str]]:
        files = structure.get_files(config)
        files.add_files_from_theme(config.theme.get_env(), config)
        return [(file.src_uri, file.abs_src_path) for file in files]

    expected = copied()  # the engine's own
    assert ("assets/images/favicon.png",
            str(tmp_path / "docs" / "assets" / "images" / "favicon.png")) in expected
    assert any(uri == "assets/extra.css" for uri, _ in expected)
    listed = []
    list_templates = jinja2.Environment.list_templates
    monkeypatch.setattr(jinja2.Environment, "list_templates",
                        lambda self, *a, **k: listed.append(1) or list_templates(self, *a, **k))
    monkeypatch.setattr(hooks, "_serving", True)
    hooks.on_config(config)  # as each build of a server's calls it
    remembering = structure.Files.add_files_from_theme
    hooks.on_config(config)
    assert structure.Files.add_files_from_theme is remembering  # not wrapped again
    assert copied() == expected and copied() == expected
    assert len(listed) == 1
    (tmp_path / "overrides" / "assets" / "new.js").write_text("", encoding="utf-8")
    assert ("assets/new.js", str(tmp_path / "overrides" / "assets" / "new.js")) in copied()
    assert len(listed) == 2
