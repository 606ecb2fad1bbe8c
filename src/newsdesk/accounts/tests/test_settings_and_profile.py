import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsdesk.accounts.tests.conftest import published_comment
from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_settings_need_a_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_reader_updates_display_name_bio_and_reply_notifications(logged_in_client, reader):
    response = logged_in_client.post(
        reverse("accounts:settings"),
        {"display_name": "Ada L.", "bio": "Reads the news.\nEvery day.", "notify_replies": "on"},
    )
    assert response.status_code == 302
    reader.profile.refresh_from_db()
    assert reader.profile.display_name == "Ada L."
    assert reader.profile.bio == "Reads the news.\nEvery day."
    assert reader.profile.notify_replies is True
    logged_in_client.post(reverse("accounts:settings"), {"display_name": "Ada L.", "bio": ""})
    reader.profile.refresh_from_db()
    assert reader.profile.notify_replies is False


def test_empty_display_name_is_refused(logged_in_client, reader):
    response = logged_in_client.post(
        reverse("accounts:settings"), {"display_name": "  ", "bio": ""}
    )
    assert 'id="id_display_name_error"' in response.content.decode()


def test_settings_refuse_a_post_without_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(reverse("accounts:settings"), {"display_name": "X", "bio": ""})
    assert response.status_code == 403


def test_profile_lists_only_published_comments_newest_first(client, reader, make_reader):
    article = ArticleFactory(headline="A story to discuss")
    older = published_comment(reader, article, body="older words")
    newer = published_comment(reader, article, body="newer words")
    published_comment(reader, article, body="held words", status="pending")
    published_comment(reader, article, body="spam words", status="spam")
    published_comment(reader, ArticleFactory(status=Article.Status.DRAFT), body="draft words")
    published_comment(
        reader,
        ArticleFactory(published_at=timezone.now() + timezone.timedelta(days=1)),
        body="embargoed words",
    )
    published_comment(make_reader(display_name="Someone Else"), article, body="not mine")
    html = client.get(reverse("accounts:profile", args=[reader.username])).content.decode()
    assert html.index("newer words") < html.index("older words")
    for hidden in ("held words", "spam words", "draft words", "embargoed words", "not mine"):
        assert hidden not in html
    assert f'href="{newer.get_absolute_url()}"' in html
    assert f'href="{older.get_absolute_url()}"' in html
    assert "2 comments" in html
    assert reader.email not in html


def test_profile_is_paginated_with_a_constant_number_of_queries(
    client, reader, settings, django_assert_max_num_queries
):
    settings.ACCOUNTS_COMMENTS_PER_PAGE = 2
    for n in range(5):
        published_comment(reader, body=f"comment {n}")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("accounts:profile", args=[reader.username])).content.decode()
    assert html.count('class="profile-comment"') == 2
    assert "Page 1 of 3" in html
    html = client.get(
        reverse("accounts:profile", args=[reader.username]) + "?page=3"
    ).content.decode()
    assert "comment 0" in html


def test_profile_escapes_what_the_reader_typed(client, make_reader):
    reader = make_reader(display_name="<script>alert(1)</script>")
    reader.profile.bio = '<img src=x onerror="alert(1)">'
    reader.profile.save()
    html = client.get(reverse("accounts:profile", args=[reader.username])).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_profile_of_unknown_or_inactive_reader_is_not_found(client, reader):
    assert client.get(reverse("accounts:profile", args=["nobody"])).status_code == 404
    reader.is_active = False
    reader.save()
    assert client.get(reverse("accounts:profile", args=[reader.username])).status_code == 404
