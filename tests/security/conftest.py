"""Fixtures of the security suites: the seeded site, and a browser (shared_browser.py)."""

import pytest
from shared_browser import browser, missing, page  # noqa: F401 - fixtures for this folder
from siteworld import build_world


@pytest.fixture
def world(db):
    return build_world()
