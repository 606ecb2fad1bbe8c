"""What the index holds for an article: its text, cleaned, in four fields."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from newsdesk.articles.models import Article, ArticleTag
from newsdesk.search.snippets import clean_text


@dataclass(frozen=True)
class Document:
    article_id: int
    headline: str
    body: str
    tags: str
    source: str
    published_at: datetime
    source_id: int | None


def is_indexable(article: Article) -> bool:
    # Scheduled stories are indexed now; searches hide them until published_at passes.
    return article.status == Article.Status.PUBLISHED


def document_for(article: Article) -> Document:
    tag_names = ArticleTag.objects.filter(
        article_id=article.pk, state=ArticleTag.State.ACCEPTED
    ).values_list("tag__name", flat=True)
    source_name = article.source.name if article.source_id else ""
    return _document(
        article.pk,
        article.headline,
        article.body,
        tag_names,
        source_name,
        article.published_at,
        article.source_id,
    )


def documents_in_batches(batch_size: int = 1000) -> Iterator[list[Document]]:
    """Every indexable article as documents, a batch at a time (for a rebuild)."""
    ids = list(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        tags: dict[int, list[str]] = {}
        for article_id, name in ArticleTag.objects.filter(
            article_id__in=chunk, state=ArticleTag.State.ACCEPTED
        ).values_list("article_id", "tag__name"):
            tags.setdefault(article_id, []).append(name)
        rows = Article.objects.filter(pk__in=chunk).values_list(
            "pk", "headline", "body", "source__name", "published_at", "source_id"
        )
        yield [
            _document(pk, headline, body, tags.get(pk, []), source or "", published_at, source_id)
            for pk, headline, body, source, published_at, source_id in rows
        ]


def _document(
    pk: int,
    headline: str,
    body: str,
    tags: Iterable[str],
    source: str,
    published_at: datetime,
    source_id: int | None,
) -> Document:
    return Document(
        article_id=pk,
        headline=clean_text(headline),
        body=clean_text(body),
        tags=clean_text(" · ".join(sorted(tags))),
        source=clean_text(source),
        published_at=published_at,
        source_id=source_id,
    )
