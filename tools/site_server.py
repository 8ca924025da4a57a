"""The built site served on loopback as GitHub Pages serves it, and how to start Chromium.

Shared by the browser tests and `make audit`: the site is served under the path of `site_url`
(e.g. /site/), and unknown paths get 404.html with status 404, so absolute links and the 404
page behave as they will when published.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def site_path() -> str:
    """The path part of site_url in mkdocs.yml, e.g. /site/."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    url = re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]', text, re.M).group(1)
    return urlsplit(url).path or "/"


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    # Connections kept open between requests, as GitHub Pages keeps them (the standard library's
    # default, HTTP/1.0, closes each one after a single response). Lighthouse models the network
    # from the connections it sees: with one per request, a page paid a new connection for each of
    # its stylesheets and scripts, which readers of the published site never pay. Every response
    # here says its length, as HTTP/1.1 then requires.
    protocol_version = "HTTP/1.1"
    prefix = "/"
    _gzipped: dict[str, bytes] = {}

    def do_GET(self) -> None:
        """Text files gzip-compressed when the browser accepts it, as GitHub Pages sends them
        (page weights and Lighthouse then measure what readers really download)."""
        path = Path(self.translate_path(self.path.split("?", 1)[0].split("#", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSED):
            return super().do_GET()
        key = str(path)
        if key not in self._gzipped:
            self._gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=6)
        body = self._gzipped[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # quiet
        pass


@contextlib.contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve site_dir on a free loopback port; yield the site's root URL."""
    prefix = site_path()
    handler = functools.partial(type("Handler", (PagesHandler,), {"prefix": prefix}),
                                directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# The rules whose verdict depends on the colours, the only ones a second scheme can change, and
# nine tenths of axe's time on a long page (each text is measured against what lies under it).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# Items of lists past the fifth: written by the same template as the first five.
LONG_LIST_TAIL = "li:nth-child(n+6), dl > div:nth-child(n+6), tr:nth-child(n+6)"
# Material's frame (header, tabs, navigation, footer), the same template on every page.
FRAME = ".md-header, .md-tabs, .md-sidebar--primary, .md-footer"


# Long lists and tables are laid out only when they come near the screen (content-visibility:
# auto, in extra.css). axe finds a text's background by what is painted where the text is, and
# for a row not yet laid out that is whatever else is there (Material's dark footer): it reported
# black on #212121 for rows a reader would see black on white. So every item is laid out before
# axe runs, as a reader's scrolling would lay it out; the colours themselves are not touched.
LAY_OUT_ALL = """() => {
  if (document.getElementById("ij-lay-out-all")) return;
  const style = document.createElement("style");
  style.id = "ij-lay-out-all";
  style.textContent = "* { content-visibility: visible !important; }";
  document.head.append(style);
}"""


def run_axe(page, rules: list[str] | None = None, skip: list[str] = (), sample: bool = False,
            frame: bool = True, lay_out: bool = True, only: str | None = None) -> list[dict]:
    """axe-core's violations on an open Playwright page (rule id, impact, first targets): every
    rule of AXE_TAGS but `skip`, or only `rules`; with `sample`, leaving out the tails of lists
    and, unless `frame`, Material's frame; with `only` (a CSS selector), in those elements
    alone. Long lists are laid out whole first, unless not `lay_out` (as Lighthouse's axe sees
    a page on load). Only violations are worked out in full (resultTypes), which saves most of
    the rest."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    if lay_out:
        page.evaluate(LAY_OUT_ALL)
    options = {"runOnly": {"type": "rule", "values": rules} if rules else
               {"type": "tag", "values": AXE_TAGS},
               "rules": {rule: {"enabled": False} for rule in skip},
               "resultTypes": ["violations"]}
    left_out = ", ".join([LONG_LIST_TAIL] + ([] if frame else [FRAME]))
    context = {"exclude": [[left_out]]} if sample else {"include": [[only]]} if only else None
    result = page.evaluate("([context, options]) => axe.run(context || document, options)",
                           [context, options])
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]
