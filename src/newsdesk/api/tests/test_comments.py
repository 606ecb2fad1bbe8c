import pytest
from django.test import Client, override_settings

from newsdesk.api.tests.conftest import post_json, token_client
from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.models import Comment, DiscussionSettings
from newsdesk.comments.tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

TWO_PER_MINUTE = [(2, 60), (0, 3600)]


def comments_url(article) -> str:
    return f"/api/articles/{article.slug}/comments"


def test_comment_list_shows_published_comments_oldest_first(anonymous_api):
    article = ArticleFactory()
    author = UserFactory(username="olena", display_name="Olena K")
    first = CommentFactory(article=article, author=author, body="First *thought*")
    reply = CommentFactory(article=article, parent=first, author=None, guest_name="Guest Ann")
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.SPAM)

    items = anonymous_api.get(comments_url(article)).json()["items"]
    assert [c["id"] for c in items] == [first.pk, reply.pk]
    assert items[0]["author"] == "Olena K"
    assert "<em>thought</em>" in items[0]["body_html"]
    assert items[0]["parent"] is None
    assert items[1]["parent"] == first.pk
    assert items[1]["author"] == "Guest Ann"


def test_comment_list_never_reveals_private_fields(anonymous_api):
    article = ArticleFactory()
    CommentFactory(
        article=article,
        author=None,
        guest_name="Guest",
        guest_email="secret-guest@example.org",
        ip_address="203.0.113.9",
        spam_score=0.42,
        moderation_reasons=["hidden-reason"],
    )
    response = anonymous_api.get(comments_url(article))
    item = response.json()["items"][0]
    assert set(item) == {
        "id",
        "parent",
        "author",
        "body_html",
        "created",
        "edited",
        "recommendation_count",
    }
    for secret in (b"secret-guest@example.org", b"203.0.113.9", b"0.42", b"hidden-reason"):
        assert secret not in response.content


def test_comment_list_pages_with_a_cursor(anonymous_api):
    article = ArticleFactory()
    made = [CommentFactory(article=article).pk for _ in range(7)]
    seen, url = [], comments_url(article) + "?limit=3"
    while url:
        page = anonymous_api.get(url).json()
        seen += [c["id"] for c in page["items"]]
        url = page["next"]
    assert seen == made


def test_comments_of_an_unpublished_article_are_not_found(anonymous_api):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert anonymous_api.get(comments_url(draft)).status_code == 404


def test_reader_with_a_token_posts_a_published_comment(reader_api, anonymous_api):
    article = ArticleFactory()
    response = post_json(reader_api, comments_url(article), {"body": "Well **reported**."})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "published"
    assert "<strong>reported</strong>" in data["comment"]["body_html"]
    assert data["comment"]["author"] == "reader"
    article.refresh_from_db()
    assert article.comment_count == 1
    listed = anonymous_api.get(comments_url(article)).json()["items"]
    assert [c["id"] for c in listed] == [data["id"]]


def test_reply_names_its_parent(reader_api):
    article = ArticleFactory()
    parent = CommentFactory(article=article)
    response = post_json(
        reader_api, comments_url(article), {"body": "I agree", "parent": parent.pk}
    )
    assert response.status_code == 201
    assert Comment.objects.get(pk=response.json()["id"]).parent == parent


def test_reply_to_a_comment_on_another_article_is_refused(reader_api):
    article = ArticleFactory()
    elsewhere = CommentFactory()
    response = post_json(reader_api, comments_url(article), {"body": "Hi", "parent": elsewhere.pk})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_comment_on_a_premoderated_article_is_held_for_review(reader_api, anonymous_api):
    article = ArticleFactory()
    DiscussionSettings.objects.create(article=article, mode=DiscussionSettings.Mode.PREMODERATED)
    response = post_json(reader_api, comments_url(article), {"body": "Held, please."})
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "pending"
    assert data["comment"] is None
    assert Comment.objects.get(pk=data["id"]).status == Comment.Status.PENDING
    assert anonymous_api.get(comments_url(article)).json()["items"] == []


def test_closed_discussion_refuses_comments(reader_api):
    article = ArticleFactory()
    DiscussionSettings.objects.create(article=article, closed=True)
    response = post_json(reader_api, comments_url(article), {"body": "Too late?"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "closed"


@pytest.mark.parametrize("body", ["   ", "x" * 5001])
def test_service_rules_on_the_body_apply(reader_api, body):
    response = post_json(reader_api, comments_url(ArticleFactory()), {"body": body})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_same_text_twice_returns_the_first_comment(reader_api):
    article = ArticleFactory()
    first = post_json(reader_api, comments_url(article), {"body": "Double click"})
    second = post_json(reader_api, comments_url(article), {"body": "Double click"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Comment.objects.count() == 1


def test_nul_character_is_refused_as_invalid_input(reader_api):
    response = post_json(reader_api, comments_url(ArticleFactory()), {"body": "a\x00b"})
    assert response.status_code == 422


@override_settings(COMMENTS_RATE_LIMITS=TWO_PER_MINUTE)
def test_posting_too_fast_answers_429_with_retry_after(reader_api):
    article = ArticleFactory()
    for n in range(2):
        assert post_json(reader_api, comments_url(article), {"body": f"n{n}"}).status_code == 201
    refused = post_json(reader_api, comments_url(article), {"body": "one more"})
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    retry_after = int(refused["Retry-After"])
    assert 0 < retry_after <= 60
    assert refused.json()["retry_after"] == retry_after


@override_settings(COMMENTS_RATE_LIMITS=TWO_PER_MINUTE)
def test_api_and_web_form_share_one_rate_limit(reader):
    article = ArticleFactory()
    web = Client()
    web.force_login(reader)
    api = token_client(reader)
    assert post_json(api, comments_url(article), {"body": "from the API"}).status_code == 201
    web_post = web.post(f"/comments/post/{article.pk}/", {"body": "from the page"})
    assert web_post.status_code == 302
    assert post_json(api, comments_url(article), {"body": "third"}).status_code == 429
    assert web.post(f"/comments/post/{article.pk}/", {"body": "fourth"}).status_code == 429


def test_session_posts_with_its_csrf_token(session_api):
    article = ArticleFactory()
    session_api.get("/api/docs")  # the page sets the CSRF cookie, as a browser would get it
    token = session_api.cookies["csrftoken"].value
    response = post_json(
        session_api,
        comments_url(article),
        {"body": "From my browser"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_session_without_csrf_token_cannot_post(session_api):
    response = post_json(session_api, comments_url(ArticleFactory()), {"body": "Forged?"})
    assert response.status_code == 403
    assert response.json()["title"] == "CSRF check failed"
    assert Comment.objects.count() == 0
