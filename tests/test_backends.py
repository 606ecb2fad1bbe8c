"""CI runs the suite twice; these make sure the second run really is on PostgreSQL + Redis."""

import os

import pytest
from django.core.cache import caches
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_one_this_run_expects():
    expected = os.environ.get("NEWSDESK_EXPECT_DATABASE", "sqlite")
    assert connection.vendor == expected


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_writes():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_cache_is_the_one_this_run_expects():
    expected = os.environ.get("NEWSDESK_EXPECT_CACHE", "locmem")
    cache = caches["default"]
    assert expected in type(cache).__module__
    cache.set("newsdesk-probe", "ok", 5)
    assert cache.get("newsdesk-probe") == "ok"
