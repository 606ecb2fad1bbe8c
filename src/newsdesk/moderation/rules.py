"""The ban list and the banned phrases, held in each process between changes.

Every posted comment is checked against both, and they change rarely, so a post reads one
row (the rules token, with the spam filter's version in the same statement) instead of
querying the bans and phrases each time. Saving or deleting a Ban or BannedPhrase writes a
new token in the same transaction (signals below), so every process on every app server
sees the change on its next post.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from newsdesk.moderation.models import Ban, BannedPhrase, ClassifierState, RulesVersion


@dataclass
class Rules:
    token: str | None
    bans: dict[tuple[str, str], list[Ban]] = field(default_factory=dict)
    phrases: list[tuple[BannedPhrase, re.Pattern]] = field(default_factory=list)

    def active_bans(self, keys: list[tuple[str, str]], now: datetime | None = None) -> list[Ban]:
        now = now or timezone.now()
        return [
            ban
            for key in keys
            for ban in self.bans.get(key, ())
            if ban.until is None or ban.until > now
        ]


@dataclass
class Versions:
    rules_token: str | None
    classifier_version: int | None


_cached: Rules | None = None  # replaced whole, never changed in place: no lock needed


def current_versions() -> Versions:
    """The rules token and the spam filter's version, in one small statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {RulesVersion._meta.db_table} WHERE id = 1), "  # noqa: S608 - _meta names
            f"(SELECT version FROM {ClassifierState._meta.db_table} WHERE id = 1)"
        )
        token, version = cursor.fetchone()
    return Versions(token, version)


def current_rules(token: str | None) -> Rules:
    """The bans and phrases as of ``token`` (from ``current_versions``)."""
    global _cached
    rules = _cached
    if rules is not None and rules.token == token:
        return rules
    _cached = _load(token)
    return _cached


def latest_rules() -> Rules:
    """The bans and phrases now, for a caller that has not read the token already."""
    return current_rules(current_versions().rules_token)


def _load(token: str | None) -> Rules:
    rules = Rules(token=token)
    for ban in Ban.objects.all():
        rules.bans.setdefault((ban.kind, ban.value), []).append(ban)
    for phrase in BannedPhrase.objects.all():
        try:
            rules.phrases.append((phrase, phrase_pattern(phrase)))
        except re.error:  # the forms validate patterns; an old bad one is skipped
            continue
    return rules


def phrase_pattern(phrase: BannedPhrase) -> re.Pattern:
    if phrase.match == BannedPhrase.Match.PATTERN:
        return re.compile(phrase.text, re.IGNORECASE)
    words = r"\s+".join(re.escape(w) for w in phrase.text.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def _new_token(**kwargs) -> None:
    token = uuid.uuid4().hex
    if not RulesVersion.objects.filter(pk=1).update(token=token):
        RulesVersion.objects.update_or_create(pk=1, defaults={"token": token})


for _model in (Ban, BannedPhrase):
    receiver(post_save, sender=_model, dispatch_uid=f"rules-token-save-{_model.__name__}")(
        _new_token
    )
    receiver(post_delete, sender=_model, dispatch_uid=f"rules-token-delete-{_model.__name__}")(
        _new_token
    )
