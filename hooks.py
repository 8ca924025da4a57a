"""MkDocs hooks (mkdocs.yml's `hooks:`): the glue that lasts the whole process.

macros.py is loaded anew for each build; this file once per process (MkDocs keeps a hook
module), which is why what must outlive a build is here. None of it has logic of its own: what
the site is, is in sitedata/.

- **The pages that the data adds** to those in docs/. A list too long for one page goes on over
  further pages (sitedata.registry.pages), as many as the data needs, so they cannot be files in
  docs/. macros.py makes their Markdown when the data is loaded (on_config) and hands it over in
  the build's configuration; here each becomes a page of the build, one that is not in the
  navigation (its first page is) and has no "edit this page" link (its Markdown is made by the
  build: the page links to the data to edit instead). The macros plugin cannot add files.
- **The other editions.** The default edition's build (English, mkdocs.yml, at the site's root)
  builds each other one from its mkdocs.<edition>.yml into its folder, with the same engine and
  strictness, so that `mkdocs build` and `mkdocs serve` make the whole site.
  - `mkdocs build`: when the default edition is done, in this process, each edition handed the
    data the default one validated (the data is validated once; what CI pays is processor time).
  - `mkdocs serve`: what an editor pays is the wait from a save to the page. Each other edition
    is built by a process of its own, kept for the whole session, at the same time as the
    default edition (it starts once the default build has found the data valid); the default
    build waits for it and moves its pages into place. On two cores, that halves the wait.
- **The search index.** Pagefind indexes the built pages of every edition, once they are all
  written, into `pagefind/` at the site's root, split into small files that a search downloads
  only as it needs them (overrides/assets/javascripts/search-worker.js answers Material's
  search box from it). Material's own index, which every searcher downloads whole, is left
  empty: its search plugin still writes the settings that its search box and its highlighting
  of the words found read.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

GENERATED = "_sitedata_pages"  # macros.GENERATED
HANDED = "_sitedata"  # macros.HANDED: the data the default edition's build hands the others
SAVE_DELAY = 0.01  # s: see on_serve
WATCH = "SITEDATA_WATCH"  # "poll": MkDocs' own watcher while serving (see _hear_saves)

log = logging.getLogger("mkdocs.plugins.sitedata")

_serving = False
_builders: dict[str, _Builder] = {}  # while serving: each other edition's builder, by language


def _engine(config) -> str:
    return type(config).__module__.split(".")[0]  # "mkdocs", or a fork such as ProperDocs


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_shutdown():
    for builder in _builders.values():
        builder.stop()
    _builders.clear()
    _indexer.stop()


# MkDocs runs the hooks after every plugin: macros.py's on_config has validated the data (or
# failed the build) and named the editions by now.
def on_config(config):
    """Serving, in every edition's process: the theme's own files are remembered from the first
    build on (_remember_theme_files; here, where the engine is known). In the default edition's:
    each other edition's builder, made on the first build, and started on it once the default
    edition's data is valid. On later builds, on_serve has started them already."""
    if not _serving:
        return config
    _remember_theme_files(_engine(config))
    if _is_default(config):
        for edition in config["extra"]["editions"][1:]:
            if edition["lang"] not in _builders:
                _builders[edition["lang"]] = _Builder(_engine(config), edition)
            builder = _builders[edition["lang"]]
            builder.options = {**_edition_options(config, edition),
                               "site_dir": str(builder.scratch / "site")}
            if not builder.busy:
                builder.start()
    return config


def on_serve(server, config, builder):
    """Serving: on each save, the other editions' builders start with the default edition's
    build, rather than once its data has loaded (the slowest step of a large site's rebuild).
    If that data is not valid, its build fails, and what the builders make is not used.

    And an error in a page's macros fails that rebuild, as any error does, rather than the
    server: mkdocs-macros ends the process on one (`on_error_fail`, which `mkdocs build` needs
    to fail), and MkDocs' rebuild loop lets a bare SystemExit through."""
    rebuild = server.builder
    abort = importlib.import_module(f"{_engine(config)}.exceptions").Abort

    def rebuild_every_edition(*args, **kwargs):
        _indexer.stop()
        for other in _builders.values():
            other.start()
        try:
            return rebuild(*args, **kwargs)
        except SystemExit as end:
            if isinstance(end, abort):  # MkDocs' own: the loop reports it and goes on
                raise
            raise abort(f"The build stopped (exit status {end.code}): see the error above") \
                from None

    server.builder = rebuild_every_edition
    # Once the watcher has seen a change, MkDocs waits for the changes to stop for a tenth of a
    # second before it builds. A save's changes reach the server within microseconds of each
    # other, from either watcher: inotify's as they happen (see _hear_saves), MkDocs' polling
    # all of one look's (every half second) one right after another, while changes caught by
    # different looks are half a second apart, which a tenth of a second does not join either.
    # So the wait joins what a hundredth of a second joins, and costs an editor 90 ms more on
    # every save.
    server.build_delay = min(server.build_delay, SAVE_DELAY)
    _hear_saves(server, [config["docs_dir"], config["config_file_path"], *config["theme"].dirs])
    return server


def _hear_saves(server, paths: list[str]) -> None:
    """Serving on Linux: the kernel tells the server of each save (inotify, through watchdog,
    which MkDocs' own watcher comes from), where MkDocs finds a save by listing every file it
    watches every half second. That look costs a save a quarter of a second on average, and
    takes the processor from the build in the server's process (at ×10, about 3,000 data
    files, twice a second). Alternating the code before and after, the median save showed on
    the page 0.3 s sooner at ×1 (2.19 s to 1.88 s) and about 0.7 s sooner at ×10.
    Only changes count: reading a file (as every build does) is not one.

    MkDocs went back to polling because a change made across a virtual file system (Docker on
    a Mac, a network drive) may never reach the kernel that serves (mkdocs/mkdocs#2477): there,
    `SITEDATA_WATCH=poll` keeps MkDocs' watcher, as does any other system than Linux (whose
    watchers are not tested here). Of `paths`, those the engine has watched before this hook
    (its pages, its configuration, and with `--watch-theme` the theme) move to the new
    observer; those it watches after (mkdocs.yml's `watch:`) go to it."""
    if sys.platform != "linux" or os.environ.get(WATCH) == "poll":
        return
    import watchdog.events as events
    from watchdog.observers.inotify import InotifyObserver

    class Changes(InotifyObserver):
        def schedule(self, handler, path, *, recursive=False, **options):
            return super().schedule(handler, path, recursive=recursive, **options, event_filter=[
                events.FileCreatedEvent, events.FileModifiedEvent, events.FileAttribEvent,
                events.FileDeletedEvent, events.FileMovedEvent])

    watched = []
    for path in dict.fromkeys(paths):
        with contextlib.suppress(KeyError):  # the engine's way of saying it does not watch it
            server.unwatch(path)
            watched.append(path)
    server.observer = Changes()
    for path in watched:
        server.watch(path)


def on_files(files, config):
    structure = importlib.import_module(f"{_engine(config)}.structure.files")
    for src_uri, markdown in config.get(GENERATED, {}).items():
        files.append(structure.File.generated(
            config, src_uri, content=markdown, inclusion=structure.InclusionLevel.NOT_IN_NAV))
    return files


def on_post_build(config):
    """The default edition's build is done (macros.py has written its API and fixed its pages):
    the other editions, in their folders."""
    if not _is_default(config):
        return
    site_dir = Path(config["site_dir"])
    for edition in config["extra"]["editions"][1:]:
        if _serving:
            _builders[edition["lang"]].finish(site_dir / edition["root"])
        else:
            _build_edition(_engine(config), edition, _edition_options(config, edition),
                          data=config[HANDED])
    if _serving:  # the page shows the save at once; its words are searchable a moment later
        _indexer.start(site_dir)
    else:
        _indexer.run(site_dir, importlib.import_module(f"{_engine(config)}.exceptions"))


def on_page_markdown(markdown, page, config, files):
    """Every page is left out of Material's search index (see the top of this file)."""
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown


def _is_default(config) -> bool:
    editions = config["extra"].get("editions")
    return bool(editions) and config["extra"]["edition"] == editions[0]["lang"]


def _edition_options(config, edition: dict) -> dict:
    """How to build `edition` beside this build: its configuration file, and this build's site
    (the edition's folder in it), address and strictness."""
    site_url = (config["site_url"] or "").rstrip("/")
    return {"config_file": str(Path(config["config_file_path"]).parent
                               / f"mkdocs.{edition['lang']}.yml"),
            "site_dir": str(Path(config["site_dir"]) / edition["root"]),
            "site_url": f"{site_url}/{edition['root']}" if site_url else "",
            "strict": config["strict"] or None}


def _build_edition(engine: str, edition: dict, options: dict, data=None,
                  command: str = "build") -> None:
    """Build another edition as `mkdocs build` would, in this process, with `engine` (MkDocs
    or a fork such as ProperDocs) and `data` if the caller has validated it; raise the engine's
    PluginError if it fails."""
    load_config = importlib.import_module(f"{engine}.config").load_config
    build = importlib.import_module(f"{engine}.commands.build").build
    exceptions = importlib.import_module(f"{engine}.exceptions")
    failed = _failed(edition)
    log.info("Building the %s edition (%s) into %s", edition["name"], edition["lang"],
             options["site_dir"])
    try:
        other = load_config(**options)
        if data is not None:
            other[HANDED] = data
        other.plugins.on_startup(command=command, dirty=False)
        try:
            build(other)
        finally:
            other.plugins.on_shutdown()
    except (exceptions.Abort, exceptions.BuildError) as err:
        raise exceptions.PluginError(f"{failed}: {err}") from None
    except Exception:
        log.error(failed)
        raise


class _Indexer:
    """Pagefind, run over the built site (every edition's pages) into its `pagefind/` folder.
    Its settings are here, in one place: the text indexed is each page's article (Material's
    `article.md-content__inner`: not its navigation, header or footer), without Material's
    section marks (¶) or the citation marks ([1]); what else our templates leave out carries
    `data-pagefind-ignore`."""

    ARGS = ("--root-selector", "article.md-content__inner",
            "--exclude-selectors", ".headerlink, .ij-cite",  # ¶, and citation marks ([1])
            "--silent")
    # What the search worker loads; Pagefind also writes its own search interfaces, not used.
    ENTRY = "pagefind-entry.json"  # its list of languages, each with its index's file name
    USED = ("pagefind.js", ENTRY, "wasm.*", "*.pf_meta", "index", "fragment", "filter")

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.thread: threading.Thread | None = None

    def run(self, site_dir: Path, exceptions=None) -> None:
        """Index the built site, then tidy what Pagefind wrote. If Pagefind fails: raise the
        engine's PluginError (`exceptions`, building) with Pagefind's own words, or say them
        (serving, where the site is served without search until the next save)."""
        self.process = process = subprocess.Popen(
            [sys.executable, "-m", "pagefind", "--site", str(site_dir), *self.ARGS],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, encoding="utf-8", errors="replace")
        said = "\n".join(dict.fromkeys(process.communicate()[0].strip().splitlines()))  # once
        if process.returncode < 0:  # stopped: a new build has begun
            return
        if process.returncode != 0:
            message = (f"Pagefind could not index the site in {site_dir} "
                       f"(exit status {process.returncode}): {said}")
            if exceptions is None:
                log.error(message)
                return
            raise exceptions.PluginError(message)
        self.tidy(site_dir / "pagefind")

    def tidy(self, bundle: Path) -> None:
        """Remove what Pagefind writes that the site does not use, and write its list of
        languages in order: Pagefind writes it in an order that changes from run to run, which
        two builds of one commit must not (issue 14, item 2)."""
        used = {path for pattern in self.USED for path in bundle.glob(pattern)}
        for path in bundle.iterdir():
            if path not in used:
                path.unlink()
        entry = json.loads((bundle / self.ENTRY).read_text(encoding="utf-8"))
        entry["languages"] = dict(sorted(entry["languages"].items()))
        (bundle / self.ENTRY).write_text(json.dumps(entry, ensure_ascii=False,
                                                    separators=(",", ":")), encoding="utf-8")

    def start(self, site_dir: Path) -> None:
        """Serving: index in the background, so that the page shows a save without waiting for
        it. The next rebuild stops it (on_serve), since it empties the site's folder."""
        self.stop()
        self.thread = threading.Thread(target=self.run, args=(site_dir,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread:
            while self.thread.is_alive():
                if self.process and self.process.poll() is None:
                    self.process.terminate()
                self.thread.join(timeout=0.1)
        self.thread = self.process = None


_indexer = _Indexer()


def _failed(edition: dict) -> str:
    return f"The {edition['name']} edition ({edition['lang']}) failed to build"


class _Builder:
    """While serving: a process that builds one other edition whenever the default edition's
    build asks, kept for the whole session so that, like the default one, it validates again
    only the data files that changed and keeps its compiled templates. It builds into a folder
    of its own (the default build empties the site's folder when it starts), from which
    finish() moves the pages into the site. Requests and answers are one JSON line each, on the
    process's stdin and a copy of its stdout (see _serve_builds). Its log goes to stderr with
    the default build's, but for its errors, which its answer carries: they are shown only if
    the default build, which reports the same data, has not failed first."""

    def __init__(self, engine: str, edition: dict):
        self.engine = engine
        self.edition = edition
        self.scratch = Path(tempfile.mkdtemp(prefix=f"sitedata-{edition['lang']}-"))
        self.options: dict = {}  # how to build it (see on_config)
        self.busy = False
        self._spawn()

    def _spawn(self) -> None:
        level = logging.getLogger("mkdocs").getEffectiveLevel()
        self.process = subprocess.Popen([sys.executable, __file__, self.engine, str(level)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8")

    def start(self) -> None:
        if self.busy:  # a build that failed before it used this one's: drop what it made
            self._answer()
        if self.process.poll() is not None:  # it stopped (see _answer): a new one
            self._spawn()
        self.process.stdin.write(json.dumps({"edition": self.edition,
                                             "options": self.options}) + "\n")
        self.process.stdin.flush()
        self.busy = True

    def finish(self, target: Path) -> None:
        error = self._answer()
        if error:
            exceptions = importlib.import_module(f"{self.engine}.exceptions")
            raise exceptions.PluginError(error)
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(self.scratch / "site", target)

    def _answer(self) -> str | None:
        self.busy = False
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            return (f"The {self.edition['name']} edition's builder stopped "
                    f"(exit status {self.process.returncode})")
        return json.loads(line)["error"]

    def stop(self) -> None:
        self.process.stdin.close()  # the builder ends when its input does
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.scratch, ignore_errors=True)


class _Errors(logging.Handler):
    """A builder's log records of errors, kept for its answer."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _serve_builds(engine: str, level: int) -> None:
    """The builder process: one build of the edition asked for on each line of stdin, one
    answer on the stdout it was given (anything else written to stdout goes to stderr)."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    shown = logging.StreamHandler(sys.stderr)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    shown.addFilter(lambda record: record.levelno < logging.ERROR)
    errors = _Errors()
    logger = logging.getLogger("mkdocs")
    logger.setLevel(level)
    logger.addHandler(shown)
    logger.addHandler(errors)
    # The engine as its command line loads it: ProperDocs, for one, then answers for `mkdocs`.
    importlib.import_module(f"{engine}.__main__")
    exceptions = importlib.import_module(f"{engine}.exceptions")
    request = None
    for line in sys.stdin:
        request = json.loads(line)
        errors.messages.clear()
        try:
            _build_edition(engine, request["edition"], request["options"], command="serve")
            error = None
        except exceptions.PluginError as err:
            error = "\n".join([*errors.messages, str(err)])
        except Exception:  # an error in the code: its traceback, as the default build shows one
            error = "\n".join([*errors.messages, traceback.format_exc()])
        except SystemExit as end:  # mkdocs-macros ends the process on a page's error (shown)
            error = "\n".join([*errors.messages,
                                f"{_failed(request['edition'])} (exit status {end.code})"])
        answers.write(json.dumps({"error": error}) + "\n")
        answers.flush()
    if request:  # its input has ended (the server stopped, however): so does its folder
        shutil.rmtree(Path(request["options"]["site_dir"]).parent, ignore_errors=True)


def _remember_theme_files(engine: str) -> None:
    """While serving, MkDocs lists every file of the theme on every build to find the theme's
    own files to copy: Material's 14,500 (most of them its icons), to find the same 79, about
    0.13 s of each process's every rebuild. This process keeps what that found (the paths, in
    the theme folders' order, and the folder of each) while the theme's folders and the names
    of the files in the project's own (overrides/) stay the same: the installed theme's do not
    change while it serves. The pages' files are looked at again on every build, since a page's
    file of the same path is copied rather than the theme's. Written here because neither
    MkDocs nor Material has such a setting."""
    structure = importlib.import_module(f"{engine}.structure.files")
    if getattr(structure.Files.add_files_from_theme, "remembers", False):
        return
    find = structure.Files.add_files_from_theme
    found: dict[tuple, list[tuple[str, str]]] = {}  # theme: (path, folder) of each file

    def add_files_from_theme(self, env, config):
        theme = config.theme
        own = sorted(str(path.relative_to(theme.custom_dir))
                     for path in Path(theme.custom_dir).rglob("*")) if theme.custom_dir else []
        key = (tuple(theme.dirs), tuple(sorted(theme.static_templates)), tuple(own))
        if key not in found:
            every = structure.Files([])
            find(every, env, config)
            found[key] = [(file.src_uri, file.src_dir) for file in every]
        for path, folder in found[key]:
            if self.get_file_from_path(path) is None:
                self.append(structure.File(path, folder, config.site_dir,
                                           config.use_directory_urls))

    add_files_from_theme.remembers = True
    structure.Files.add_files_from_theme = add_files_from_theme


if __name__ == "__main__":  # a builder process (_Builder)
    _serve_builds(sys.argv[1], int(sys.argv[2]))
