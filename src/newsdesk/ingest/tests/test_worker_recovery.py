"""Tasks left RUNNING by a dead worker go back to the queue; a live worker's never do.
(The kill -9 of a real worker mid-import is tests/durability/test_worker_kill9.py.)"""

import subprocess
import sys

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsdesk.ingest.recovery import (
    hold_liveness_lock,
    is_dead,
    requeue_orphaned_tasks,
    worker_name,
)


def dead_worker_name() -> str:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    name = worker_name(process.pid)
    process.wait()
    return name


def running_task(worker: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [["/tmp/batch"]], "kwargs": {}},
        task_path="newsdesk.ingest.tasks.import_batch_task",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=[worker],
    )


@pytest.mark.django_db
def test_a_worker_that_exited_is_dead():
    assert is_dead(dead_worker_name())


@pytest.mark.django_db
def test_a_live_worker_is_not_dead():
    name = worker_name()
    liveness = hold_liveness_lock(name)
    try:
        assert not is_dead(name)
    finally:
        if liveness is not None:
            liveness.close()


@pytest.mark.django_db
def test_workers_we_cannot_judge_are_not_dead():
    assert not is_dead("Xk2P9q0r7Yc1")  # a plain db_worker's random id


@pytest.mark.django_db
def test_a_worker_of_another_host_is_judged_only_on_postgresql():
    other_host = "nd:another-host:00000000:1:1"
    # PostgreSQL: nobody holds its liveness lock, so it is gone whatever the host.
    # SQLite: we cannot see another host's processes.
    assert is_dead(other_host) == (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_only_tasks_of_dead_workers_are_requeued():
    live = worker_name()
    liveness = hold_liveness_lock(live)
    try:
        orphan = running_task(dead_worker_name())
        busy = running_task(live)
        foreign = running_task("Xk2P9q0r7Yc1")
        assert requeue_orphaned_tasks() == [str(orphan.pk)]
        statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
        assert statuses == {orphan.pk: "READY", busy.pk: "RUNNING", foreign.pk: "RUNNING"}
        assert requeue_orphaned_tasks() == []  # READY now: nothing more to do
    finally:
        if liveness is not None:
            liveness.close()
