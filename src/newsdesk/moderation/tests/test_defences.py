"""Each automatic defence holds what it should and lets an ordinary comment through."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from newsdesk.comments import services
from newsdesk.comments.models import Comment, DiscussionSettings
from newsdesk.comments.services import set_closed
from newsdesk.moderation import defences
from newsdesk.moderation.models import Ban, BannedPhrase

ORDINARY = "The minister's figures do not add up; the budget line for schools fell last year."

pytestmark = pytest.mark.django_db


def post(article, author, body=ORDINARY, **kwargs):
    return services.post_comment(article, body=body, author=author, **kwargs)


def test_ordinary_comment_from_a_trusted_account_is_published(article, trusted):
    result = post(article, trusted)
    assert result.status == Comment.Status.PUBLISHED
    assert result.comment.moderation_reasons == []
    assert result.comment.spam_score == 0.5  # an untrained filter has no opinion


def test_guest_comment_is_held_for_review(article):
    result = services.post_comment(
        article, body=ORDINARY, guest_name="Ann", guest_email="ann@example.org"
    )
    assert result.status == Comment.Status.PENDING
    assert result.reasons == ["guest_comment"]


def test_new_account_is_held_until_it_has_approved_comments(article, reader, settings):
    first = post(article, reader)
    assert first.status == Comment.Status.PENDING
    assert first.reasons == ["new account (0 of 2 comments approved)"]
    settings.MODERATION_NEW_ACCOUNT_HOLD = 0
    assert post(article, reader, body="Another point entirely.").status == "published"


def test_moderators_publish_at_once_but_are_still_sanitised(article, moderator):
    result = post(
        article, moderator, body="visit www.a.com www.b.com www.c.com www.d.com <script>x</script>"
    )
    assert result.status == Comment.Status.PUBLISHED
    assert "<script" not in result.comment.body_html


def test_too_many_links_are_held(article, trusted):
    body = "See https://a.example https://b.example https://c.example https://d.example"
    result = post(article, trusted, body=body)
    assert result.status == Comment.Status.PENDING
    assert result.reasons == ["too many links (4 > 3)"]
    assert post(article, trusted, body="One source: https://a.example/x").status == "published"


def test_banned_word_matches_whole_words_only(article, trusted):
    BannedPhrase.objects.create(text="viagra", match="word")
    held = post(article, trusted, body="Cheap VIAGRA here")
    assert held.status == Comment.Status.PENDING
    assert held.reasons == ["banned phrase “viagra”"]
    assert post(article, trusted, body="The word viagrafalls is not the drug").status == "published"


def test_banned_pattern_is_a_regular_expression(article, trusted):
    BannedPhrase.objects.create(text=r"c[a@]sino\s+bonus", match="pattern")
    assert post(article, trusted, body="Get your c@sino  bonus now").status == "pending"
    assert post(article, trusted, body="The casino closed in May.").status == "published"


def test_same_text_on_another_article_is_held(article, trusted):
    from newsdesk.articles.tests.factories import ArticleFactory

    assert post(article, trusted).status == "published"
    again = post(ArticleFactory(), trusted)
    assert again.status == Comment.Status.PENDING
    assert again.reasons == ["same text posted again"]


def test_banned_ip_email_and_account_are_rejected(article, trusted):
    Ban.objects.create(kind="ip", value="203.0.113.9")
    assert post(article, trusted, ip="203.0.113.9").status == Comment.Status.REJECTED
    Ban.objects.create(kind="email", value="spam@example.org")
    guest = services.post_comment(
        article, body=ORDINARY, guest_name="S", guest_email="Spam@Example.org"
    )
    assert guest.status == Comment.Status.REJECTED and guest.reasons == ["banned email"]
    Ban.objects.create(kind="user", value=str(trusted.pk))
    assert post(article, trusted, body="New words").status == Comment.Status.REJECTED


def test_an_expired_ban_no_longer_applies(article, trusted):
    Ban.objects.create(kind="ip", value="203.0.113.9", until=timezone.now() - timedelta(hours=1))
    assert post(article, trusted, ip="203.0.113.9").status == Comment.Status.PUBLISHED


def test_honeypot_and_fast_form_are_held(article, trusted):
    factory = RequestFactory()
    now = 1_700_000_000
    assert defences.form_reasons(
        {"website": "http://x", "form_ts": defences.form_timestamp(now - 60)}, now
    ) == ["honeypot field filled"]
    assert defences.form_reasons(
        {"website": "", "form_ts": defences.form_timestamp(now - 1)}, now
    ) == ["posted 1 s after the form loaded"]
    assert defences.form_reasons({"website": "", "form_ts": "123:forged"}, now) == [
        "form timestamp invalid"
    ]
    assert (
        defences.form_reasons({"website": "", "form_ts": defences.form_timestamp(now - 30)}, now)
        == []
    )

    request = factory.post("/", {"website": "bot", "body": ORDINARY})
    request.user = trusted
    result = services.post_comment(article, body=ORDINARY, author=trusted, request=request)
    assert result.status == Comment.Status.PENDING
    assert result.reasons == ["honeypot field filled"]


def test_missing_form_timestamp_is_held_when_required(article, trusted, settings):
    settings.MODERATION_REQUIRE_FORM_TOKEN = True
    request = RequestFactory().post("/", {"body": ORDINARY})
    result = services.post_comment(article, body=ORDINARY, author=trusted, request=request)
    assert result.reasons == ["form timestamp missing"]


def test_site_and_article_modes(article, trusted, settings):
    settings.MODERATION_MODE = "pre"
    assert post(article, trusted).reasons == ["site is pre-moderated"]
    settings.MODERATION_MODE = "post"
    DiscussionSettings.objects.create(article=article, mode="premoderated")
    article.refresh_from_db()
    assert post(article, trusted, body="Other words").reasons == ["article_is_premoderated"]
    settings.MODERATION_MODE = "closed"
    assert not post(article, trusted, body="Closed words").ok
    settings.MODERATION_MODE = "post"
    set_closed(article, True)
    fresh = type(article).objects.get(pk=article.pk)  # no cached discussion settings
    assert not post(fresh, trusted, body="Closed here").ok
