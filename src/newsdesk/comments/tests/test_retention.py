import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.retention import purge_old_ip_addresses

pytestmark = pytest.mark.django_db


def make_comment(age_days: int) -> Comment:
    comment = Comment.objects.create(
        article=ArticleFactory(),
        guest_name="Guest",
        body="Hello",
        body_html="<p>Hello</p>",
        ip_address="203.0.113.9",
        user_agent="Mozilla/5.0",
    )
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(days=age_days)
    )
    return comment


def test_ip_addresses_older_than_the_retention_period_are_forgotten(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old, fresh = make_comment(45), make_comment(2)
    assert purge_old_ip_addresses() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.ip_address is None and old.user_agent == ""
    assert fresh.ip_address == "203.0.113.9"
    assert old.body == "Hello"  # the comment itself stays


def test_zero_days_keeps_every_address(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 0
    make_comment(400)
    assert purge_old_ip_addresses() == 0


def test_purge_ips_command_reports_what_it_did():
    make_comment(100)
    out = io.StringIO()
    call_command("purge_ips", "--days", "10", stdout=out)
    assert "1 comments forgot their IP address" in out.getvalue()
