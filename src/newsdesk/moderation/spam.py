"""The spam filter's state in the database: load, score, learn.

The model is one ClassifierState row holding SpamClassifier JSON. Each process keeps the
parsed model and re-reads it only when the row's version changes, so scoring a new comment
costs one tiny query plus a dict lookup per token.
"""

from __future__ import annotations

import contextlib

from django.db import transaction

from newsdesk.moderation.classifier import SpamClassifier
from newsdesk.moderation.models import ClassifierState, TrainingExample

_cached: tuple[int, SpamClassifier] | None = None


_UNKNOWN = object()


def load_classifier(version=_UNKNOWN) -> SpamClassifier:
    """The current model; ``version`` when the caller has just read it (moderation.rules)."""
    global _cached
    if version is _UNKNOWN:
        version = ClassifierState.objects.filter(pk=1).values_list("version", flat=True).first()
    if version is None:
        return SpamClassifier()
    if _cached is None or _cached[0] != version:
        state = ClassifierState.objects.get(pk=1)
        _cached = (state.version, SpamClassifier.from_json(state.model_json))
    return _cached[1]


def spam_score(text: str, version=_UNKNOWN) -> float:
    return load_classifier(version).score(text)


def add_example(text: str, label: str, origin: str, comment=None) -> TrainingExample:
    """Store a labelled example and have the background worker learn it after commit.

    A moderator's later decision on the same comment replaces the earlier one: the old
    label is taken out of the model, so a mistake corrected is a mistake unlearnt.
    """
    if comment is not None and origin == TrainingExample.Origin.DECISION:
        earlier = TrainingExample.objects.filter(comment=comment, origin=origin)
        same = earlier.filter(label=label).first()
        _forget(earlier.exclude(label=label))
        if same is not None:
            return same
    example = TrainingExample.objects.create(text=text, label=label, origin=origin, comment=comment)

    def enqueue():
        from newsdesk.moderation.tasks import retrain

        retrain.enqueue()

    transaction.on_commit(enqueue, robust=True)
    return example


def _forget(examples) -> None:
    with transaction.atomic():
        # Under the model's lock, so a retrain running now cannot learn what we remove.
        state = ClassifierState.objects.select_for_update().filter(pk=1).first()
        doomed = list(examples.select_for_update())
        if not doomed:
            return
        learnt = [e for e in doomed if e.trained]
        if state is not None and learnt:
            model = SpamClassifier.from_json(state.model_json)
            for example in learnt:
                # ValueError: the counts are already gone (e.g. after a model reset).
                with contextlib.suppress(ValueError):
                    model.untrain(example.text, example.label)
            state.model_json = model.to_json()
            state.version += 1
            state.save(update_fields=["model_json", "version", "updated_at"])
        TrainingExample.objects.filter(pk__in=[e.pk for e in doomed]).delete()


def train_pending(batch: int = 1000) -> int:
    """Learn every example not yet in the model (incrementally); returns how many."""
    done = 0
    while True:
        with transaction.atomic():
            state, _ = ClassifierState.objects.select_for_update().get_or_create(
                pk=1, defaults={"model_json": SpamClassifier().to_json()}
            )
            examples = list(TrainingExample.objects.filter(trained=False).order_by("id")[:batch])
            if not examples:
                return done
            model = SpamClassifier.from_json(state.model_json)
            for example in examples:
                model.train(example.text, example.label)
            state.model_json = model.to_json()
            state.version += 1
            state.save(update_fields=["model_json", "version", "updated_at"])
            TrainingExample.objects.filter(pk__in=[e.pk for e in examples]).update(trained=True)
            done += len(examples)
