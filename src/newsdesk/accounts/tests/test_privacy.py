import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from newsdesk.accounts import services
from newsdesk.accounts.tests.conftest import PASSWORD, published_comment
from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.models import Comment, CommentRevision, Recommendation

pytestmark = pytest.mark.django_db


def test_export_is_a_json_download_of_profile_and_all_comments(logged_in_client, reader):
    shown = published_comment(reader, body="my view")
    shown.ip_address = "192.0.2.7"
    shown.save()
    CommentRevision.objects.create(comment=shown, body="my first view")
    published_comment(reader, body="held view", status="pending")
    response = logged_in_client.get(reverse("accounts:export"))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == reader.email
    assert data["profile"]["display_name"] == "Ada Reader"
    assert [c["body"] for c in data["comments"]] == ["my view", "held view"]
    assert data["comments"][0]["earlier_versions"][0]["body"] == "my first view"
    assert data["comments"][0]["permalink"].endswith(f"#comment-{shown.pk}")
    assert "192.0.2.7" not in response.content.decode()


def test_export_needs_a_login(client):
    assert client.get(reverse("accounts:export")).status_code == 302


def delete(client, password=PASSWORD):
    return client.post(reverse("accounts:delete"), {"password": password})


def test_wrong_password_deletes_nothing(logged_in_client, reader):
    response = delete(logged_in_client, "not it")
    assert 'id="id_password_error"' in response.content.decode()
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_delete_refuses_a_post_without_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert delete(client).status_code == 403
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_deleting_the_account_anonymises_comments_by_default(logged_in_client, reader, settings):
    settings.ACCOUNTS_DELETE_COMMENTS = "anonymise"
    article = ArticleFactory()
    comment = published_comment(reader, article, body="still worth reading")
    response = delete(logged_in_client)
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    assert not logged_in_client.get("/").wsgi_request.user.is_authenticated
    comment.refresh_from_db()
    assert comment.author is None and comment.guest_name == "deleted reader"
    assert comment.body == "still worth reading" and comment.status == "published"
    article.refresh_from_db()
    assert article.comment_count == 1


def test_removing_keeps_other_readers_replies_under_a_placeholder(make_reader, settings):
    reader, other = make_reader(), make_reader(display_name="Other")
    article = ArticleFactory()
    answered = published_comment(reader, article, body="answered")
    chain_top = published_comment(reader, article, body="top")
    chain_mid = published_comment(reader, article, body="mid", parent=chain_top)
    others_reply = published_comment(other, article, body="reply", parent=answered)
    deep_reply = published_comment(other, article, body="deep", parent=chain_mid)
    alone = published_comment(reader, article, body="alone")
    own_reply = published_comment(reader, article, body="own reply", parent=alone)
    Article.objects.filter(pk=article.pk).update(comment_count=7)

    services.delete_account(reader, mode="remove")

    remaining = {c.pk: c for c in Comment.objects.filter(article=article)}
    assert alone.pk not in remaining and own_reply.pk not in remaining
    assert others_reply.pk in remaining and deep_reply.pk in remaining
    for placeholder in (answered, chain_top, chain_mid):
        kept = remaining[placeholder.pk]
        assert (kept.status, kept.body, kept.author_id) == ("deleted", "", None)
    article.refresh_from_db()
    assert article.comment_count == 2


def test_deleting_an_account_takes_its_recommendations_off_the_counts(make_reader):
    reader, other = make_reader(), make_reader(display_name="Other")
    liked = published_comment(other, body="good point")
    Recommendation.objects.create(comment=liked, user=reader)
    Comment.objects.filter(pk=liked.pk).update(recommendation_count=1)
    services.delete_account(reader, mode="anonymise")
    liked.refresh_from_db()
    assert liked.recommendation_count == 0


def test_unknown_delete_mode_is_refused(reader):
    with pytest.raises(ValueError):
        services.delete_account(reader, mode="shred")
    assert get_user_model().objects.filter(pk=reader.pk).exists()
