"""Each moderator action changes the comment, recounts the article and writes one audit row."""

import pytest
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory

from newsdesk.comments import services as comments
from newsdesk.comments.models import Comment
from newsdesk.comments.tests.factories import UserFactory
from newsdesk.comments.thread import load_discussion
from newsdesk.moderation import services
from newsdesk.moderation.digest import send_digest
from newsdesk.moderation.models import Ban, ModerationAction, TrainingExample

pytestmark = pytest.mark.django_db


def held_guest_comment(article, body="Where can I read the full report?"):
    result = comments.post_comment(
        article, body=body, guest_name="Ann", guest_email="ann@example.org", ip="198.51.100.7"
    )
    assert result.status == "pending"
    return result.comment


@pytest.mark.parametrize(
    ("action", "status", "label", "count"),
    [
        ("approve", "published", "ham", 1),
        ("reject", "rejected", None, 0),
        ("spam", "spam", "spam", 0),
        ("ban", "rejected", None, 0),
    ],
)
def test_each_action_changes_status_counts_and_is_audited(
    article, moderator, action, status, label, count, django_capture_on_commit_callbacks
):
    comment = held_guest_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.moderate(comment, action, by=moderator)
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == status
    assert article.comment_count == count
    assert (entry.who, entry.action, entry.comment, entry.state_before, entry.state_after) == (
        moderator,
        action,
        comment,
        "pending",
        status,
    )
    examples = list(TrainingExample.objects.values_list("label", "trained"))
    assert examples == ([(label, True)] if label else [])
    if action == "ban":
        assert Ban.objects.filter(kind="email", value="ann@example.org").exists()


def test_bulk_action_audits_every_comment(article, moderator):
    ids = [held_guest_comment(article, f"Question number {n}?").pk for n in range(3)]
    assert services.moderate_many(ids, "reject", by=moderator) == 3
    assert ModerationAction.objects.filter(action="reject", comment_id__in=ids).count() == 3


def test_audit_log_cannot_be_changed_or_deleted_in_the_admin(article, moderator):
    services.moderate(held_guest_comment(article), "approve", by=moderator)
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[ModerationAction]
    entry = ModerationAction.objects.get()
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)


def test_shadow_banned_author_sees_their_comment_and_nobody_else_does(article, trusted):
    services.add_ban("user", str(trusted.pk), shadow=True, reason="troll")
    result = comments.post_comment(article, body="Nobody will read this.", author=trusted)
    assert result.status == Comment.Status.PENDING
    assert "shadow-banned author" in result.reasons

    def shown_to(viewer):
        return [n.comment.pk for n in load_discussion(article, viewer).nodes]

    assert shown_to(trusted) == [result.comment.pk]
    own_view = load_discussion(article, trusted).nodes[0]
    assert not own_view.awaiting_review  # nothing tells the author they are banned
    assert shown_to(UserFactory()) == []
    from django.contrib.auth.models import AnonymousUser

    assert shown_to(AnonymousUser()) == []
    article.refresh_from_db()
    assert article.comment_count == 0


def test_digest_mails_moderators_only_when_items_are_overdue(article, moderator, settings):
    from datetime import timedelta

    from django.utils import timezone

    comment = held_guest_comment(article)
    assert send_digest() == 0
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=13))
    UserFactory(username="reader-only")
    assert send_digest() == 1
    [message] = mail.outbox
    assert message.to == [moderator.email]
    assert "held for review: 1" in message.body


def test_trust_levels_follow_the_authors_record(article, reader, settings):
    from newsdesk.comments.tests.factories import CommentFactory

    settings.MODERATION_TRUSTED_AFTER = 3
    comment = comments.post_comment(article, body="First words.", author=reader).comment

    def trust():
        return services.histories([comment])[("user", str(reader.pk))].trust

    assert trust() == "0 new"
    CommentFactory(article=article, author=reader, status="published")
    assert trust() == "1 has approved comments"
    CommentFactory.create_batch(2, article=article, author=reader, status="published")
    assert trust() == "2 trusted"
    services.add_ban("user", str(reader.pk))
    assert trust() == "banned"


def test_other_readers_get_a_report_link_and_the_author_does_not(client, article, trusted, reader):
    comments.post_comment(article, body="A view worth reporting?", author=trusted)
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="comment__report"' in html
    client.force_login(trusted)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="comment__report"' not in html


def test_a_closed_site_says_so_and_takes_no_comments(client, article, trusted, settings):
    settings.MODERATION_MODE = "closed"
    result = comments.post_comment(article, body="Let me in.", author=trusted)
    assert not result.ok
    assert "closed" in [e.code for e in result.errors]


def test_the_comment_form_carries_the_honeypot_and_timestamp(client, article, reader):
    from newsdesk.moderation import defences

    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'name="{defences.HONEYPOT_FIELD}"' in html
    assert f'name="{defences.TIMESTAMP_FIELD}"' in html
