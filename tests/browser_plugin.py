"""The one Chromium of the test session: Playwright for Python driving Debian's Chromium.

Loaded by the root conftest.py (``pytest_plugins``), so tests/browser, tests/security and
tests/a11y all get the same session-scoped ``browser`` and a fresh ``page`` per test. A
thread can run only one synchronous Playwright at a time, which is why there is one
fixture for the whole repository and not one per folder.

Without Chromium or Playwright the tests that ask for a browser skip with a message saying
what is missing, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(os.environ.get("NEWSDESK_SCREENSHOT_DIR", "var/screenshots"))


def missing(reason: str):
    """Skip the test for a missing tool, or fail it under CI, where nothing may skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI requires the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install playwright)")
    executable = chromium_path()
    if executable is None:
        missing("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread from here on; the ORM calls
    # the tests make around it are still synchronous, so Django's async-safety check
    # would misfire.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
