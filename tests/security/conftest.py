"""Fixtures of the security suites: the seeded site. The browser is the session's one
Chromium, from tests/browser_plugin.py (loaded by the root conftest.py)."""

import pytest
from siteworld import build_world


@pytest.fixture
def world(db):
    return build_world()
