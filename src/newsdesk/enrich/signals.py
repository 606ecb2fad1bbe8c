"""Enqueue enrichment when an article is created or its headline or body changes."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def article_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not settings.ENRICH_ENABLED:
        return  # fixtures load raw; a site may switch automatic enrichment off
    update_fields = kwargs.get("update_fields")
    if update_fields and not {"headline", "body"} & set(update_fields):
        return  # e.g. a status change: nothing enrichment reads has changed
    from newsdesk.enrich.services import needs_enrichment

    # Enrichment never saves the Article itself, so this cannot recurse; the content
    # hash also makes a second save of the same text a no-op.
    if created or needs_enrichment(instance):
        transaction.on_commit(partial(_enqueue, instance.pk))


def _enqueue(article_id: int) -> None:
    from newsdesk.enrich.tasks import enrich_article_task

    try:
        enrich_article_task.enqueue(article_id)
    except Exception:  # the article is saved either way; enrichment can be re-run
        logger.exception("Could not enqueue enrichment of article %s", article_id)
