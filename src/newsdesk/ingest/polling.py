"""Polling one feed: conditional GET, new entries to articles, health and back-off.

A 304 writes nothing but the fetch time. A failure bumps error_count, logs the message
and schedules the next try at every * 2**errors minutes (capped); the first success
resets it. One bad entry is logged and skipped; the others still arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from newsdesk.articles.services import StoryInput
from newsdesk.ingest.extract import ExtractionError, extract_html
from newsdesk.ingest.feeds_parse import FeedEntry, FeedError, entry_needs_fetch, parse_feed
from newsdesk.ingest.fetch import FetchError, fetch
from newsdesk.ingest.htmltext import html_to_paragraphs
from newsdesk.ingest.importer import ImportFailed, story_from_page
from newsdesk.ingest.models import Feed, FeedErrorLog, FeedItem
from newsdesk.ingest.services import SimhashIndex, ingest_story

MAX_ENTRIES_PER_POLL = 200
ERROR_MESSAGE_MAX = 1000


@dataclass
class PollResult:
    status: str  # new | not_modified | failed
    taken: int = 0
    entry_errors: list[str] = field(default_factory=list)
    error: str = ""


def backoff_minutes(every: int, errors: int) -> int:
    """Minutes to the next try after `errors` failures in a row."""
    return min(every * 2 ** min(errors, 30), max(every, settings.INGEST_FEED_MAX_BACKOFF_MINUTES))


def due_feeds(now: datetime | None = None):
    now = now or timezone.now()
    return Feed.objects.filter(active=True).filter(
        Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now)
    )


def _log_error(feed: Feed, message: str) -> None:
    FeedErrorLog.objects.create(feed=feed, message=message[:ERROR_MESSAGE_MAX])


def _record_failure(feed: Feed, message: str, now: datetime) -> PollResult:
    errors = feed.error_count + 1
    Feed.objects.filter(pk=feed.pk).update(
        last_fetched_at=now,
        last_error=message[:ERROR_MESSAGE_MAX],
        error_count=errors,
        next_fetch_at=now + timedelta(minutes=backoff_minutes(feed.every_minutes, errors)),
    )
    _log_error(feed, message)
    return PollResult("failed", error=message)


def story_from_entry(entry: FeedEntry, feed: Feed) -> StoryInput:
    """The entry's own full text, else the linked page fetched and extracted."""
    source_name = feed.source.name if feed.source_id else None
    if not entry_needs_fetch(entry):
        paragraphs = html_to_paragraphs(entry.content_html or "")
        if not entry.title:
            raise ImportFailed("entry has no title")
        return StoryInput(
            headline=entry.title[:300],
            body="\n\n".join(paragraphs),
            source_name=source_name,
            tags=entry.tags[:30],
            authors=[entry.author[:200]] if entry.author else [],
            published_at=entry.published,
            canonical_url=(entry.link or "")[:1000],
        )
    if not entry.link:
        raise ImportFailed("entry has only a summary and no link to fetch")
    try:
        page = extract_html(fetch(entry.link).body, url=entry.link)
    except (FetchError, ExtractionError) as error:
        raise ImportFailed(f"{entry.link}: {error}") from error
    page.title = page.title or entry.title
    story = story_from_page(page)
    story.source_name = source_name or story.source_name
    story.published_at = story.published_at or entry.published
    story.tags = story.tags or entry.tags[:30]
    if entry.author and not story.authors:
        story.authors = [entry.author[:200]]
    return story


def _take_entries(feed: Feed, entries: list[FeedEntry]) -> tuple[int, list[str]]:
    seen = set(
        FeedItem.objects.filter(feed=feed, guid__in=[e.guid[:1000] for e in entries]).values_list(
            "guid", flat=True
        )
    )
    fresh = [e for e in entries if e.guid[:1000] not in seen][:MAX_ENTRIES_PER_POLL]
    if not fresh:
        return 0, []
    index = SimhashIndex()
    taken, errors = 0, []
    for entry in fresh:
        try:
            story = story_from_entry(entry, feed)
            with transaction.atomic():
                result = ingest_story(story, index)
                FeedItem.objects.create(feed=feed, guid=entry.guid[:1000], article=result.article)
                Feed.objects.filter(pk=feed.pk).update(items_taken=F("items_taken") + 1)
            taken += 1
        except (ImportFailed, ValidationError) as error:
            errors.append(f"entry {entry.guid[:200]}: {error}")
    return taken, errors


def poll_feed(feed: Feed, now: datetime | None = None) -> PollResult:
    """Fetch the feed if it changed, take its new entries, and record the feed's health."""
    now = now or timezone.now()
    try:
        response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as error:
        return _record_failure(feed, str(error), now)
    healthy = {
        "last_fetched_at": now,
        "error_count": 0,
        "last_error": "",
        "next_fetch_at": now + timedelta(minutes=feed.every_minutes),
    }
    if response.not_modified:
        Feed.objects.filter(pk=feed.pk).update(**healthy)
        return PollResult("not_modified")
    try:
        parsed = parse_feed(response.body, base_url=response.url)
    except FeedError as error:
        return _record_failure(feed, str(error), now)
    taken, entry_errors = _take_entries(feed, parsed.entries)
    for message in entry_errors:
        _log_error(feed, message)
    Feed.objects.filter(pk=feed.pk).update(
        etag=response.etag, last_modified=response.last_modified, **healthy
    )
    return PollResult("new", taken=taken, entry_errors=entry_errors)


def claim_due_feeds(now: datetime | None = None) -> list[int]:
    """Ids of due feeds, each pushed one interval ahead so the next tick does not re-queue it
    while its poll is still waiting; the poll then sets the real next time."""
    now = now or timezone.now()
    claimed = []
    for feed_id, every in due_feeds(now).values_list("id", "every_minutes"):
        moved = (
            due_feeds(now).filter(pk=feed_id).update(next_fetch_at=now + timedelta(minutes=every))
        )
        if moved:
            claimed.append(feed_id)
    return claimed
