import pytest
from django.template import Context, Template

from newsdesk.articles.models import Article
from newsdesk.articles.services import StoryInput
from newsdesk.ingest.models import ArticleFingerprint, StoryGroup
from newsdesk.ingest.services import also_reported_by, ingest_story
from newsdesk.ingest.tests.helpers import story_text

pytestmark = pytest.mark.django_db


def story(source, paragraphs, headline="Ceasefire talks resume in the capital"):
    return StoryInput(headline=headline, body="\n\n".join(paragraphs), source_name=source)


def test_the_same_text_arriving_twice_is_one_article():
    first = ingest_story(story("Reuters", story_text(1)))
    again = ingest_story(story("Reuters", story_text(1)))
    assert (first.outcome, again.outcome) == ("imported", "unchanged")
    assert again.article == first.article
    assert Article.objects.count() == 1


def test_wire_copy_with_small_edits_from_other_outlets_is_grouped_as_one_story():
    wire = story_text(2)
    edited = list(wire)
    edited[0] = edited[0].replace(".", " on Tuesday.")
    edited[3] = edited[3] + " Officials declined to comment."
    trimmed = wire[:-1] + ["This story was updated with reaction."]
    original = ingest_story(story("Reuters", wire))
    reprint = ingest_story(story("Harbour Times", edited, headline="Talks resume in capital"))
    another = ingest_story(story("Valley Gazette", trimmed, headline="Capital talks back on"))
    assert Article.objects.count() == 3
    assert original.group is None  # alone until a second version arrives
    assert reprint.group is not None and another.group == reprint.group
    assert StoryGroup.objects.count() == 1
    assert ArticleFingerprint.objects.filter(group=reprint.group).count() == 3
    assert [a.source.name for a in also_reported_by(original.article)] == [
        "Harbour Times",
        "Valley Gazette",
    ]


def test_a_different_story_sharing_one_paragraph_is_not_merged():
    shared = story_text(3, paragraphs=1)[0]
    first = ingest_story(story("Reuters", story_text(4) + [shared], headline="Storm hits coast"))
    second = ingest_story(story("AP", [shared] + story_text(5), headline="Harvest falls short"))
    assert first.group is None and second.group is None
    assert StoryGroup.objects.count() == 0
    assert also_reported_by(first.article) == []


def test_also_reported_by_tag_lists_the_other_published_outlets():
    wire = story_text(6)
    original = ingest_story(story("Reuters", wire)).article
    ingest_story(story("Harbour Times", wire[:-1] + ["Extra local line."], headline="Local take"))
    html = Template("{% load ingest_tags %}{% also_reported_by article %}").render(
        Context({"article": original})
    )
    assert "Also reported by:" in html and ">Harbour Times</a>" in html
    alone = ingest_story(story("AP", story_text(7), headline="Unrelated")).article
    assert (
        Template("{% load ingest_tags %}{% also_reported_by article %}")
        .render(Context({"article": alone}))
        .strip()
        == ""
    )


def test_article_page_lists_the_other_outlets_from_its_own_query(client):
    wire = story_text(8)
    original = ingest_story(story("Reuters", wire)).article
    ingest_story(story("Harbour Times", wire[:-1] + ["A local line."], headline="Local take"))
    alone = ingest_story(story("AP", story_text(9), headline="Unrelated")).article
    for article in (original, alone):
        article.status = Article.Status.PUBLISHED
        article.save()
    Article.objects.filter(source__name="Harbour Times").update(status=Article.Status.PUBLISHED)
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Also reported by:" in page and ">Harbour Times</a>" in page
    assert "Also reported by:" not in client.get(alone.get_absolute_url()).content.decode()
