"""`newsdesk backup` and `newsdesk restore` give back exactly the rows that were there."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from newsdesk.articles.models import Article, Tag
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment, DiscussionSettings
from newsdesk.ingest.models import SourceSettings
from newsdesk.site.backup import BackupError, backup_database, backup_kind, restore_database

pytestmark = pytest.mark.django_db(transaction=True)


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row of every table, independent of row order."""
    fingerprints = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            fingerprints[table] = (len(rows), digest)
    return fingerprints


def seed_site() -> None:
    editors = Group.objects.create(name="editors")
    reader = User.objects.create_user("reader", "reader@example.org", "a long passphrase 1")
    editor = User.objects.create_user("editor", "editor@example.org", "a long passphrase 2")
    editor.groups.add(editors)
    User.objects.create_superuser("admin", "admin@example.org", "a long passphrase 3")
    source = SourceFactory(name="Backup Wire")
    SourceSettings.objects.create(source=source, default_status="draft")
    articles = [
        ArticleFactory(source=source, tag_names=["Backups", f"Topic {n}"]) for n in range(3)
    ]
    DiscussionSettings.objects.create(article=articles[0], closed=True)
    for n, article in enumerate(articles):
        first = Comment.objects.create(
            article=article,
            author=reader,
            body=f"Comment {n} — *ünïcode*",
            body_html=render_comment(f"Comment {n} — *ünïcode*"),
            ip_address="203.0.113.9",
        )
        Comment.objects.create(
            article=article,
            parent=first,
            guest_name="Guest",
            guest_email="g@example.org",
            body="A reply",
            body_html=render_comment("A reply"),
            status="pending",
        )


def mutate_site() -> None:
    Comment.objects.filter(parent__isnull=False).delete()
    Article.objects.filter(pk=Article.objects.first().pk).update(headline="Changed after backup")
    ArticleFactory(headline="Written after the backup")
    Tag.objects.filter(name="Backups").update(name="Renamed tag")
    User.objects.filter(username="reader").update(email="changed@example.org", password="x")
    Group.objects.all().delete()
    DiscussionSettings.objects.update(closed=False)
    SourceSettings.objects.all().delete()


def test_restore_gives_back_exactly_the_rows_of_the_backup(tmp_path):
    seed_site()
    before = table_fingerprints()
    backup = tmp_path / "site.backup"

    call_command("backup", str(backup))
    assert backup_kind(backup) == connection.vendor
    mutate_site()
    assert table_fingerprints() != before

    call_command("restore", str(backup), "--noinput")

    after = table_fingerprints()
    assert after == before
    assert Article.objects.filter(headline="Written after the backup").count() == 0
    assert User.objects.get(username="reader").check_password("a long passphrase 1")


def test_restore_empties_the_page_cache(tmp_path):
    seed_site()
    backup = backup_database(tmp_path / "site.backup")
    cache.set("a-cached-page", "rendered before the restore")

    restore_database(backup)

    assert cache.get("a-cached-page") is None


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    seed_site()
    before = table_fingerprints()
    junk = tmp_path / "notes.txt"
    junk.write_text("this is not a database")

    with pytest.raises(CommandError, match="backup"):
        call_command("restore", str(junk), "--noinput")
    with pytest.raises(BackupError, match="no such backup"):
        restore_database(tmp_path / "missing.backup")

    assert table_fingerprints() == before


def test_backup_file_is_readable_by_its_owner_only(tmp_path):
    backup = backup_database(tmp_path / "site.backup")
    assert backup.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite online backup API")
def test_sqlite_backup_of_a_serving_database_is_consistent_while_writers_write(tmp_path):
    """The command on a file database while another process keeps writing to it."""
    database = tmp_path / "live.sqlite3"
    live = sqlite3.connect(database, timeout=20, check_same_thread=False)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute(
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)"
    )
    live.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, debit INTEGER, credit INTEGER)")
    live.execute("CREATE TABLE ledger_total (total INTEGER)")
    live.execute("INSERT INTO ledger_total VALUES (0)")
    live.executemany("INSERT INTO ledger (debit, credit) VALUES (?, ?)", [(1, 1)] * 20000)
    live.execute("UPDATE ledger_total SET total = 20000")
    live.commit()
    stop = threading.Event()

    def writer():
        # Every transaction keeps the invariant "ledger rows == total", so a torn copy shows.
        while not stop.is_set():
            with live:
                live.execute("INSERT INTO ledger (debit, credit) VALUES (2, 2)")
                live.execute("UPDATE ledger_total SET total = total + 1")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
            "NEWSDESK_VAR_DIR": str(tmp_path / "var"),
        }
        environment.pop("REDIS_URL", None)
        completed = subprocess.run(
            [sys.executable, "-m", "newsdesk", "backup", str(tmp_path / "copy.sqlite3")],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        stop.set()
        thread.join()
        live.close()
    assert completed.returncode == 0, completed.stderr
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = copy.execute("SELECT count(*) FROM ledger").fetchone()[0]
    assert rows >= 20000
    assert copy.execute("SELECT total FROM ledger_total").fetchone()[0] == rows


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite file backup")
def test_restore_refuses_a_damaged_sqlite_backup(tmp_path):
    seed_site()
    before = table_fingerprints()
    backup = backup_database(tmp_path / "site.backup")
    data = backup.read_bytes()
    # Page 1 (the schema) stays, every table page after it is garbage.
    Path(backup).write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))

    with pytest.raises(BackupError):
        restore_database(backup)

    assert table_fingerprints() == before
