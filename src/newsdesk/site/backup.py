"""Backing up and restoring the whole database, while the site keeps serving.

SQLite goes through the online backup API (``sqlite3.Connection.backup``): it copies a
consistent snapshot page by page while other connections read and write, and a restore
writes into the live database in one transaction, so readers never see half a database.
PostgreSQL goes through ``pg_dump -Fc`` / ``pg_restore --clean --if-exists`` in a single
transaction. The management commands ``newsdesk backup`` and ``newsdesk restore`` are thin
shells around ``backup_database`` and ``restore_database``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the operator."""


def vendor_of(alias: str = "default") -> str:
    return connections[alias].vendor


def backup_database(target: Path, alias: str = "default") -> Path:
    """Write a backup of the database ``alias`` to ``target`` (replaced atomically)."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a failed backup never leaves a torn file
    # under the name an operator would restore from.
    handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        vendor = vendor_of(alias)
        if vendor == "sqlite":
            _sqlite_backup(partial, alias)
        elif vendor == "postgresql":
            _pg_dump(partial, alias)
        else:
            raise BackupError(f"backups of {vendor} databases are not supported")
        partial.chmod(0o600)  # it holds password hashes and e-mail addresses
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_database(source: Path, alias: str = "default") -> None:
    """Replace the database ``alias`` with the backup in ``source``, then empty the cache."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    vendor = vendor_of(alias)
    kind = backup_kind(source)
    expected = {"sqlite": "sqlite", "postgresql": "postgresql"}.get(vendor)
    if expected is None:
        raise BackupError(f"restoring {vendor} databases is not supported")
    if kind != expected:
        raise BackupError(f"{source} is a {kind} backup, but this site runs on {vendor}")
    if vendor == "sqlite":
        _sqlite_restore(source, alias)
    else:
        _pg_restore(source, alias)
    # Pages are cached under a content version kept in the cache; the restored content
    # would otherwise be hidden behind pages rendered from the database before it.
    cache.clear()


def backup_kind(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    return "unknown"


# --- SQLite ----------------------------------------------------------------------------------


def _raw_sqlite_connection(alias: str) -> sqlite3.Connection:
    """The very connection Django uses: works for files and for shared in-memory test DBs."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("cannot back up or restore inside a transaction")
    return connection.connection


def _sqlite_backup(target: Path, alias: str) -> None:
    source = _raw_sqlite_connection(alias)
    destination = sqlite3.connect(target)
    try:
        # Copying in steps lets the site's writers go on between them; a write during the
        # copy makes SQLite restart it, so the result is one consistent snapshot.
        source.backup(destination, pages=256, sleep=0.005)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        destination.close()
    check_sqlite_file(target)


def check_sqlite_file(path: Path) -> None:
    """A backup is only worth restoring if SQLite itself finds it whole and it is a site."""
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path}: not a readable SQLite database ({error})") from error
    try:
        result = probe.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{path}: integrity check failed: {result}")
        found = probe.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
        ).fetchone()
        if not found:
            raise BackupError(f"{path}: not a newsdesk database (no django_migrations table)")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a readable SQLite database ({error})") from error
    finally:
        probe.close()


def _sqlite_restore(source_path: Path, alias: str) -> None:
    check_sqlite_file(source_path)
    destination = _raw_sqlite_connection(alias)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        # One step (pages=-1): the live database switches from old to new content in a
        # single write transaction, which waits on the busy timeout like any writer.
        source.backup(destination, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(f"restore failed, the database is unchanged: {error}") from error
    finally:
        source.close()
    connections[alias].close()  # drop cached schema state; the next query reconnects


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_arguments(alias: str) -> tuple[list[str], dict[str, str]]:
    settings_dict = connections[alias].settings_dict
    arguments = ["--dbname", settings_dict["NAME"], "--no-password"]
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])  # never on the command line
    return arguments, environment


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def _run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        command, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {completed.stderr.strip()}")


def _pg_dump(target: Path, alias: str) -> None:
    arguments, environment = _pg_arguments(alias)
    _run([_pg_tool("pg_dump"), "--format=custom", "--file", str(target), *arguments], environment)


def _pg_restore(source: Path, alias: str) -> None:
    connections[alias].close()  # our own idle connection must not hold locks on the tables
    arguments, environment = _pg_arguments(alias)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # all or nothing: a failed restore leaves the old data
            *arguments,
            str(source),
        ],
        environment,
    )
