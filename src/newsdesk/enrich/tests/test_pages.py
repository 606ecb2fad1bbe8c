"""The person page, the story timeline and the article page's enrichment block."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.enrich.models import Entity, RelatedArticle, Story, StoryArticle
from newsdesk.enrich.services import enrich_article
from newsdesk.enrich.tests.conftest import FakeRecogniser, entity

pytestmark = pytest.mark.django_db

ZELENSKYY = entity("Volodymyr Zelenskyy", aliases={"Zelenskyy"})


def test_person_page_lists_stories_and_quotes_newest_first(client, enrich_settings):
    old = ArticleFactory(
        headline="Old talks", body='"We are ready," Zelenskyy said.',
        published_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    new = ArticleFactory(headline="New talks", body='"Actions speak louder," Zelenskyy wrote.')
    draft = ArticleFactory(headline="Draft talks", body='"Secret," Zelenskyy said.', status="draft")
    for article in (old, new, draft):
        enrich_article(article, FakeRecogniser(ZELENSKYY))
    person = Entity.objects.get(name="Volodymyr Zelenskyy")

    response = client.get(reverse("enrich:person", args=[person.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Volodymyr Zelenskyy" in html
    assert html.index("Actions speak louder") < html.index("We are ready")
    assert html.index("New talks") < html.index("Old talks")
    assert "Secret" not in html and "Draft talks" not in html


def test_place_entity_pages_are_their_tag_pages(client, enrich_settings):
    enrich_article(ArticleFactory(), FakeRecogniser(entity("Kyiv", "place")))
    kyiv = Entity.objects.get(name="Kyiv")
    response = client.get(reverse("enrich:person", args=[kyiv.slug]))
    assert response.status_code == 302 and response.url == kyiv.tag.get_absolute_url()


def test_article_page_shows_quotes_with_speaker_links_and_related_stories(
    client, enrich_settings, django_assert_max_num_queries
):
    earlier = ArticleFactory(
        headline="Earlier: Zelenskyy in London", body="Zelenskyy went to London."
    )
    article = ArticleFactory(headline="Zelenskyy speaks", body='"We are ready," Zelenskyy said.')
    enrich_article(earlier, FakeRecogniser(ZELENSKYY))
    enrich_article(article, FakeRecogniser(ZELENSKYY))
    person = Entity.objects.get(name="Volodymyr Zelenskyy")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "“We are ready”" in html
    assert f'href="{reverse("enrich:person", args=[person.slug])}"' in html
    assert "Related stories" in html and "Earlier: Zelenskyy in London" in html
    assert "Volodymyr Zelenskyy" in html  # the visible automatic tag


def test_extras_take_three_queries_however_many_quotes_and_related_articles(
    enrich_settings, django_assert_num_queries
):
    from django.template import Context, Template

    template = Template("{% load enrich_tags %}{% article_extras article %}")
    article = ArticleFactory(body='"Yes," Zelenskyy said. "No," Zelenskyy said. "Maybe."')
    enrich_article(article, FakeRecogniser(ZELENSKYY))
    for n in range(6):
        other = ArticleFactory(headline=f"More about Zelenskyy {n}")
        RelatedArticle.objects.create(article=article, related=other, score=0.5)
    with django_assert_num_queries(3):  # quotes + speakers, related + sources, story
        html = template.render(Context({"article": article}))
    assert html.count("<blockquote>") == 3
    assert "More about Zelenskyy 5" in html


def test_related_stories_are_at_most_five_best_first_newer_first_among_equals(enrich_settings):
    from newsdesk.enrich.templatetags.enrich_tags import article_extras

    article = ArticleFactory()
    now = timezone.now()
    others = [ArticleFactory(published_at=now - timedelta(days=n)) for n in range(7)]
    for n, other in enumerate(others):
        RelatedArticle.objects.create(article=article, related=other, score=0.9 if n == 6 else 0.5)
    hidden = ArticleFactory(status="draft")
    RelatedArticle.objects.create(article=article, related=hidden, score=1.0)
    related = article_extras(article)["related"]
    assert related == [others[6], *others[:4]]


def test_story_page_lists_the_articles_by_date(client):
    now = timezone.now()
    second = ArticleFactory(headline="Day two", published_at=now)
    first = ArticleFactory(headline="Day one", published_at=now - timedelta(days=1))
    story = Story.objects.create(
        title="Truce talks", slug="truce-talks", first_seen=now, last_seen=now
    )
    for a in (second, first):
        StoryArticle.objects.create(story=story, article=a)
    html = client.get(reverse("enrich:story", args=["truce-talks"])).content.decode()
    assert html.index("Day one") < html.index("Day two")
    by_id = client.get(reverse("enrich:story", args=[str(story.pk)]))
    assert by_id.status_code == 301 and by_id.url == "/stories/truce-talks/"
    assert client.get("/stories/no-such-story/").status_code == 404


def test_article_page_links_its_developing_story(client):
    article = ArticleFactory()
    now = timezone.now()
    story = Story.objects.create(
        title="Truce talks", slug="truce-talks", first_seen=now, last_seen=now
    )
    StoryArticle.objects.create(story=story, article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/stories/truce-talks/"' in html


def test_article_page_without_enrichment_renders(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Related stories" not in response.content.decode()
    assert Article.objects.count() == 1
