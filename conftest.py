"""Fixtures for every test in the repository."""

import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages and rate-limit counters are per test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
