"""Fixtures for every test in the repository."""

import pytest

# One session-scoped Chromium for tests/browser, tests/security and tests/a11y.
pytest_plugins = ["tests.browser_plugin"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages and rate-limit counters are per test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
