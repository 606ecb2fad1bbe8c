"""Tasks left RUNNING by a worker that died (kill -9, OOM killer, power loss) go back to
the queue.

django-tasks-db (0.13) marks a task RUNNING when a worker claims it and has no heartbeat,
lease or stale-task recovery: a task whose worker dies stays RUNNING for ever. So each
`newsdesk worker` names itself after the process it is, and at start-up (and on every
scheduler tick) puts a RUNNING task back to READY only when the worker that claimed it
(the last id in its ``worker_ids``) is demonstrably dead:

- on PostgreSQL every `newsdesk worker` holds, for its whole life, a session advisory lock
  derived from its name on a connection of its own. The server frees that lock when the
  session ends, whatever host the worker ran on, so a free lock is proof of death;
- on SQLite (one file, one host) the name holds the host, the boot, the pid and the
  process start time: a worker of this host is dead when no process with that pid started
  at that time (or the host has rebooted since).

Tasks claimed by anything else (a plain `db_worker`, a worker on another host of a SQLite
site) are left alone: a live worker's task is never run twice on purpose. A task is run
again from its start, so background tasks must be idempotent (the batch import is: its
journal skips the files already imported).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsdesk.site.locks import advisory_lock_key

PREFIX = "nd"


def _host() -> str:
    return socket.gethostname().replace(":", "-")[:24]


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip().replace("-", "")[:8]
    except OSError:
        return "noboot"


def _start_ticks(pid: int) -> str | None:
    """The process's start time (clock ticks after boot), or None if there is no such pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "?"
    return stat.rsplit(")", 1)[1].split()[19]


def worker_name(pid: int | None = None) -> str:
    """This process's worker id: nd:<host>:<boot>:<pid>:<start>, at most 64 characters."""
    pid = pid or os.getpid()
    host = _host()
    return f"{PREFIX}:{host}:{_boot_id()}:{pid}:{_start_ticks(pid) or '?'}"


def hold_liveness_lock(name: str):
    """On PostgreSQL, take the advisory lock that says "worker `name` is alive" on a
    connection of its own (Django's may be closed between tasks); returns that connection,
    to be kept open for the worker's life. None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [advisory_lock_key(name)])
    return raw


def is_dead(name: str) -> bool:
    parts = name.split(":")
    if len(parts) != 5 or parts[0] != PREFIX:
        return False  # not one of ours: we cannot tell
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_lock_key(name)])
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_lock_key(name)])
        return free
    _, host, boot, pid, started = parts
    if host != _host() or not pid.isdigit():
        return False
    if "?" in (started, _start_ticks(os.getpid())) or "noboot" in (boot, _boot_id()):
        return False  # no /proc (not Linux) or unreadable: no proof either way
    if boot != _boot_id():
        return True
    return _start_ticks(int(pid)) != started


def requeue_orphaned_tasks() -> list[str]:
    """Put back to READY the RUNNING tasks whose worker is dead; returns their ids."""
    requeued = []
    for task in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if not task.worker_ids or not is_dead(task.worker_ids[-1]):
            continue
        # Only if nobody claimed it again in the meantime (the claim sets started_at).
        changed = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        ).update(status=TaskResultStatus.READY)
        if changed:
            requeued.append(str(task.pk))
    return requeued
