"""Real-browser fixtures: Playwright's sync API driving the system's chromium.

Playwright cannot download its own browsers here, so the Debian package's binary is launched
(CHROMIUM_PATH overrides where it is). One browser serves the whole session; every test gets a
fresh context (cookies, viewport) and page. Requests to any host but the live server are refused
and recorded, so a page that reaches for a CDN fails its test.

While Playwright runs, its event loop counts as running in the test thread, and Django refuses
ORM calls from an async context. So the browser tests run last in the session, and
DJANGO_ALLOW_ASYNC_UNSAFE is set only from the browser's launch to the end of the session (not
for the whole run: subprocesses, e.g. `check --deploy`, would inherit it).
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return path if os.access(path, os.X_OK) else shutil.which("chromium")


def pytest_collection_modifyitems(items):
    """Browser tests run after all others (a stable sort: the order is otherwise kept)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        pytest.skip("no chromium binary (apt-get install chromium, or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """What went wrong while a page was open: console errors, script errors, outside requests."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside_requests: list[str] = []

    def __bool__(self):
        return bool(self.console_errors or self.page_errors or self.outside_requests)

    def __repr__(self):
        return (
            f"console errors: {self.console_errors}; script errors: {self.page_errors}; "
            f"requests outside the site: {self.outside_requests}"
        )


def _open_context(browser, live_server, problems: PageProblems, **options):
    context = browser.new_context(locale="en-US", **options)
    context.set_default_timeout(10_000)
    own_host = urlsplit(live_server.url).netloc

    def only_the_site(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            problems.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    return context


def _track(page, problems: PageProblems):
    page.on(
        "console",
        lambda message: (
            problems.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    return page


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def page(browser, live_server, page_problems):
    """A desktop-sized page; `page_problems` collects what went wrong on it."""
    context = _open_context(browser, live_server, page_problems, viewport=DESKTOP)
    yield _track(context.new_page(), page_problems)
    context.close()


@pytest.fixture
def phone_page(browser, live_server, page_problems):
    """A phone-sized page (390×844, touch)."""
    context = _open_context(
        browser, live_server, page_problems, viewport=PHONE, is_mobile=True, has_touch=True
    )
    yield _track(context.new_page(), page_problems)
    context.close()
