"""Batch import: files, directories and stdin in, a per-file outcome out.

Each file is imported in its own transaction, so a broken file is reported and skipped
while the rest of the batch lands, and no half-written article is ever left behind.
"""

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from newsdesk.articles.services import StoryInput, upsert_story
from newsdesk.ingest.pagetext import PageTextError, parse_page_bytes

TEXT_SUFFIXES = {".txt", ".text", ""}
STDIN = "-"


@dataclass
class ImportOutcome:
    path: str
    status: str  # imported | updated | unchanged | failed
    reason: str = ""
    article_id: int | None = None


class ImportFailed(Exception):
    """One input could not be imported; the message is the one-line reason."""


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, directories walked in name order (hidden files skipped)."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and is_importable_name(child.name):
                    yield str(child)
        else:
            yield raw


def is_importable_name(name: str) -> bool:
    lowered = name.lower()
    return Path(lowered).suffix in TEXT_SUFFIXES or lowered.endswith((".html", ".htm", ".html.gz"))


def read_input(path: str, stdin=None) -> bytes:
    max_bytes = settings.IMPORT_MAX_BYTES
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
    else:
        file = Path(path)
        if not file.exists():
            raise ImportFailed("no such file")
        if not file.is_file():
            raise ImportFailed("not a regular file")
        size = file.stat().st_size
        if size > max_bytes:
            raise ImportFailed(
                f"file is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB"
            )
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise ImportFailed(f"cannot read: {exc.strerror}") from exc
    if len(data) > max_bytes:
        raise ImportFailed(f"input is over the limit of {max_bytes / 1_048_576:.0f} MB")
    return data


def story_from_bytes(path: str, data: bytes) -> StoryInput:
    """Pick the reader for this input by its name and content."""
    try:
        page = parse_page_bytes(data)
    except PageTextError as exc:
        raise ImportFailed(str(exc)) from exc
    return StoryInput(
        headline=page.headline,
        body=page.body,
        source_name=page.source,
        tags=list(page.tags),
    )


def import_one(path: str, stdin=None) -> ImportOutcome:
    try:
        story = story_from_bytes(path, read_input(path, stdin))
        result = upsert_story(story)
    except ImportFailed as exc:
        return ImportOutcome(path, "failed", str(exc))
    except ValidationError as exc:
        reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return ImportOutcome(path, "failed", f"invalid story ({reasons})")
    return ImportOutcome(path, result.outcome, article_id=result.article.pk)


def import_paths(
    paths: Iterable[str],
    stdin=None,
    on_progress: Callable[[int, int, ImportOutcome], None] | None = None,
) -> list[ImportOutcome]:
    files = list(expand_paths(paths))
    outcomes = []
    for index, path in enumerate(files, start=1):
        outcome = import_one(path, stdin)
        outcomes.append(outcome)
        if on_progress:
            on_progress(index, len(files), outcome)
    return outcomes


def summarise(outcomes: list[ImportOutcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    lines = [
        f"{counts['imported']} imported, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
    ]
    lines += [f"failed: {o.path}: {o.reason}" for o in outcomes if o.status == "failed"]
    return "\n".join(lines)
