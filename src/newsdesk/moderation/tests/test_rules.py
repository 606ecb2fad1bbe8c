"""Bans and banned phrases are held in memory between changes (moderation.rules), yet every
change counts from the next comment on, and nothing rolled back lingers."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.comments import services
from newsdesk.comments.models import Comment
from newsdesk.moderation import rules
from newsdesk.moderation.models import Ban, BannedPhrase

ORDINARY = "The council's new bus timetable leaves the villages without an evening service."

pytestmark = pytest.mark.django_db


def post(article, author, body=ORDINARY, **kwargs):
    return services.post_comment(article, body=body, author=author, **kwargs)


def test_a_ban_made_after_the_rules_were_loaded_applies_to_the_next_comment(article, trusted):
    assert post(article, trusted, ip="198.51.100.7").status == Comment.Status.PUBLISHED
    ban = Ban.objects.create(kind="ip", value="198.51.100.7")
    refused = post(article, trusted, body="Another view on the buses.", ip="198.51.100.7")
    assert refused.status == Comment.Status.REJECTED
    assert refused.reasons == ["banned ip"]
    ban.delete()
    lifted = post(article, trusted, body="A third view on the buses.", ip="198.51.100.7")
    assert lifted.status == Comment.Status.PUBLISHED


def test_editing_a_ban_to_expire_lifts_it(article, trusted):
    ban = Ban.objects.create(kind="user", value=str(trusted.pk))
    assert post(article, trusted).status == Comment.Status.REJECTED
    ban.until = timezone.now() - timedelta(minutes=1)
    ban.save()
    assert post(article, trusted, body="Back again.").status == Comment.Status.PUBLISHED


def test_a_phrase_added_and_removed_counts_at_once(article, trusted):
    assert post(article, trusted, body="Win a free cruise today").status == "published"
    phrase = BannedPhrase.objects.create(text="free cruise", match="word")
    assert post(article, trusted, body="Another free cruise offer").status == "pending"
    phrase.delete()
    assert post(article, trusted, body="One more free cruise offer").status == "published"


def test_a_rolled_back_ban_does_not_linger_in_memory(article, trusted):
    with pytest.raises(RuntimeError), transaction.atomic():
        Ban.objects.create(kind="ip", value="198.51.100.8")
        assert post(article, trusted, ip="198.51.100.8").status == Comment.Status.REJECTED
        raise RuntimeError("roll back")
    assert not Ban.objects.exists()
    assert post(article, trusted, body="After the rollback.", ip="198.51.100.8").status == (
        Comment.Status.PUBLISHED
    )


def test_unchanged_rules_cost_one_small_query_per_comment(article, trusted):
    Ban.objects.create(kind="email", value="someone@example.org")
    BannedPhrase.objects.create(text="lottery", match="word")
    post(article, trusted, body="Warm the cache.")
    with CaptureQueriesContext(connection) as queries:
        versions = rules.current_versions()
        loaded = rules.current_rules(versions.rules_token)
    assert len(queries) == 1
    assert [phrase.text for phrase, _ in loaded.phrases] == ["lottery"]
    assert [b.value for b in loaded.active_bans([("email", "someone@example.org")])] == [
        "someone@example.org"
    ]
