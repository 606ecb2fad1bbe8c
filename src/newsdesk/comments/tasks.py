"""Background work for the discussion; enqueued after commit, never run inside a request
(except with the ImmediateBackend, which development and the tests use)."""

from django_tasks import task

from newsdesk.comments.models import Comment
from newsdesk.comments.notifications import send_reply_email


@task()
def send_reply_notification(comment_id: int) -> bool:
    reply = (
        Comment.objects.select_related("parent__author__profile", "article", "author__profile")
        .filter(pk=comment_id)
        .first()
    )
    return reply is not None and send_reply_email(reply)
