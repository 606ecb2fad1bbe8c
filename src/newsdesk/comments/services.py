"""Reader discussion as plain functions: post, edit, delete, moderate, recommend.

Views, the API and management commands call these; none of them needs a request.
Every function that moves a comment into or out of the published status adjusts
``Article.comment_count`` by one (``_adjust_comment_count``) inside the same transaction,
with the article row locked, so the count always equals what the page shows without a
``COUNT(*)`` per post; ``refresh_comment_count`` recounts, for repairs and bulk changes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

try:
    import fcntl
except ImportError:  # not on Windows: writers then rely on SQLite's busy timeout alone
    fcntl = None

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import (
    Comment,
    CommentRevision,
    DiscussionSettings,
    Recommendation,
    body_digest_of,
)
from newsdesk.comments.moderator import Candidate, get_moderator
from newsdesk.comments.ratelimit import is_exempt
from newsdesk.comments.signals import comment_was_posted, comment_will_be_posted
from newsdesk.site.locks import advisory_lock_key
from newsdesk.site.pagecache import bump_content_version, bumped_by_caller

T = TypeVar("T")
logger = logging.getLogger(__name__)
EDITABLE_STATUSES = (Comment.Status.PUBLISHED, Comment.Status.PENDING)


@dataclass(frozen=True)
class PostError:
    code: str
    message: str
    field: str = "body"


@dataclass
class PostResult:
    comment: Comment | None = None
    created: bool = False
    status: str = ""
    reasons: list[str] = field(default_factory=list)
    errors: list[PostError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- the count -------------------------------------------------------------------------


def refresh_comment_count(article_id: int) -> int:
    """Set Article.comment_count to the number of published comments, in one UPDATE.

    The article row is locked first (FOR NO KEY UPDATE, which does not conflict with the
    key-share lock that inserting a comment takes), so two concurrent transactions
    recount one after the other and the later one sees the earlier one's comment.
    Plain SQL: this runs inside every writing transaction, so it must be quick (on SQLite
    the whole database is locked meanwhile).
    """
    articles, comments = Article._meta.db_table, Comment._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_article(article_id)
        cursor.execute(
            f"UPDATE {articles} SET comment_count = ("  # noqa: S608 - table names from _meta
            f"SELECT COUNT(*) FROM {comments} WHERE article_id = %s AND status = %s"
            ") WHERE id = %s",
            [article_id, Comment.Status.PUBLISHED.value, article_id],
        )
        cursor.execute(f"SELECT comment_count FROM {articles} WHERE id = %s", [article_id])  # noqa: S608
        row = cursor.fetchone()
        return row[0] if row else 0


def _adjust_comment_count(article_id: int, delta: int) -> int | None:
    """Add ``delta`` (+1 or -1) to the article's count in one statement; return the new count.

    Constant cost, whatever the size of the discussion. A decrement that would go below zero
    means the count was already wrong: recount instead.
    """
    if not delta:
        return None
    articles = Article._meta.db_table
    guard = " AND comment_count > 0" if delta < 0 else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {articles} SET comment_count = comment_count + %s"  # noqa: S608 - _meta
            f" WHERE id = %s{guard} RETURNING comment_count",
            [delta, article_id],
        )
        row = cursor.fetchone()
    if row is None:
        return refresh_comment_count(article_id)
    return row[0]


def _lock_article(article_id: int) -> None:
    # SQLite has no row locks: its IMMEDIATE transactions already hold the write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Article._meta.db_table} WHERE id = %s FOR NO KEY UPDATE",  # noqa: S608 - _meta
                [article_id],
            )


def _lock_same_text(article_id: int, body: str) -> None:
    """Serialise posts of the same text on the same article (a double submit) until
    commit, so the duplicate check cannot miss a twin posted at the same moment.

    PostgreSQL: a transaction-level advisory lock on (article, text), which different
    comments never wait for. SQLite's IMMEDIATE transaction already holds the database.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [advisory_lock_key(f"comment:{article_id}:{body}")]
        )


@contextlib.contextmanager
def _sqlite_writer_queue():
    """On an SQLite file, queue comment writers on a file lock.

    SQLite's busy handler polls with sleeps of up to 100 ms, so under many concurrent
    writers most of the time goes to sleeping while the lock is free. A kernel file lock
    wakes the next writer the moment the previous one commits (and holds across the
    app server's processes). Elsewhere (PostgreSQL, the tests' memory database) a no-op.
    """
    name = str(connection.settings_dict.get("NAME") or "")
    if fcntl is None or connection.vendor != "sqlite" or "memory" in name or not name:
        yield
        return
    with open(f"{name}.writers.lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _retry_when_locked(write: Callable[[], T], attempts: int = 12) -> T:
    """Run ``write`` in a transaction, retrying if SQLite still reports a lock after its
    busy timeout (or at once, for the shared-cache memory database of the tests).

    Inside an outer transaction a retry is impossible, so the error goes up unchanged.
    An error raised after the commit (by an on-commit callback) is logged, not retried:
    the write is done, and repeating it would post the comment twice.
    """
    if connection.in_atomic_block:
        with transaction.atomic():
            return write()
    for attempt in range(attempts):
        committed: list[bool] = []
        try:
            with _sqlite_writer_queue(), transaction.atomic():
                transaction.on_commit(functools.partial(committed.append, True))
                result = write()
            return result
        except OperationalError as exc:
            if committed:
                logger.exception("after-commit work failed")
                return result
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(min(0.005 * 2**attempt, 0.5) * (0.5 + random.random()))
    raise AssertionError("unreachable")


# --- discussion state ------------------------------------------------------------------


# The columns posting reads: visibility, closing, the address, the count. Everything else
# (the body above all: PostgreSQL stores a long one compressed) loads on access, which only
# the rare error page does.
_POSTING_COLUMNS = (
    "id",
    "headline",
    "slug",
    "source_id",
    "status",
    "published_at",
    "comment_count",
)


def article_for_posting(article_id: int) -> Article | None:
    """The article a comment is posted to, with its discussion settings, in one query.

    Hand-written SQL: every post runs this, and the same fetch through the query compiler
    (select_related + defer) costs 0.4 ms of CPU against 0.1 ms here (measured, PostgreSQL).
    Raw SQL still applies each field's database converters (dates on SQLite).
    """
    articles, options = Article._meta.db_table, DiscussionSettings._meta.db_table
    columns = ", ".join(f"a.{name}" for name in _POSTING_COLUMNS)
    found = list(
        Article.objects.raw(
            f"SELECT {columns}, d.id AS options_id, d.closed AS options_closed,"  # noqa: S608 - _meta
            f" d.mode AS options_mode FROM {articles} a"
            f" LEFT JOIN {options} d ON d.article_id = a.id WHERE a.id = %s",
            [article_id],
        )
    )
    if not found:
        return None
    article = found[0]
    row = None
    if article.options_id is not None:
        row = DiscussionSettings(
            id=article.options_id,
            article=article,
            closed=bool(article.options_closed),
            mode=article.options_mode,
        )
        row._state.adding, row._state.db = False, article._state.db
    # Cached either way, so discussion_settings_for() asks the database nothing more.
    Article.discussion_settings.related.set_cached_value(article, row)
    return article


def discussion_settings_for(article: Article) -> DiscussionSettings:
    """The article's settings row, or an unsaved default (open) one."""
    try:
        return article.discussion_settings
    except DiscussionSettings.DoesNotExist:
        return DiscussionSettings(article=article)


def is_closed(article: Article, options: DiscussionSettings | None = None, now=None) -> bool:
    if getattr(settings, "MODERATION_MODE", "post") == "closed":  # the whole site is closed
        return True
    options = options or discussion_settings_for(article)
    if options.closed:
        return True
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    now = now or timezone.now()
    return bool(days) and article.published_at + timedelta(days=days) <= now


def set_closed(article: Article, closed: bool) -> DiscussionSettings:
    options, _ = DiscussionSettings.objects.update_or_create(
        article=article, defaults={"closed": closed}
    )
    return options


def guests_may_post(options: DiscussionSettings) -> bool:
    return settings.COMMENTS_ALLOW_GUESTS and options.mode != DiscussionSettings.Mode.ACCOUNTS_ONLY


# --- posting ---------------------------------------------------------------------------


def validate_body(body: str) -> list[PostError]:
    if not body.strip():
        return [PostError("empty", "Please write something before posting.")]
    limit = settings.COMMENTS_MAX_LENGTH
    if len(body) > limit:
        return [
            PostError(
                "too_long",
                f"Your comment is {len(body):,} characters long; the limit is {limit:,}. "
                "Please shorten it.",
            )
        ]
    return []


def _validate_post(article, body, author, guest_name, guest_email, parent, options):
    errors = validate_body(body)
    if not article.is_public:
        errors.append(PostError("article_unavailable", "This article is not available.", "__all__"))
    if is_closed(article, options):
        errors.append(PostError("closed", "Comments on this article are closed.", "__all__"))
    if author is None:
        if not guests_may_post(options):
            errors.append(PostError("login_required", "Please log in to comment.", "__all__"))
        if not guest_name.strip():
            errors.append(PostError("guest_name", "Please give your name.", "guest_name"))
        try:
            validate_email(guest_email)
        except ValidationError:
            errors.append(
                PostError("guest_email", "Please give a valid e-mail address.", "guest_email")
            )
    if parent is not None and (
        parent.article_id != article.pk or parent.status != Comment.Status.PUBLISHED
    ):
        errors.append(PostError("parent", "You cannot reply to that comment.", "parent"))
    return errors


def same_text_since(
    body: str, since, *, author_id: int | None, guest_email: str, article_id: int | None = None
) -> int | None:
    """The newest live comment with exactly this text by this author (or guest e-mail)
    since ``since``, on ``article_id`` if given: its id, or None.

    Every post asks this twice (double submit, repeated text), inside the write lock for
    the first, so it is one bound SQL statement on the (body_digest, created_at) index
    rather than an ORM query: a fixed cost however busy the discussion is.
    """
    # The comments with this text's digest are found first, then filtered. Left to itself,
    # PostgreSQL without fresh statistics (a new site, or a burst of posts since the last
    # ANALYZE) combined the author_id and article_id indexes instead, and read every
    # comment of the article inside the lock: 8 ms at 22,000 rows, growing with each post.
    # MATERIALIZED keeps the planner from merging the two steps; SQLite keeps to the
    # digest index by itself (and older SQLite has no such keyword).
    # The time bound is a row comparison so that only the (body_digest, created_at) index
    # can serve it, not the one on created_at.
    digest = body_digest_of(body)
    since = Comment._meta.get_field("created_at").get_db_prep_value(since, connection)
    fence = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    table = Comment._meta.db_table
    sql = [
        f"WITH same_digest AS {fence}(SELECT id, created_at, body, status, article_id,"  # noqa: S608 - _meta
        f" author_id, guest_email FROM {table}"
        " WHERE body_digest = %s AND (body_digest, created_at) >= (%s, %s))"
        " SELECT id FROM same_digest WHERE body = %s AND status <> %s",
    ]
    params = [digest, digest, since, body, Comment.Status.DELETED]
    if article_id is not None:
        sql.append("AND article_id = %s")
        params.append(article_id)
    if author_id is not None:
        sql.append("AND author_id = %s")
        params.append(author_id)
    else:
        sql.append("AND author_id IS NULL AND UPPER(guest_email) = UPPER(%s)")
        params.append(guest_email)
    sql.append("ORDER BY created_at DESC LIMIT 1")
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql), params)
        row = cursor.fetchone()
    return row[0] if row else None


def _recent_duplicate(article, body, author, guest_email) -> Comment | None:
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_DOUBLE_SUBMIT_SECONDS)
    found = same_text_since(
        body,
        since,
        author_id=author.pk if author is not None else None,
        guest_email=guest_email,
        article_id=article.pk,
    )
    return Comment.objects.get(pk=found) if found is not None else None


def post_comment(
    article: Article,
    *,
    body: str,
    author=None,
    guest_name: str = "",
    guest_email: str = "",
    parent: Comment | None = None,
    ip: str | None = None,
    user_agent: str = "",
    request=None,
) -> PostResult:
    """Validate, moderate and store a comment; a repeat of the same text within the
    double-submit window returns the earlier comment with ``created=False``."""
    if author is not None and not author.is_authenticated:
        author = None
    body = body.replace("\r\n", "\n").strip()
    guest_name, guest_email = guest_name.strip(), guest_email.strip()
    options = discussion_settings_for(article)
    errors = _validate_post(article, body, author, guest_name, guest_email, parent, options)
    if errors:
        return PostResult(errors=errors)

    comment = Comment(
        article=article,
        parent=parent,
        author=author,
        guest_name="" if author else guest_name[:80],
        guest_email="" if author else guest_email,
        body=body,
        body_html=render_comment(body),
        ip_address=ip or None,
        user_agent=(user_agent or "")[:300],
    )
    candidate = Candidate(comment=comment, ip=ip, user_agent=user_agent, mode=options.mode)
    for _receiver, answer in comment_will_be_posted.send(
        sender=Comment, comment=comment, request=request
    ):
        if answer is False:
            return PostResult(errors=[PostError("refused", "This comment was refused.", "__all__")])
    decision = get_moderator().decide(candidate)
    comment.status = decision.status
    comment.moderation_reasons = list(decision.reasons)
    comment.spam_score = decision.spam_score

    def write() -> PostResult:
        _lock_same_text(article.pk, comment.body)
        duplicate = _recent_duplicate(article, body, author, guest_email)
        if duplicate is not None:
            return PostResult(duplicate, False, duplicate.status, duplicate.moderation_reasons)
        comment.pk = None
        with bumped_by_caller():  # bumped below, in this transaction
            comment.save()
        # The two rows every post changes come last, just before the commit, so each
        # is locked for the shortest time (always in this order: no deadlock).
        bump_content_version(in_this_transaction=True)
        if comment.status == Comment.Status.PUBLISHED:
            count = _adjust_comment_count(article.pk, +1)
            if count is not None:
                article.comment_count = count
        transaction.on_commit(lambda: _after_post(comment, request), robust=True)
        return PostResult(comment, True, comment.status, list(decision.reasons))

    return _retry_when_locked(write)


def _after_post(comment: Comment, request) -> None:
    comment_was_posted.send(sender=Comment, comment=comment, request=request)
    if comment.status == Comment.Status.PUBLISHED:
        _enqueue_reply_notification(comment)


def _enqueue_reply_notification(comment: Comment) -> None:
    from newsdesk.comments.tasks import send_reply_notification

    parent = comment.parent
    if parent is None or parent.author_id is None or parent.author_id == comment.author_id:
        return
    from newsdesk.accounts.models import Profile

    if Profile.objects.filter(user_id=parent.author_id, notify_replies=True).exists():
        send_reply_notification.enqueue(comment.pk)


# --- editing, deleting, moderating -----------------------------------------------------


def edit_window_open(comment: Comment, now=None) -> bool:
    window = timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)
    return (now or timezone.now()) < comment.created_at + window


def can_edit(comment: Comment, user, now=None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.pk
        and comment.status in EDITABLE_STATUSES
        and edit_window_open(comment, now)
    )


def is_moderator(user) -> bool:
    return is_exempt(user)


def can_delete(comment: Comment, user, *, user_is_moderator: bool | None = None) -> bool:
    """Authors delete their own comments, moderators any (pass ``user_is_moderator`` when
    checking many comments, so the group lookup runs once)."""
    if user is None or not user.is_authenticated or comment.status == Comment.Status.DELETED:
        return False
    if comment.author_id == user.pk:
        return True
    return is_moderator(user) if user_is_moderator is None else user_is_moderator


def edit_comment(comment: Comment, *, user, body: str, now=None) -> PostResult:
    """Replace the text of one's own comment within the edit window, keeping the old text."""
    body = body.replace("\r\n", "\n").strip()
    if not can_edit(comment, user, now):
        return PostResult(
            comment,
            errors=[PostError("forbidden", "You can no longer edit this comment.", "__all__")],
        )
    if is_closed(comment.article):
        return PostResult(
            comment, errors=[PostError("closed", "Comments on this article are closed.", "__all__")]
        )
    errors = validate_body(body)
    if errors:
        return PostResult(comment, errors=errors)
    if body == comment.body:
        return PostResult(comment, False, comment.status)

    def write() -> PostResult:
        _lock_article(comment.article_id)
        CommentRevision.objects.create(comment=comment, body=comment.body)
        comment.body = body
        comment.body_html = render_comment(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        return PostResult(comment, False, comment.status)

    return _retry_when_locked(write)


def delete_comment(comment: Comment, *, user) -> bool:
    """The author (or a moderator) deletes a comment; its replies stay under a placeholder."""
    if not can_delete(comment, user):
        return False
    set_status(
        comment,
        Comment.Status.DELETED,
        ["deleted_by_author" if comment.author_id == user.pk else "deleted_by_moderator"],
    )
    return True


def set_status(comment: Comment, status: str, reasons: list[str] | None = None) -> Comment:
    """Change a comment's status (moderation, deletion) and adjust the article's count in
    the same transaction."""
    published = Comment.Status.PUBLISHED

    def write() -> Comment:
        _lock_article(comment.article_id)
        # The stored status, not the object's: it may be stale, and a transition counted
        # twice (two moderators deleting at once) would leave the count wrong.
        stored = Comment.objects.filter(pk=comment.pk).values_list("status", flat=True).first()
        was_published = stored == published
        comment.status = status
        fields = ["status"]
        if reasons is not None:
            comment.moderation_reasons = list(reasons)
            fields.append("moderation_reasons")
        comment.save(update_fields=fields)
        _adjust_comment_count(comment.article_id, (status == published) - was_published)
        if status == published and not was_published:
            transaction.on_commit(lambda: _enqueue_reply_notification(comment), robust=True)
        return comment

    return _retry_when_locked(write)


# --- recommendations -------------------------------------------------------------------


def toggle_recommendation(comment: Comment, user) -> tuple[bool, int] | None:
    """Recommend or un-recommend; returns (recommended now, count), or None if not allowed."""
    if (
        user is None
        or not user.is_authenticated
        or comment.author_id == user.pk
        or comment.status != Comment.Status.PUBLISHED
    ):
        return None

    def write() -> tuple[bool, int]:
        # Serialises concurrent toggles on one comment so the recount is exact.
        list(Comment.objects.select_for_update(no_key=True).filter(pk=comment.pk).values_list("pk"))
        deleted, _ = Recommendation.objects.filter(comment=comment, user=user).delete()
        recommended = not deleted
        if recommended:
            try:
                with transaction.atomic():
                    Recommendation.objects.create(comment=comment, user=user)
            except IntegrityError:  # a concurrent click already recommended it
                pass
        count = Recommendation.objects.filter(comment=comment).count()
        Comment.objects.filter(pk=comment.pk).update(recommendation_count=count)
        comment.recommendation_count = count
        return recommended, count

    return _retry_when_locked(write)
