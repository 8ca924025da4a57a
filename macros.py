"""MkDocs-macros entry point: the thin glue between MkDocs and the `sitedata` package.

Loads and validates the data once per build (in `define_env`, before any page is read), turns
data errors into one clean build failure, registers the page macros, and writes the JSON API and
feeds after the build, then fixes Material's few invalid attributes. All logic lives in sitedata/.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# mkdocs-macros loads this file by path without putting its folder on sys.path; the data package
# sits beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitedata import DataError, load_site  # noqa: E402
from sitedata.export import write_all  # noqa: E402
from sitedata.theme_fixes import fix_site  # noqa: E402
from sitedata.views import Views  # noqa: E402
from sitedata.visuals import ATLAS  # noqa: E402

_views: Views | None = None


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
    try:
        site = load_site(root)
    except DataError as err:
        raise PluginError("Data errors:\n" + err.report.format()) from None
    if not (root / ATLAS).is_file():
        raise PluginError(f"{ATLAS} is missing: run 'make install' (it runs npm ci) first")
    config = env.conf
    _views = Views(site, config["repo_url"] or "", root=root)
    for name, function in _views.macros().items():
        env.macro(function, name)
    commit = _commit(root)
    config["extra"]["build"] = {
        "date": site.today.isoformat(),
        "commit": commit,
        "commit_url": f"{config['repo_url']}/tree/{commit}" if commit else "",
    }


def on_pre_page_macros(env) -> None:
    _views.start_page(env.page.file.src_uri, env.markdown)


def on_post_page_macros(env) -> None:
    env.markdown += _views.end_page()


def on_post_build(env) -> None:
    config = env.conf
    generated_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    write_all(_views.site, Path(config["site_dir"]), config["site_url"] or "/",
              generated_at.isoformat().replace("+00:00", "Z"))
    fix_site(Path(config["site_dir"]))
