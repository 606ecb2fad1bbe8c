import pytest
from django.core import mail
from django.urls import reverse

from newsdesk.comments import services
from newsdesk.comments.models import Comment
from newsdesk.comments.notifications import unsubscribe_token
from newsdesk.comments.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber(db):
    return UserFactory(username="sub", display_name="Sub", display_name__notify=True)


def reply(article, parent, author, body="I disagree", **kwargs):
    return services.post_comment(article, body=body, author=author, parent=parent, **kwargs)


def test_reply_notification_is_sent_after_commit_with_an_unsubscribe_link(
    article, subscriber, other_reader, django_capture_on_commit_callbacks
):
    parent = services.post_comment(article, body="My view", author=subscriber).comment
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply(article, parent, other_reader)
    assert mail.outbox == []  # nothing is sent inside the request's transaction
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["sub@example.org"]
    assert "Taras replied" in message.subject
    assert "I disagree" in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_mail_without_opt_in_for_own_replies_or_pending_replies(
    article, owner, subscriber, other_reader, django_capture_on_commit_callbacks
):
    not_subscribed = services.post_comment(article, body="quiet", author=owner).comment
    subscribed = services.post_comment(article, body="loud", author=subscriber).comment
    with django_capture_on_commit_callbacks(execute=True):
        reply(article, not_subscribed, other_reader)
        reply(article, subscribed, subscriber, body="talking to myself")
        reply(article, subscribed, None, guest_name="G", guest_email="g@example.org")  # pending
    assert mail.outbox == []


def test_approving_a_held_reply_sends_the_notification(
    article, subscriber, django_capture_on_commit_callbacks
):
    parent = services.post_comment(article, body="My view", author=subscriber).comment
    with django_capture_on_commit_callbacks(execute=True):
        held = reply(article, parent, None, guest_name="Guest", guest_email="g@example.org").comment
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(held, Comment.Status.PUBLISHED)
    assert len(mail.outbox) == 1 and "Guest replied" in mail.outbox[0].subject


def test_unsubscribe_link_confirms_on_get_and_unsubscribes_on_post(client, subscriber):
    url = reverse("comments:unsubscribe", args=[unsubscribe_token(subscriber.pk)])
    response = client.get(url)
    assert response.status_code == 200 and "Stop reply notifications?" in response.content.decode()
    subscriber.profile.refresh_from_db()
    assert subscriber.profile.notify_replies  # a GET (a mail scanner's prefetch) changes nothing
    response = client.post(url)  # RFC 8058 one-click POST: no session, no CSRF token
    assert response.status_code == 200 and "unsubscribed" in response.content.decode()
    subscriber.profile.refresh_from_db()
    assert not subscriber.profile.notify_replies


def test_forged_unsubscribe_token_is_404(client, subscriber):
    token = unsubscribe_token(subscriber.pk)
    assert client.post(reverse("comments:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
