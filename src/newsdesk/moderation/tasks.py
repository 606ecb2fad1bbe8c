"""Background work for moderation: learn new labelled examples, and the daily digest."""

from django_tasks import task

from newsdesk.moderation import digest, spam


@task()
def retrain() -> int:
    """Train the spam filter on every example it has not learnt yet (incremental)."""
    return spam.train_pending()


@task()
def send_digest() -> int:
    return digest.send_digest()
