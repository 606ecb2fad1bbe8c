import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article, SlugRedirect
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_article(sample_path):
    call_command("import", str(sample_path), "--no-progress", stdout=__import__("io").StringIO())
    return Article.objects.get()


def test_article_page_shows_the_sample_page_elements_in_order(client, sample_article):
    response = client.get(sample_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    positions = [
        html.index("<h1 id=\"headline\">Putin hints at bilateral talks with Kyiv, truce falters</h1>"),
        html.index(f'href="/sources/{sample_article.source.slug}/">Reuters</a>'),
        html.index("<time datetime="),
        html.index("<p>Russian President Vladimir Putin"),
        html.index("<p>Though both sides"),
        html.index(">Tags</h2>"),
        html.index(">Comments (0)</h2>"),
        html.index("What is your opinion on this topic?"),
        html.index("Leave the first comment"),
    ]
    assert positions == sorted(positions)
    assert html.count("<h1") == 1


def test_article_page_has_json_ld_open_graph_and_canonical(client, sample_article):
    html = client.get(sample_article.get_absolute_url()).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == sample_article.headline
    assert data["publisher"]["name"] == "Reuters"
    assert '<meta property="og:title" content="Putin hints at bilateral talks with Kyiv, truce falters">' in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{sample_article.get_absolute_url()}">' in html


def test_json_ld_cannot_be_closed_by_a_headline():
    article = ArticleFactory(headline="</script><script>alert(1)</script>")
    from django.test import Client

    html = Client().get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_tags_link_to_their_tag_pages(client):
    article = ArticleFactory(tag_names=["Ukraine", "Peace talks"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/tags/ukraine/" data-kind="topic">Ukraine</a>' in html
    tag_page = client.get("/tags/ukraine/")
    assert article.headline in tag_page.content.decode()


def test_suggested_and_rejected_tags_are_not_shown(client):
    article = ArticleFactory(tag_names=["Shown"])
    link = article.article_tags.get()
    link.state = "suggested"
    link.save()
    assert "Shown" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.WITHDRAWN])
def test_unpublished_articles_are_404(client, status):
    article = ArticleFactory(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.headline not in client.get("/").content.decode()


def test_scheduled_articles_are_404_until_their_time(client):
    article = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_slug_is_404(client):
    assert client.get("/news/no-such-story/").status_code == 404


def test_headline_edit_moves_the_slug_and_the_old_slug_redirects(client):
    article = ArticleFactory(headline="Talks collapse in Geneva")
    old_url = article.get_absolute_url()
    article.headline = "Talks resume in Geneva"
    article.save()
    assert article.slug == "talks-resume-in-geneva"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/news/talks-resume-in-geneva/"
    assert SlugRedirect.objects.filter(old_slug="talks-collapse-in-geneva").exists()


def test_a_new_article_never_takes_a_former_slug():
    article = ArticleFactory(headline="Storm hits coast")
    article.headline = "Storm hits the coast hard"
    article.save()
    newcomer = ArticleFactory(headline="Storm hits coast")
    assert newcomer.slug == "storm-hits-coast-2"


def test_front_page_lists_latest_first_and_paginates(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    now = timezone.now()
    for hours, name in [(3, "Oldest"), (2, "Middle"), (1, "Newest")]:
        ArticleFactory(headline=f"{name} story", published_at=now - timedelta(hours=hours))
    first = client.get("/").content.decode()
    assert first.index("Newest story") < first.index("Middle story")
    assert "Oldest story" not in first
    second = client.get("/?page=2").content.decode()
    assert "Oldest story" in second
    assert client.get("/?page=abc").status_code == 200


def test_source_page_lists_only_that_sources_stories(client):
    reuters = SourceFactory(name="Reuters", slug="reuters")
    ArticleFactory(headline="From Reuters", source=reuters)
    ArticleFactory(headline="From elsewhere")
    html = client.get(reverse("articles:source", args=["reuters"])).content.decode()
    assert "From Reuters" in html
    assert "From elsewhere" not in html


def test_front_page_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries):
    for n in range(15):
        ArticleFactory(tag_names=[f"Tag {n}", "Shared"])
    with django_assert_max_num_queries(4):
        client.get("/")


def test_loaddemo_imports_the_demo_stories_once():
    call_command("loaddemo", stdout=__import__("io").StringIO())
    count = Article.objects.count()
    assert count >= 6
    call_command("loaddemo", stdout=__import__("io").StringIO())
    assert Article.objects.count() == count
