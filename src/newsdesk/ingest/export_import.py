"""Moving from WordPress or Disqus: posts become articles, comments become comments
(threading, dates, approval and spam status kept), spam feeds the training set.

Each post (with its comments) or Disqus thread is one transaction; comments are
remembered by their original id (ImportedComment), so re-importing is a no-op.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import Resolver404, resolve

from newsdesk.articles.models import Article
from newsdesk.articles.services import StoryInput, resolve_slug
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment
from newsdesk.ingest.exports import ExportComment, parse_disqus, parse_wxr
from newsdesk.ingest.htmltext import html_to_markdown
from newsdesk.ingest.models import ImportedComment, TrainingExample
from newsdesk.ingest.services import SimhashIndex, ingest_story

GUEST_NAME_MAX = 80


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value if len(value) <= 254 else ""


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _in_thread_order(comments: list[ExportComment]) -> list[ExportComment]:
    """Parents before their replies, whatever order the export lists them in."""
    by_id = {c.id: c for c in comments}
    placed: set[str] = set()
    ordered: list[ExportComment] = []

    def place(comment: ExportComment, seen: frozenset) -> None:
        if comment.id in placed:
            return
        parent = by_id.get(comment.parent_id or "")
        if parent is not None and parent.id not in seen:
            place(parent, seen | {comment.id})
        placed.add(comment.id)
        ordered.append(comment)

    for comment in sorted(comments, key=lambda c: (c.created_at is None, c.created_at or 0, c.id)):
        place(comment, frozenset({comment.id}))
    return ordered


def import_comments(article: Article, comments: list[ExportComment], origin: str) -> Counter:
    """Create the comments not imported before; returns counts by status (and 'existing')."""
    counts: Counter = Counter()
    keys = {c.id: f"{origin}:{c.id}" for c in comments}
    known = dict(
        ImportedComment.objects.filter(origin_key__in=keys.values()).values_list(
            "origin_key", "comment_id"
        )
    )
    created_ids: dict[str, int] = {}
    for comment in _in_thread_order(comments):
        key = keys[comment.id]
        if key in known:
            created_ids[comment.id] = known[key]
            counts["existing"] += 1
            continue
        body = html_to_markdown(comment.body_html) or "(empty)"
        parent_id = created_ids.get(comment.parent_id or "")
        row = Comment.objects.create(
            article=article,
            parent_id=parent_id,
            guest_name=(" ".join(comment.author_name.split()) or "Anonymous")[:GUEST_NAME_MAX],
            guest_email=_valid_email(comment.author_email),
            body=body,
            body_html=render_comment(body),
            status=comment.status,
            ip_address=_valid_ip(comment.ip_address),
        )
        if comment.created_at:  # created_at is auto_now_add: the original date is set after
            Comment.objects.filter(pk=row.pk).update(created_at=comment.created_at)
        ImportedComment.objects.create(origin_key=key, comment=row)
        if comment.status == Comment.Status.SPAM:
            TrainingExample.objects.create(
                text=body, label=TrainingExample.Label.SPAM, origin=origin.split(":")[0]
            )
        created_ids[comment.id] = row.pk
        counts[comment.status] += 1
    published = Comment.objects.filter(article=article, status=Comment.Status.PUBLISHED).count()
    Article.objects.filter(pk=article.pk).update(comment_count=published)
    return counts


def _describe(kind: str, stories: Counter, comments: Counter, extra: str = "") -> str:
    new_comments = sum(v for k, v in comments.items() if k != "existing")
    parts = [
        f"{kind}: {sum(stories.values())} posts ({stories['imported']} new, "
        f"{stories['updated']} updated, {stories['unchanged']} unchanged)",
        f"{new_comments} comments imported ({comments['spam']} spam, "
        f"{comments['pending']} pending), {comments['existing']} already there",
    ]
    return "; ".join(parts) + (f"; {extra}" if extra else "")


def import_wordpress(data: bytes, index: SimhashIndex | None = None) -> tuple[str, str]:
    """Import a WXR file; returns (outcome, one-line description)."""
    export = parse_wxr(data)
    index = index if index is not None else SimhashIndex()
    site = urlsplit(export.site_link).netloc or export.site_title or "wordpress"
    stories: Counter = Counter()
    comments: Counter = Counter()
    failed = 0
    for post in export.posts:
        if not post.title.strip() or not post.paragraphs:
            failed += 1
            continue
        story = StoryInput(
            headline=post.title[:300],
            body="\n\n".join(post.paragraphs),
            source_name=export.site_title or None,
            tags=post.tags[:30],
            authors=post.authors,
            published_at=post.published_at,
            canonical_url=post.link[:1000],
            status=Article.Status.PUBLISHED if post.is_published else Article.Status.DRAFT,
        )
        try:
            with transaction.atomic():
                result = ingest_story(story, index)
                origin = f"wordpress:{site}:{post.id}"
                comments += import_comments(result.article, post.comments, origin)
        except ValidationError:  # e.g. a post whose text is only markup
            failed += 1
            continue
        stories[result.outcome] += 1
    extra = f"{failed} posts without a usable title or text skipped" if failed else ""
    outcome = (
        "imported" if stories["imported"] else "updated" if stories["updated"] else "unchanged"
    )
    return outcome, _describe("WordPress export", stories, comments, extra)


def _url_variants(link: str) -> list[str]:
    parts = urlsplit(link.strip())
    path = parts.path or "/"
    paths = {path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/"}
    return [
        urlunsplit((scheme, parts.netloc, p, parts.query, ""))
        for scheme in ("http", "https")
        for p in paths
    ]


def article_for_url(link: str) -> Article | None:
    """The article a Disqus thread belongs to: by canonical URL, else by our own URL path."""
    if not link:
        return None
    article = Article.objects.filter(canonical_url__in=_url_variants(link)).order_by("id").first()
    if article is not None:
        return article
    try:
        match = resolve(urlsplit(link).path or "/")
    except Resolver404:
        return None
    if match.view_name != "articles:detail":
        return None
    found, moved_to = resolve_slug(match.kwargs["slug"])
    return found or (Article.objects.filter(slug=moved_to).first() if moved_to else None)


def import_disqus(data: bytes) -> tuple[str, str]:
    export = parse_disqus(data)
    comments: Counter = Counter()
    unmatched = 0
    for thread in export.threads:
        if not thread.comments:
            continue
        article = article_for_url(thread.link)
        if article is None:
            unmatched += 1
            continue
        with transaction.atomic():
            comments += import_comments(article, thread.comments, f"disqus:{thread.id}")
    new = sum(v for k, v in comments.items() if k != "existing")
    description = (
        f"Disqus export: {new} comments imported ({comments['spam']} spam), "
        f"{comments['existing']} already there; {unmatched} threads matched no article"
    )
    return ("imported" if new else "unchanged"), description
