"""Only moderators and staff reach the moderation pages; readers get 403, visitors log in."""

import pytest

from newsdesk.comments.tests.factories import CommentFactory, UserFactory
from newsdesk.moderation.models import Ban, BannedPhrase

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(article):
    comment = CommentFactory(article=article, status="pending")
    phrase = BannedPhrase.objects.create(text="x")
    ban = Ban.objects.create(kind="ip", value="192.0.2.1")
    gets = ["/moderation/", "/moderation/?tab=reported", "/moderation/?tab=spam&sort=reports",
            "/moderation/phrases/", "/moderation/bans/", "/moderation/audit/"]  # fmt: skip
    posts = [
        f"/moderation/comments/{comment.pk}/{a}/" for a in ("approve", "reject", "spam", "ban")
    ]
    posts += ["/moderation/bulk/", "/moderation/phrases/", f"/moderation/phrases/{phrase.pk}/delete/",
              "/moderation/bans/", f"/moderation/bans/{ban.pk}/lift/"]  # fmt: skip
    return gets, posts, comment


def test_reader_gets_403_on_every_moderation_url(client, urls):
    gets, posts, comment = urls
    client.force_login(UserFactory())
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, {"ids": [comment.pk], "action": "approve"}).status_code == 403, url
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_anonymous_visitor_is_sent_to_log_in(client, urls):
    gets, posts, _ = urls
    for url in gets + posts:
        response = client.post(url) if url in posts else client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_moderator_sees_the_queue_with_reasons_score_and_ip(client, article, moderator):
    from newsdesk.comments import services

    services.post_comment(
        article, body="Is there a source?", guest_name="Ann", guest_email="a@example.org",
        ip="198.51.100.7",
    )  # fmt: skip
    client.force_login(moderator)
    page = client.get("/moderation/").content.decode()
    assert "Is there a source?" in page
    assert "guest_comment" in page and "198.51.100.7" in page and "score" in page
    assert 'trust <span class="mq-trust">0 new</span>' in page


def test_staff_may_moderate_and_the_action_redirects_back(client, article):
    staff = UserFactory(is_staff=True)
    comment = CommentFactory(article=article, status="pending")
    client.force_login(staff)
    response = client.post(
        f"/moderation/comments/{comment.pk}/approve/", {"next": "/moderation/?tab=held"}
    )
    assert response.status_code == 302 and response["Location"] == "/moderation/?tab=held"
    comment.refresh_from_db()
    assert comment.status == "published"


def test_public_pages_never_show_the_ip(client, article, trusted):
    from newsdesk.comments import services

    services.post_comment(article, body="Plain words.", author=trusted, ip="198.51.100.99")
    assert "198.51.100.99" not in client.get(article.get_absolute_url()).content.decode()
