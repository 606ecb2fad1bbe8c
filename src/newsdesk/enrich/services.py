"""Enriching an article: entities, automatic tags, quotes, related articles, stories.

``enrich_article`` is the one code path: the background task, the ``enrich`` command
and the tests call it. It never changes a tag link an editor or an import made, and
never brings back a suggestion an editor rejected.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from newsdesk.articles.models import Article, ArticleTag
from newsdesk.articles.services import get_or_create_tag
from newsdesk.articles.slugs import unique_slug
from newsdesk.enrich import entities as ner
from newsdesk.enrich.models import (
    ArticleEnrichment,
    ArticleEntity,
    Entity,
    EntityAlias,
    Quote,
    normalise_alias,
)
from newsdesk.enrich.quotes import extract_quotes
from newsdesk.enrich.recogniser import cached_known_names
from newsdesk.enrich.related import keyword_vector
from newsdesk.enrich.stories import update_related_and_story
from newsdesk.site.pagecache import bump_content_version

logger = logging.getLogger(__name__)

# At most this many visible tags of one kind, so a story about places still shows its people.
_MAX_VISIBLE_SHARE = 0.6
# A name only the model vouches for, one word long ("Chipmaker" at a headline's start),
# is no more than a suggestion; the alias tables, the gazetteer or a full name are.
_VISIBLE_MIN_CONFIDENCE = 0.7


@dataclass
class EnrichResult:
    entities: int
    accepted_tags: int
    suggested_tags: int
    quotes: int


def content_hash(article: Article) -> str:
    return hashlib.sha256(f"{article.headline}\x1f{article.body}".encode()).hexdigest()


def needs_enrichment(article: Article) -> bool:
    """True unless this exact headline and body were enriched already."""
    done = ArticleEnrichment.objects.filter(article=article).values_list("content_hash", flat=True)
    return content_hash(article) not in list(done)


def choose_tags(found: list[ner.Entity]) -> tuple[list[ner.Entity], list[ner.Entity]]:
    """(visible, suggested): the top salient entities become visible tags, with no kind
    taking more than its share; the rest above the suggestion floor are suggestions."""
    limit = settings.ENRICH_VISIBLE_TAGS
    per_kind = max(1, round(limit * _MAX_VISIBLE_SHARE))
    ranked = sorted(found, key=lambda e: (-e.salience, -e.mentions, e.name))
    visible: list[ner.Entity] = []
    kinds: dict[str, int] = {}
    for entity in ranked:
        if len(visible) >= limit or entity.salience < settings.ENRICH_MIN_SALIENCE:
            break
        if entity.confidence < _VISIBLE_MIN_CONFIDENCE:
            continue
        if kinds.get(entity.kind, 0) < per_kind:
            visible.append(entity)
            kinds[entity.kind] = kinds.get(entity.kind, 0) + 1
    suggested = [
        e for e in ranked if e not in visible and e.salience >= settings.ENRICH_SUGGEST_MIN_SALIENCE
    ]
    return visible, suggested


def canonical_entities(found: list[ner.Entity]) -> dict[str, Entity]:
    """The stored Entity for each recognised name (created with its tag when new),
    with every surface form recorded as an alias."""
    forms = {normalise_alias(f): e for e in found for f in (e.name, *e.aliases)}
    by_alias = {
        a.alias: a.entity
        for a in EntityAlias.objects.filter(alias__in=forms).select_related("entity")
    }
    stored: dict[str, Entity] = {}
    for e in found:
        entity = by_alias.get(normalise_alias(e.name))
        if entity is None:
            entity = Entity.objects.filter(name__iexact=e.name, kind=e.kind).first()
        if entity is None:
            entity = Entity.objects.create(
                name=e.name,
                kind=e.kind,
                slug=unique_slug(e.name, Entity),
                tag=get_or_create_tag(e.name, e.kind),
            )
        elif entity.tag_id is None:
            entity.tag = get_or_create_tag(entity.name, entity.kind)
            entity.save(update_fields=["tag"])
        stored[e.name] = entity
    new_aliases = [
        EntityAlias(alias=form, entity=stored[e.name], automatic=True)
        for form, e in forms.items()
        if form not in by_alias
    ]
    EntityAlias.objects.bulk_create(new_aliases, ignore_conflicts=True)
    return stored


def apply_tags(
    article: Article,
    visible: list[ner.Entity],
    suggested: list[ner.Entity],
    stored: dict[str, Entity],
) -> tuple[int, int]:
    """Write automatic tag links; editor/import links and rejections are left alone."""
    links = {link.tag_id: link for link in ArticleTag.objects.filter(article=article)}
    wanted: dict[int, tuple[str, float]] = {}
    for state, group in (
        (ArticleTag.State.ACCEPTED, visible),
        (ArticleTag.State.SUGGESTED, suggested),
    ):
        for e in group:
            tag_id = stored[e.name].tag_id
            if tag_id is not None and tag_id not in wanted:
                wanted[tag_id] = (
                    state,
                    round(min(1.0, max(0.0, e.confidence * (0.5 + e.salience / 2))), 3),
                )
    stale = [
        link.pk
        for tag_id, link in links.items()
        if link.origin == ArticleTag.Origin.AUTOMATIC
        and link.state != ArticleTag.State.REJECTED
        and tag_id not in wanted
    ]
    ArticleTag.objects.filter(pk__in=stale).delete()
    create, update = [], []
    for tag_id, (state, confidence) in wanted.items():
        link = links.get(tag_id)
        if link is None:
            create.append(
                ArticleTag(
                    article=article,
                    tag_id=tag_id,
                    origin=ArticleTag.Origin.AUTOMATIC,
                    state=state,
                    confidence=confidence,
                )
            )
        elif link.origin == ArticleTag.Origin.AUTOMATIC and link.state != ArticleTag.State.REJECTED:
            link.state, link.confidence = state, confidence
            update.append(link)
    ArticleTag.objects.bulk_create(create, ignore_conflicts=True)
    ArticleTag.objects.bulk_update(update, ["state", "confidence"])
    accepted = sum(1 for s, _ in wanted.values() if s == ArticleTag.State.ACCEPTED)
    return accepted, len(wanted) - accepted


@transaction.atomic
def enrich_article(article: Article, recogniser: ner.Recogniser) -> EnrichResult:
    """Recognise, canonicalise and store everything enrichment knows about one article."""
    found = recogniser.entities(article.headline, article.body, known=cached_known_names())
    stored = canonical_entities(found)

    ArticleEntity.objects.filter(article=article).delete()
    ArticleEntity.objects.bulk_create(
        [
            ArticleEntity(
                article=article,
                entity=stored[e.name],
                salience=min(1.0, max(0.0, e.salience)),
                mentions=max(1, e.mentions),
            )
            for e in {stored[e.name].pk: e for e in reversed(found)}.values()
        ]
    )

    quotes = extract_quotes(article.body, found)
    Quote.objects.filter(article=article).delete()
    Quote.objects.bulk_create(
        [
            Quote(
                article=article,
                text=q.text.strip().rstrip(",").rstrip(),  # "...words," reads as "...words"
                speaker=stored.get(q.speaker) if q.speaker else None,
                position=q.start,
            )
            for q in quotes
        ]
    )

    visible, suggested = choose_tags(found)
    accepted, suggested_count = apply_tags(article, visible, suggested, stored)

    keywords = keyword_vector(article.headline, article.body)
    ArticleEnrichment.objects.update_or_create(
        article=article,
        defaults={
            "content_hash": content_hash(article),
            "model_name": settings.ENRICH_SPACY_MODEL,
            "keywords": keywords,
        },
    )
    update_related_and_story(article)
    bump_content_version()  # bulk writes send no signals: cached pages must still change
    return EnrichResult(len(stored), accepted, suggested_count, len(quotes))


def accept_suggestions(links) -> int:
    """An editor accepts suggested tags: they become visible and the editor's own."""
    count = links.filter(state=ArticleTag.State.SUGGESTED).update(
        state=ArticleTag.State.ACCEPTED, origin=ArticleTag.Origin.EDITOR
    )
    bump_content_version()
    return count


def reject_suggestions(links) -> int:
    """An editor rejects automatic tags: kept as rejected so they are never suggested again."""
    count = links.filter(origin=ArticleTag.Origin.AUTOMATIC).update(state=ArticleTag.State.REJECTED)
    bump_content_version()
    return count
