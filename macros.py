"""MkDocs-macros entry point: the thin glue between MkDocs and the `sitedata` package.

Loads and validates the data once per build (in `define_env`, before any page is read), turns
data errors into one clean build failure, registers the page macros, and writes the JSON API and
feeds after the build, then fixes Material's few invalid attributes. All logic lives in sitedata/.

Each edition is one MkDocs build: the default one (English, `mkdocs.yml`) at the site's root,
each other one from `mkdocs.<edition>.yml` into `<edition>/` under it, built by hooks.py when
the default one has finished (so `mkdocs build` and `mkdocs serve` make the whole site), handed
the data this build validated (`HANDED`): the data is validated once per build. (While serving,
hooks.py builds each other edition at the same time, in a process that validates it too.) Across
the builds of one process (`mkdocs serve` builds again on every save), a file whose bytes are
unchanged is not validated again (see sitedata.pipeline.Memo), and compiled templates are kept
(sitedata.render.CompiledTemplates).

Every build of one commit writes the same bytes: nothing here reads the wall clock. The build is
dated by the commit (or SOURCE_DATE_EPOCH; see sitedata/clock.py), and MkDocs is handed the same
time through SOURCE_DATE_EPOCH for what it dates itself (the sitemap's lastmod and the gzip
header of sitemap.xml.gz).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# mkdocs-macros loads this file by path (again on each build) without putting its folder on
# sys.path; the data package sits beside it.
_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))


def _code_stamp() -> tuple:
    return tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size)
                 for path in sorted((_HERE / "sitedata").glob("*.py")))


# The data package is imported once per process, this file on every build: when the package's
# code has changed since (an edit while `mkdocs serve` runs), it is imported anew, and with it
# go the verdicts and compiled templates kept for the process.
_STAMP = _code_stamp()
if getattr(sys.modules.get("sitedata"), "CODE_STAMP", _STAMP) != _STAMP:
    for _name in [name for name in sys.modules if name.split(".")[0] == "sitedata"]:
        del sys.modules[_name]

import sitedata  # noqa: E402
from sitedata import DataError  # noqa: E402
from sitedata.clock import ClockError  # noqa: E402
from sitedata.export import write_all  # noqa: E402
from sitedata.pipeline import PROCESS_MEMO, SiteData, load_data  # noqa: E402
from sitedata.render import THEME_TEMPLATES  # noqa: E402
from sitedata.theme_fixes import fix_site  # noqa: E402
from sitedata.views import Views  # noqa: E402
from sitedata.visuals import ATLAS  # noqa: E402

sitedata.CODE_STAMP = _STAMP

_views: Views | None = None
log = logging.getLogger("mkdocs.plugins.sitedata")

# The key under which the default edition's build hands its data to the others' builds (hooks.py).
HANDED = "_sitedata"
# The key under which each build hands hooks.py the pages its data adds to docs/.
GENERATED = "_sitedata_pages"

EPOCH = "SOURCE_DATE_EPOCH"
# The SOURCE_DATE_EPOCH this module set from the commit, so that the next build in the same
# process (mkdocs serve) reads the commit again rather than taking it for one a user set.
EPOCH_FROM_COMMIT = "SITEDATA_EPOCH_FROM_COMMIT"


def _commit(root: Path) -> str:
    sha = os.environ.get("GITHUB_SHA", "")
    if not sha:
        try:
            sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                 text=True, check=False, timeout=10).stdout.strip()
        except OSError:
            sha = ""
    return sha


def define_env(env) -> None:
    global _views
    root = Path(env.project_dir)
    config = env.conf
    data: SiteData | None = config.get(HANDED)  # another edition's, made by the default's build
    if data is None:
        if os.environ.get(EPOCH_FROM_COMMIT) and \
                os.environ.get(EPOCH) == os.environ.get(EPOCH_FROM_COMMIT):
            del os.environ[EPOCH]  # set by the previous build in this process, not by a user
        try:
            data = load_data(root, memo=PROCESS_MEMO)
        except DataError as err:
            raise PluginError("Data errors:\n" + err.report.format()) from None
        except ClockError as err:  # a SOURCE_DATE_EPOCH that is not a number of seconds
            raise PluginError(str(err)) from None
        log.info("The build is %s", data.built.describe())
    try:
        site = data.site(config["extra"].get("edition", ""))
    except DataError as err:
        raise PluginError("Data errors:\n" + err.report.format()) from None
    config[HANDED] = data
    _date_mkdocs(site.built.epoch, site.built.source)
    if not (root / ATLAS).is_file():
        raise PluginError(f"{ATLAS} is missing: run 'make install' (it runs npm ci) first")
    _keep_compiled(config["theme"])
    _views = Views(site, config["repo_url"] or "", root=root)
    # Each page's HTML blocks go into its Markdown as they are, unparsed (sitedata.render).
    config["markdown_extensions"].append(_views.renderer.block_stash())
    for name, function in _views.macros().items():
        env.macro(function, name)
    config[GENERATED] = _views.generated_pages()
    commit = _commit(root)
    config["extra"]["build"] = {
        "date": site.today.isoformat(),
        "date_text": site.catalog.date(site.today.isoformat()),
        "commit": commit,
        "commit_url": f"{config['repo_url']}/tree/{commit}" if commit else "",
    }
    # The theme's templates (overrides/) write the interface's words through t(), in this
    # edition's language; and name every edition, for the language switch and hreflang links:
    # its folder (`root`) and the way from there back to the site's root (`up`), worked out here
    # so that the templates use filters only, which Zensical's template engine also has.
    config["extra"]["t"] = site.catalog.gettext
    config["extra"]["edition"] = site.catalog.edition
    config["extra"]["editions"] = [
        {"lang": value.value, "name": value.native, "locale": value.locale, "root": root,
         "up": "../" * root.count("/"),
         "not_found": site.catalogs.get(value.value, site.catalog).gettext("Page not found")}
        for i, value in enumerate(site.vocabulary.edition.values())
        for root in ["" if i == 0 else f"{value.value}/"]]


def _date_mkdocs(epoch: int, source: str) -> None:
    """MkDocs dates each page in the sitemap (lastmod) and the gzip header of sitemap.xml.gz
    from SOURCE_DATE_EPOCH, or else from the clock: give it the build's time (from here on, in
    this process and the other editions' builds)."""
    if source != EPOCH:
        os.environ[EPOCH] = os.environ[EPOCH_FROM_COMMIT] = str(epoch)


def _keep_compiled(theme) -> None:
    """The theme's templates are compiled once per process, not once per build and edition:
    the Jinja environment MkDocs makes for each build gets a cache of compiled templates that
    outlives it (Jinja checks each template's source against it, so an edited template is
    compiled again)."""
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = THEME_TEMPLATES
        return env

    theme.get_env = get_env


def on_pre_page_macros(env) -> None:
    _views.start_page(env.page.file.src_uri, env.markdown)


def on_post_page_macros(env) -> None:
    # A blank line first: what follows (references, abbreviations) must start a block of its own.
    env.markdown = env.markdown.rstrip("\n") + "\n\n" + _views.end_page()


def on_post_build(env) -> None:
    config = env.conf
    site_dir = Path(config["site_dir"])
    write_all(_views.site, site_dir, config["site_url"] or "/", _views.site.built.iso,
              api=config["extra"]["edition"] == config["extra"]["editions"][0]["lang"])
    fix_site(site_dir)  # then hooks.py builds the other editions, each of which fixes its own
