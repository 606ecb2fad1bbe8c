"""Background work for ingestion (django-tasks): poll one feed; queue every due feed.

django-tasks has no clock, so `newsdesk worker` runs enqueue_due_feeds every
INGEST_SCHEDULER_SECONDS beside the db_worker loop (see management/commands/worker.py).
"""

from django_tasks import task

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
