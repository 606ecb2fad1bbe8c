"""Background work for ingestion (django-tasks): poll one feed; queue every due feed;
import a batch of files (`newsdesk import --background`).

django-tasks has no clock, so `newsdesk worker` runs enqueue_due_feeds every
INGEST_SCHEDULER_SECONDS beside the db_worker loop (see management/commands/worker.py).
"""

from collections import Counter

from django_tasks import task

from newsdesk.ingest.importer import import_paths
from newsdesk.ingest.models import Feed
from newsdesk.ingest.polling import claim_due_feeds, poll_feed


@task()
def poll_feed_task(feed_id: int) -> dict:
    feed = Feed.objects.select_related("source").filter(pk=feed_id).first()
    if feed is None:  # removed while queued
        return {"status": "gone"}
    result = poll_feed(feed)
    return {
        "status": result.status,
        "taken": result.taken,
        "error": result.error,
        "entry_errors": len(result.entry_errors),
    }


@task()
def enqueue_due_feeds() -> int:
    """Queue a poll for every due feed; returns how many were queued."""
    claimed = claim_due_feeds()
    for feed_id in claimed:
        poll_feed_task.enqueue(feed_id)
    return len(claimed)


@task()
def import_batch_task(paths: list[str]) -> dict:
    """Import files and directories like `newsdesk import`. A worker killed mid-batch has
    its task run again (newsdesk.ingest.recovery); the import journal then skips the files
    already imported, so each file is imported exactly once."""
    outcomes = import_paths(paths)
    counts = Counter(outcome.status for outcome in outcomes)
    failed = [f"{o.path}: {o.reason}" for o in outcomes if o.status == "failed"]
    return {**counts, "failed_files": failed[:100]}
