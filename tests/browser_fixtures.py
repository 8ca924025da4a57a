"""Browser fixtures: the built site served on loopback, and Debian's Chromium under Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.site_server import CHROMIUM, CHROMIUM_ARGS, COLOUR_RULES, run_axe, serve

__all__ = ["COLOUR_RULES", "run_axe"]  # for the browser tests


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
