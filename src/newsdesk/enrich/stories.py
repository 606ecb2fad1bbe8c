"""Related articles and developing stories, computed after an article is enriched.

Candidates are the articles sharing a salient entity with this one; each is scored by
shared entities and shared vocabulary (``related.relatedness``). The best become
"related stories" (stored both ways, so the article page reads them in one query);
a candidate close enough in score and time puts both articles in one developing story.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Max, Min

from newsdesk.articles.models import Article
from newsdesk.articles.slugs import unique_slug
from newsdesk.enrich.models import (
    ArticleEnrichment,
    ArticleEntity,
    RelatedArticle,
    Story,
    StoryArticle,
)
from newsdesk.enrich.related import relatedness

CANDIDATE_LIMIT = 300  # most recent articles sharing an entity that are scored
KEEP_RELATED = 10  # links stored per article (the page shows 5)
RELATED_MIN_SCORE = 0.15
STORY_MIN_SCORE = 0.5
_ENTITY_FLOOR = 0.2  # an entity this peripheral does not make articles candidates


def _entity_vectors(article_ids) -> dict[int, dict[int, float]]:
    vectors: dict[int, dict[int, float]] = {}
    rows = ArticleEntity.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "entity_id", "salience"
    )
    for article_id, entity_id, salience in rows:
        vectors.setdefault(article_id, {})[entity_id] = salience
    return vectors


def score_candidates(article: Article) -> list[tuple[int, float]]:
    """(article id, relatedness) of the best-matching other articles, best first."""
    own = _entity_vectors([article.pk]).get(article.pk, {})
    salient = [eid for eid, s in own.items() if s >= _ENTITY_FLOOR]
    if not salient:
        return []
    candidate_ids = list(
        ArticleEntity.objects.filter(entity_id__in=salient, salience__gte=_ENTITY_FLOOR)
        .exclude(article_id=article.pk)
        .values_list("article_id", flat=True)
        .order_by("-article__published_at")
        .distinct()[:CANDIDATE_LIMIT]
    )
    vectors = _entity_vectors(candidate_ids)
    words = dict(
        ArticleEnrichment.objects.filter(article_id__in=[article.pk, *candidate_ids]).values_list(
            "article_id", "keywords"
        )
    )
    own_words = words.get(article.pk, {})
    scored = [
        (cid, relatedness(own, vectors.get(cid, {}), own_words, words.get(cid, {})))
        for cid in candidate_ids
    ]
    scored = [(cid, score) for cid, score in scored if score >= RELATED_MIN_SCORE]
    scored.sort(key=lambda pair: (-pair[1], -pair[0]))
    return scored[:KEEP_RELATED]


def store_related(article: Article, scored: list[tuple[int, float]]) -> None:
    RelatedArticle.objects.filter(article=article).delete()
    RelatedArticle.objects.filter(related=article).delete()
    links = []
    for cid, score in scored:
        links.append(RelatedArticle(article_id=article.pk, related_id=cid, score=score))
        links.append(RelatedArticle(article_id=cid, related_id=article.pk, score=score))
    RelatedArticle.objects.bulk_create(links, ignore_conflicts=True)


def _refresh_dates(story: Story) -> None:
    span = story.memberships.aggregate(
        first=Min("article__published_at"), last=Max("article__published_at")
    )
    story.first_seen, story.last_seen = span["first"], span["last"]
    story.save(update_fields=["first_seen", "last_seen"])


def _leave_story(article: Article) -> None:
    membership = StoryArticle.objects.filter(article=article).select_related("story").first()
    if membership is None:
        return
    story = membership.story
    membership.delete()
    if story.memberships.count() < 2:
        story.delete()  # a story of one article is no story
    else:
        _refresh_dates(story)


def group_into_story(article: Article, scored: list[tuple[int, float]]) -> Story | None:
    """Put the article in the developing story of its closest recent match, if any."""
    _leave_story(article)
    window = timedelta(days=settings.ENRICH_STORY_WINDOW_DAYS)
    close = [cid for cid, score in scored if score >= STORY_MIN_SCORE]
    dates = dict(Article.objects.filter(pk__in=close).values_list("pk", "published_at"))
    close = [cid for cid in close if abs(dates[cid] - article.published_at) <= window]
    if not close:
        return None
    partner_id = close[0]
    membership = StoryArticle.objects.filter(article_id=partner_id).select_related("story").first()
    if membership is not None:
        story = membership.story
    else:
        partner = Article.objects.get(pk=partner_id)
        first = min((article, partner), key=lambda a: a.published_at)
        story = Story.objects.create(
            title=first.headline,
            slug=unique_slug(first.headline, Story),
            first_seen=first.published_at,
            last_seen=max(article.published_at, partner.published_at),
        )
        StoryArticle.objects.create(story=story, article=partner)
    StoryArticle.objects.create(story=story, article=article)
    _refresh_dates(story)
    return story


def update_related_and_story(article: Article) -> Story | None:
    scored = score_candidates(article)
    store_related(article, scored)
    return group_into_story(article, scored)
