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


@pytest.mark.django_db
def test_postgresql_prepares_a_statement_it_runs_again_and_again(monkeypatch):
    """Server-side binding with a prepare threshold: the statement every post runs is
    parsed and planned once per connection, not on every post."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from newsdesk.site.settings import database_from_url

    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    marker = "SELECT %s::int AS newsdesk_prepare_probe"
    with connection.cursor() as cursor:
        for value in range(6):
            cursor.execute(marker, [value])
            assert cursor.fetchone()[0] == value
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%newsdesk_prepare_probe%"],
        )
        assert cursor.fetchone()[0] == 1
    url = "postgres://newsdesk@db.example:5432/newsdesk"
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] == 5
    monkeypatch.setenv("NEWSDESK_DB_PREPARED_STATEMENTS", "0")
    assert "server_side_binding" not in database_from_url(url).get("OPTIONS", {})
