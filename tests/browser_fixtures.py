"""Browser fixtures: the built site served on loopback, and Debian's Chromium under Playwright."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools.site_server import AXE, CHROMIUM, CHROMIUM_ARGS, COLOUR_RULES, run_axe, serve

__all__ = ["COLOUR_RULES", "run_axe"]  # for the browser tests

FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True  # the shared tab is not reused after this test
    return report


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site on http://127.0.0.1:<free port>/<site path>/ for the whole session."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make test', which installs Debian's chromium, "
                    "or 'sudo apt-get install -y chromium'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class Tab:
    """One page that records, from when it is opened, the console errors and script errors it
    logs and the requests it makes to other hosts (refused), in `seen`; axe-core is in every
    document it opens (run_axe would add it to each page after loading it: here it is sent to
    Chromium once, not with every page, and compiled once)."""

    VIEWPORT = {"width": 1280, "height": 720}  # a new context's

    def __init__(self, browser, origin: str):
        self.origin = origin
        self.context = browser.new_context()
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.seen = {"errors": [], "offsite": []}
        self.page.on("console", lambda m: self.seen["errors"].append(m.text)
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.seen["errors"].append(str(e)))
        self.page.route("**/*", self._guard)

    def _guard(self, route) -> None:
        host = urlsplit(route.request.url).hostname
        if host not in ("127.0.0.1", None):
            self.seen["offsite"].append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def open(self, url: str, wait_until: str, color_scheme: str = "light"):
        """Go to `url` in a tab set up as a new context's (viewport, no stored data) with
        `color_scheme`; return the page and what it records from now on."""
        self.page.set_viewport_size(self.VIEWPORT)
        self.page.emulate_media(media="null", color_scheme=color_scheme)
        self.seen = {"errors": [], "offsite": []}
        self.page.goto(url, wait_until=wait_until)
        return self.page, self.seen

    def forget(self) -> None:
        """Leave the page and delete what the site stored, as closing a context does."""
        self.seen = {"errors": [], "offsite": []}  # nothing after the test counts for it
        if self.page.url.startswith(self.origin + "/"):
            self.page.evaluate("localStorage.clear(); sessionStorage.clear()")
        self.page.goto("about:blank")
        cdp = self.context.new_cdp_session(self.page)
        try:
            cdp.send("Storage.clearDataForOrigin", {"origin": self.origin, "storageTypes": "all"})
        finally:
            cdp.detach()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="session")
def _tabs(browser):
    tabs: list[Tab] = []  # at most one: this worker's shared tab
    yield tabs
    for tab in tabs:
        tab.close()


@pytest.fixture
def tab(browser, site_url, _tabs, request) -> Tab:
    """This worker's shared tab, for tests that load a page and check it (axe-core among others)
    without the mouse, the keyboard or anything they store: a new context's first page starts a
    renderer process and compiles every script cold, a quarter of the processor time of the
    per-page checks. After each test the tab leaves the page and the site's stored data is
    deleted (Tab.forget); after a test that failed, or if that fails, the tab is closed and the
    next test gets a new one."""
    if not _tabs:
        parts = urlsplit(site_url)
        _tabs.append(Tab(browser, f"{parts.scheme}://{parts.netloc}"))
    yield _tabs[0]
    try:
        if request.node.stash.get(FAILED, False):
            raise RuntimeError("the test failed: its tab is not reused")
        _tabs[0].forget()
    except Exception:
        _tabs.pop().close()
