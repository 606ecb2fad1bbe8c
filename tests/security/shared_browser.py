"""One Chromium for the suites outside tests/browser/.

A thread can run only one synchronous Playwright at a time, and tests/browser/conftest.py
keeps its own for the whole session. So this fixture reuses that browser when it is
already running (found among live objects), and otherwise starts one for the test module
and closes it afterwards, leaving the field clear for tests/browser. The clean fix is to
move the browser fixtures into one plugin shared by every folder (see docs/SECURITY.md).
"""

from __future__ import annotations

import gc
import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "newsdesk_browser_conftest", Path(__file__).parent.parent / "browser" / "conftest.py"
)
browser_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_conftest)
missing = browser_conftest.missing


def running_browser():
    from playwright.sync_api import Browser

    for thing in gc.get_objects():
        # type(), not isinstance(): isinstance would evaluate Django's lazy objects.
        if type(thing) is Browser:
            try:
                if thing.is_connected():
                    return thing
            except Exception:  # noqa: BLE001, S112 - a closed browser's objects linger
                continue
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install playwright)")
    executable = browser_conftest.chromium_path()
    if executable is None:
        missing("Chromium is not installed (apt-get install chromium)")
    borrowed = running_browser()
    if borrowed is not None:
        yield borrowed
        return
    try:
        manager = sync_playwright().start()
    except Error:
        pytest.fail("another Playwright is running but no live browser was found", pytrace=False)
    launched = manager.chromium.launch(
        executable_path=executable,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield launched
    launched.close()
    manager.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    yield page
    context.close()
