"""The moderation extension point: one replaceable object decides a new comment's status.

A site (or issue 4's moderation app) subclasses ``Moderator`` and names it in the setting
``COMMENTS_MODERATOR``. ``decide`` gets a ``Candidate`` (the unsaved comment and where it
came from) and returns a ``Decision``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from newsdesk.comments.models import Comment, DiscussionSettings


@dataclass
class Candidate:
    comment: Comment  # unsaved; article, author or guest fields, body and parent are set
    ip: str | None = None
    user_agent: str = ""
    mode: str = DiscussionSettings.Mode.OPEN


@dataclass
class Decision:
    status: str
    reasons: list[str] = field(default_factory=list)
    spam_score: float | None = None


class Moderator:
    """Default policy: accounts publish directly, guests wait for review (per setting)."""

    def decide(self, candidate: Candidate) -> Decision:
        if candidate.mode == DiscussionSettings.Mode.PREMODERATED:
            return Decision(Comment.Status.PENDING, ["article_is_premoderated"])
        if candidate.comment.is_guest and settings.COMMENTS_HOLD_GUESTS:
            return Decision(Comment.Status.PENDING, ["guest_comment"])
        return Decision(Comment.Status.PUBLISHED)

    def conceals_review_from(self, user) -> bool:
        """True when this reader must not learn their comments are held (a shadow ban)."""
        return False


@cache
def _moderator_class(path: str) -> type[Moderator]:
    return import_string(path)


def get_moderator() -> Moderator:
    return _moderator_class(settings.COMMENTS_MODERATOR)()
