"""The site's moderation policy, plugged into the comments app's extension point
(setting ``COMMENTS_MODERATOR = "newsdesk.moderation.moderator.SiteModerator"``).

Order: moderators and staff publish at once; banned authors are rejected (shadow-banned
ones held where only they see them); then every defence adds its reason, and any reason
holds the comment. A spam score above ``MODERATION_SPAM_REJECT`` sends it to spam.
Sanitising happened before (``post_comment`` renders the body for everyone).
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.db import OperationalError
from django.dispatch import receiver

from newsdesk.comments.models import Comment, DiscussionSettings
from newsdesk.comments.moderator import Candidate, Decision, Moderator
from newsdesk.comments.signals import comment_will_be_posted
from newsdesk.moderation import defences, spam
from newsdesk.moderation.rules import current_rules, current_versions
from newsdesk.moderation.services import approved_count, is_moderator

FORM_REASONS_ATTR = "_moderation_form_reasons"
SHADOW_BAN_REASON = "shadow-banned author"


class SiteModerator(Moderator):
    def conceals_review_from(self, user) -> bool:
        return defences.is_shadow_banned(user)

    def decide(self, candidate: Candidate) -> Decision:
        # Reads only, so safe to repeat: SQLite's shared-cache memory database (the tests')
        # answers "table is locked" at once instead of waiting for a concurrent writer.
        for attempt in range(12):
            try:
                return self._decide(candidate)
            except OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == 11:
                    raise
                time.sleep(min(0.005 * 2**attempt, 0.5) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def _decide(self, candidate: Candidate) -> Decision:
        comment = candidate.comment
        if settings.MODERATION_MODE == "closed":
            return Decision(Comment.Status.REJECTED, ["comments are closed site-wide"])
        if comment.author_id and is_moderator(comment.author):
            return Decision(Comment.Status.PUBLISHED)

        versions = current_versions()
        rules = current_rules(versions.rules_token)
        bans = defences.matching_bans(comment, candidate.ip, rules)
        hard = [b for b in bans if not b.shadow]
        if hard:
            return Decision(Comment.Status.REJECTED, [f"banned {b.kind}" for b in hard])

        reasons = list(getattr(comment, FORM_REASONS_ATTR, []))
        if bans:
            reasons.append(SHADOW_BAN_REASON)
        reasons += self.mode_reasons(candidate)
        for reason in (
            defences.too_many_links(comment.body),
            defences.banned_phrase(comment.body, rules),
        ):
            if reason:
                reasons.append(reason)
        repeated = defences.repeated_text(comment)
        if repeated:
            reasons.append(repeated)

        score = round(spam.spam_score(comment.body, versions.classifier_version), 3)
        if score >= settings.MODERATION_SPAM_REJECT:
            return Decision(Comment.Status.SPAM, [*reasons, f"spam score {score:.2f}"], score)
        if score >= settings.MODERATION_SPAM_HOLD:
            reasons.append(f"spam score {score:.2f}")
        status = Comment.Status.PENDING if reasons else Comment.Status.PUBLISHED
        return Decision(status, reasons, score)

    def mode_reasons(self, candidate: Candidate) -> list[str]:
        comment = candidate.comment
        if settings.MODERATION_MODE == "pre":
            return ["site is pre-moderated"]
        if candidate.mode == DiscussionSettings.Mode.PREMODERATED:
            return ["article_is_premoderated"]
        if comment.is_guest:
            return ["guest_comment"] if settings.COMMENTS_HOLD_GUESTS else []
        needed = settings.MODERATION_NEW_ACCOUNT_HOLD
        if needed > 0:
            approved = approved_count(comment.author)
            if approved < needed:
                return [f"new account ({approved} of {needed} comments approved)"]
        return []


@receiver(comment_will_be_posted, dispatch_uid="moderation-form-checks")
def check_form(sender, comment, request=None, **kwargs):
    """The honeypot and the form's timestamp come with the request, which ``decide`` does
    not see: note their reasons on the unsaved comment for it. Refuses nothing itself,
    except while the whole site is closed to comments."""
    if settings.MODERATION_MODE == "closed":
        return False
    if (
        request is not None
        and request.method == "POST"
        and request.content_type
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    ):
        setattr(comment, FORM_REASONS_ATTR, defences.form_reasons(request.POST))
    return None
