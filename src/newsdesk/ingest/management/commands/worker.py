"""newsdesk worker — run background tasks and keep the feed schedule.

django-tasks has no scheduler, so beside the db_worker loop (main thread, which owns the
signal handlers for a clean Ctrl-C / SIGTERM) a daemon thread queues a poll for every due
feed each INGEST_SCHEDULER_SECONDS. With the ImmediateBackend (the default outside
production) there is no queue to work: the command then runs the schedule loop alone,
and each poll runs inline in it.

A task whose worker died while running it (kill -9, OOM) is left RUNNING by django-tasks;
the worker puts such tasks back in the queue at start-up and on every schedule tick, but
only when their worker is demonstrably dead (newsdesk.ingest.recovery explains the rule).
"""

import contextlib
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django_tasks import task_backends

from newsdesk.comments.retention import purge_old_ip_addresses
from newsdesk.ingest.recovery import hold_liveness_lock, requeue_orphaned_tasks, worker_name
from newsdesk.ingest.tasks import enqueue_due_feeds

PURGE_EVERY_SECONDS = 3600


def requeue_and_log(log) -> None:
    requeued = requeue_orphaned_tasks()
    if requeued:
        log(f"requeued {len(requeued)} tasks left running by a dead worker: {', '.join(requeued)}")


def schedule_forever(
    stop: threading.Event, every_seconds: float, log, requeue_dead: bool = False
) -> None:
    last_purge = 0.0
    while not stop.is_set():
        close_old_connections()
        try:
            if requeue_dead:
                requeue_and_log(log)
            queued = enqueue_due_feeds.call()
            if queued:
                log(f"queued {queued} feed polls")
            if time.monotonic() - last_purge >= PURGE_EVERY_SECONDS:
                last_purge = time.monotonic()
                forgotten = purge_old_ip_addresses()
                if forgotten:
                    log(f"forgot the IP addresses of {forgotten} old comments")
        except Exception as exc:  # the schedule must outlive one bad tick (e.g. DB restart)
            log(f"scheduler tick failed: {exc!r}")
        finally:
            connection.close()
        stop.wait(every_seconds)


class Command(BaseCommand):
    help = "Run background tasks (django-tasks db_worker) and queue feed polls when due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            help="seconds between schedule ticks (default INGEST_SCHEDULER_SECONDS)",
        )
        parser.add_argument("--no-schedule", action="store_true", help="only work the task queue")

    def handle(self, *args, **options):
        every = options["every"] or settings.INGEST_SCHEDULER_SECONDS
        stop = threading.Event()
        is_database_backend = type(task_backends["default"]).__module__.startswith(
            "django_tasks_db"
        )
        if not is_database_backend:
            self.stdout.write("tasks run inline (ImmediateBackend): schedule loop only")
            with contextlib.suppress(KeyboardInterrupt):
                schedule_forever(stop, every, self.stdout.write)
            return
        name = worker_name()
        liveness = hold_liveness_lock(name)  # before any claim: see newsdesk.ingest.recovery
        requeue_and_log(self.stdout.write)
        connection.close()
        if not options["no_schedule"]:
            thread = threading.Thread(
                target=schedule_forever,
                args=(stop, every, self.stdout.write, True),
                name="feed-scheduler",
                daemon=True,
            )
            thread.start()
        try:
            call_command("db_worker", verbosity=options["verbosity"], worker_id=name)
        finally:
            stop.set()
            if liveness is not None:
                liveness.close()
