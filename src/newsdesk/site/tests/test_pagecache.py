import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.models import Comment
from newsdesk.site.pagecache import cache_anonymous_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_second_anonymous_request_is_served_from_the_cache(client):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_new_article_shows_on_the_next_front_page_request(client):
    ArticleFactory(headline="First story")
    client.get("/")
    ArticleFactory(headline="Second story")
    assert "Second story" in client.get("/").content.decode()


def test_a_withdrawn_article_disappears_at_once(client):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 200
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_new_comment_is_visible_on_the_next_anonymous_request(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    user = get_user_model().objects.create_user("reader", "r@example.org", "pw-123456789")
    Comment.objects.create(
        article=article, author=user, body="Fresh take", body_html="<p>Fresh take</p>"
    )
    Article.objects.filter(pk=article.pk).update(comment_count=1)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments (1)" in html


def test_logged_in_readers_bypass_the_cache(client):
    article = ArticleFactory()
    user = get_user_model().objects.create_user("reader", "r@example.org", "pw-123456789")
    client.force_login(user)
    client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())


def test_cached_pages_carry_the_current_readers_csrf_token(rf: RequestFactory, settings):
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')

    @cache_anonymous_page
    def view(request):
        return HttpResponse(template.render({}, request))

    from django.contrib.auth.models import AnonymousUser

    first, second = rf.get("/form/"), rf.get("/form/")
    first.user = second.user = AnonymousUser()
    first_html = view(first).content
    second_response = view(second)
    assert second_response["X-Page-Cache"] == "hit"
    assert first_html != second_response.content
    assert b"\x00" not in second_response.content
    assert b'name="csrfmiddlewaretoken" value="' in second_response.content


def test_pages_answer_304_to_a_matching_if_none_match(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    again = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert again.status_code == 304
