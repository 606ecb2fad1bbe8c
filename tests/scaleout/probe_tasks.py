"""A tiny background task for the scale-out test: each run appends one line to a log.

The workers import this module by the name ``probe_tasks`` (the test puts this folder on
their PYTHONPATH), and so does the process that enqueues.
"""

import os

from django_tasks import task


@task()
def record_run(token: str) -> None:
    line = f"{token} {os.getpid()}\n"
    # O_APPEND writes of one short line are atomic, so two workers never interleave.
    fd = os.open(os.environ["NEWSDESK_SCALEOUT_TASK_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
