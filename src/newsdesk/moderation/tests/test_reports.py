import pytest

from newsdesk.comments import services as comments
from newsdesk.comments.models import Comment
from newsdesk.comments.tests.factories import UserFactory
from newsdesk.moderation import services
from newsdesk.moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(article, trusted):
    comment = comments.post_comment(
        article, body="A fair point, made rudely.", author=trusted
    ).comment
    assert comment.status == "published"
    return comment


def test_reports_from_distinct_readers_hide_the_comment_at_the_threshold(article, published):
    readers = UserFactory.create_batch(3)
    first = services.report_comment(published, readers[0], "abuse", "insults")
    again = services.report_comment(published, readers[0], "spam")  # the same reader again
    assert first.created and not again.created and again.open_reports == 1
    services.report_comment(published, readers[1], "off-topic")
    published.refresh_from_db()
    article.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED and article.comment_count == 1
    third = services.report_comment(published, readers[2], "other", "see above")
    published.refresh_from_db()
    article.refresh_from_db()
    assert third.hidden
    assert published.status == Comment.Status.PENDING
    assert "hidden pending review: 3 reports" in published.moderation_reasons
    assert article.comment_count == 0
    entry = ModerationAction.objects.get(action="auto-hide")
    assert (entry.who, entry.state_before, entry.state_after) == (None, "published", "pending")


def test_report_view_needs_a_logged_in_reader_and_a_reason(client, published):
    url = f"/moderation/report/{published.pk}/"
    assert client.post(url, {"reason": "spam"}).status_code == 302  # to the login page
    assert published.reports.count() == 0
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "nonsense"}).status_code == 400
    response = client.post(url, {"reason": "spam", "text": "selling things"})
    assert response.status_code == 302
    assert published.reports.get().text == "selling things"


def test_an_author_cannot_report_their_own_comment(client, published, trusted):
    client.force_login(trusted)
    assert client.post(f"/moderation/report/{published.pk}/", {"reason": "spam"}).status_code == 403


def test_reported_tab_lists_only_comments_with_open_reports(client, article, published, moderator):
    from newsdesk.moderation.queue import queue_page, waiting_counts

    comments.post_comment(
        article, body="Unreported words.", guest_name="G", guest_email="g@example.org"
    )
    assert waiting_counts()["reported"] == 0
    services.report_comment(published, UserFactory(), "off-topic")
    services.report_comment(published, UserFactory(), "spam")
    services.report_comment(published, UserFactory(), "spam")
    assert waiting_counts()["reported"] == 1
    page, rows = queue_page("reported", "reports")
    assert [(r.comment.pk, r.reports, r.report_reasons) for r in rows] == [
        (published.pk, 3, ["Off-topic", "Spam"])
    ]
    client.force_login(moderator)
    html = client.get("/moderation/?tab=reported").content.decode()
    assert "3 reports (Off-topic, Spam)" in html
    services.moderate(published, "approve", by=moderator)
    assert waiting_counts()["reported"] == 0
