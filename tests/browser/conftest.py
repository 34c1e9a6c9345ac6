"""Browser tests: Debian's Chromium driven by Playwright's sync API against
pytest-django's live server.

Chromium is Debian's package (/usr/bin/chromium); Playwright never downloads a
browser here. Without it the browser tests skip locally and fail in CI (CI=true).
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from tests.conftest import screenshot_folder

# Playwright's sync API keeps an asyncio event loop in the main thread while a
# browser is open, so Django's ORM (used by the test itself: loading data,
# flushing the database) would raise SynchronousOnlyOperation. The ORM is only
# ever called synchronously from the test thread here, so the check is moot.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PATH = ROOT / "fixtures" / "seed.json"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium is required in CI: install Debian's chromium package"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser (Chromium via Playwright)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("CI") == "true":
            pytest.fail(CHROMIUM_MISSING, pytrace=False)
        pytest.skip(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = screenshot_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def seeded(transactional_db):
    """The seed article with its people and places. fixtures/seed.json may be
    rewritten while we run; a half-written file gets a few retries."""
    for attempt in range(5):
        try:
            call_command("loaddata", FIXTURE_PATH, verbosity=0)
            return
        except Exception:  # a malformed or half-written fixture file
            if attempt == 4:
                raise
            time.sleep(1)


@pytest.fixture(scope="session")
def _server(django_db_setup, live_server):
    """The live server, started after the test database exists (so it is
    stopped before that database is dropped). Chromium keeps connections
    alive, and a server thread waiting on one would keep its database
    connection open past the test run: with CONN_MAX_AGE 0 every request
    closes its own."""
    settings_dict = connections["default"].settings_dict
    max_age = settings_dict.get("CONN_MAX_AGE", 0)
    settings_dict["CONN_MAX_AGE"] = 0
    yield live_server
    settings_dict["CONN_MAX_AGE"] = max_age


@pytest.fixture
def site(_server, seeded):
    """The live server's base URL, with the seed loaded."""
    return _server.url


@pytest.fixture(scope="session")
def _tabs(browser, _server):
    """One browser context and tab per window size, reused across tests:
    opening a context and a tab costs more than loading a page."""
    tabs = {}
    yield tabs
    # Before the server stops: close Chromium's kept-alive connections and let
    # the server threads serving them finish (each closes its database
    # connection, which the server may only do while it still runs).
    for page in tabs.values():
        page.context.close()
    deadline = time.monotonic() + 5
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def open_page(_tabs, browser, site):
    """open_page(path, width=1280, height=844) -> a Playwright page showing
    ``path`` from the live server, checked for a 200 answer."""

    def _open(path: str, width: int = 1280, height: int = 844):
        page = _tabs.get((width, height))
        if page is None or page.is_closed():
            context = browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=1, reduced_motion="reduce"
            )
            context.set_default_timeout(10_000)
            page = _tabs[width, height] = context.new_page()
        response = page.goto(site + path, wait_until="load")
        assert response is not None and response.status == 200, (
            f"GET {path} answered {response.status if response else 'nothing'}"
        )
        return page

    return _open


@pytest.fixture
def fresh_page(browser):
    """fresh_page(width=1280, dark=False, media=None, height=844) -> a page on
    a browser context of its own, closed after the test, so that a colour
    scheme or a login never leaks into other tests' shared tabs."""
    contexts = []

    def _new(width: int = 1280, *, dark: bool = False, media: str | None = None, height: int = 844):
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=1,
            reduced_motion="reduce", color_scheme="dark" if dark else "light",
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        if media:
            page.emulate_media(media=media)
        return page

    yield _new
    for context in contexts:
        context.close()


def goto_ok(page, url: str):
    """``page`` at ``url``, checked for a 200 answer."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (
        f"GET {url} answered {response.status if response else 'nothing'}"
    )
    return page
