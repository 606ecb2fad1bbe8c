"""Background enrichment: one task per article, run by the tasks backend's worker."""

from __future__ import annotations

import logging

from django_tasks import task

from newsdesk.articles.models import Article
from newsdesk.enrich.recogniser import get_recogniser
from newsdesk.enrich.services import enrich_article, needs_enrichment

logger = logging.getLogger(__name__)


@task()
def enrich_article_task(article_id: int) -> bool:
    """Enrich one article if its content changed since the last run; False if skipped."""
    recogniser = get_recogniser()
    if recogniser is None:
        return False  # get_recogniser logged why, once per process
    article = Article.objects.filter(pk=article_id).first()
    if article is None or not needs_enrichment(article):
        return False
    enrich_article(article, recogniser)
    return True
