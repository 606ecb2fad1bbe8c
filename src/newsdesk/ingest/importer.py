"""Batch import: files, directories and stdin in, a per-file outcome out.

Each file is imported in its own transaction, together with its line in the import
journal (ImportedFile, keyed by the content's sha256). So a broken file is reported and
skipped while the rest of the batch lands, a kill -9 leaves no half-written article, and
running the same command again skips what is done without parsing it.

The kind of file is decided by name and content together (see ``detect_kind``):
page text, an HTML page (.html, .htm, .html.gz), a WordPress WXR or a Disqus export.
HTML in a file named .txt is read as HTML; a failure then says "this is HTML; ...".
"""

import hashlib
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from newsdesk.articles.models import HEADLINE_MAX_LENGTH
from newsdesk.articles.services import StoryInput
from newsdesk.ingest.export_import import import_disqus, import_wordpress
from newsdesk.ingest.exports import ExportError, sniff_export
from newsdesk.ingest.extract import MAX_HTML_BYTES, ExtractedPage, ExtractionError, extract_html
from newsdesk.ingest.models import ImportedFile
from newsdesk.ingest.pagetext import HTML_START, HTML_TAG, PageTextError, parse_page_bytes
from newsdesk.ingest.services import SimhashIndex, ingest_story

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
EXPORT_SUFFIXES = (".xml",)
STDIN = "-"
MAX_TAGS = 30


@dataclass
class ImportOutcome:
    path: str
    status: str  # imported | updated | unchanged | failed
    reason: str = ""
    article_id: int | None = None
    detail: str = ""  # for exports: what the file held


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
    return Path(lowered).suffix in TEXT_SUFFIXES or lowered.endswith(
        HTML_SUFFIXES + EXPORT_SUFFIXES
    )


def _limit_for(path: str) -> int:
    if path.lower().endswith(EXPORT_SUFFIXES):
        return max(settings.IMPORT_MAX_BYTES, settings.INGEST_EXPORT_MAX_BYTES)
    return settings.IMPORT_MAX_BYTES


def read_input(path: str, stdin=None) -> bytes:
    max_bytes = _limit_for(path)
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


def gunzip_bounded(data: bytes) -> bytes:
    """Decompress gzip, refusing more than MAX_HTML_BYTES of output (a gzip bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_HTML_BYTES)
    except zlib.error as exc:
        raise ImportFailed(f"not a valid gzip file ({exc})") from exc
    if inflater.unconsumed_tail:
        raise ImportFailed(f"decompresses to over {MAX_HTML_BYTES // 1_048_576} MB")
    return out


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not text in any 8-bit or UTF-8 encoding."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NULs by design
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\n\r\t\f")
    return controls > max(2, len(head) // 100)


def detect_kind(path: str, data: bytes) -> tuple[str, bytes]:
    """('pagetext' | 'html' | 'wxr' | 'disqus', the bytes to read), from name and content."""
    name = path.lower()
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data)
    elif name.endswith(".gz"):
        raise ImportFailed("named .gz but not gzip-compressed")
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    export = sniff_export(head)
    if export:
        return export, data
    is_html_name = name.endswith(HTML_SUFFIXES)
    if is_html_name:
        if not data.strip():
            raise ImportFailed("empty file")
        if looks_binary(data):
            raise ImportFailed("binary file, not HTML")
        return "html", data
    if name.endswith(EXPORT_SUFFIXES):
        raise ImportFailed("XML, but neither a WordPress (WXR) nor a Disqus export")
    text_head = head[:20000].decode("utf-8", "replace")
    if not looks_binary(data) and (
        HTML_START.match(text_head) or len(HTML_TAG.findall(text_head)) >= 3
    ):
        return "html", data
    return "pagetext", data


def story_from_page(page: ExtractedPage) -> StoryInput:
    """An extracted web page as a story: site name is the source, keywords are tags."""
    if not page.title:
        raise ImportFailed("page has no title")
    canonical = page.canonical_url or ""
    if len(canonical) > 1000 or urlsplit(canonical).scheme not in ("http", "https"):
        canonical = ""
    source = page.source or (urlsplit(canonical).hostname if canonical else None)
    authors = [a.strip()[:200] for a in (page.author or "").split(",") if a.strip()]
    return StoryInput(
        headline=" ".join(page.title.split())[:HEADLINE_MAX_LENGTH],
        body=page.body,
        source_name=source[:200] if source else None,
        tags=[t[:100] for t in page.tags[:MAX_TAGS]],
        authors=authors[:10],
        published_at=page.published,
        language=(page.language or "en")[:12],
        canonical_url=canonical,
    )


def story_from_bytes(path: str, data: bytes) -> StoryInput:
    """Pick the reader for this input by its name and content."""
    kind, data = detect_kind(path, data)
    if kind == "html":
        try:
            return story_from_page(extract_html(data))
        except ExtractionError as exc:
            named_html = path.lower().endswith(HTML_SUFFIXES)
            raise ImportFailed(str(exc) if named_html else f"this is HTML; {exc}") from exc
    if kind != "pagetext":
        raise ImportFailed(f"a {kind} export holds many stories; import it with import_one")
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


def _import_data(path: str, data: bytes, index: SimhashIndex) -> ImportOutcome:
    kind, unpacked = detect_kind(path, data)
    if kind in ("wxr", "disqus"):
        try:
            if kind == "wxr":
                status, detail = import_wordpress(unpacked, index)
            else:
                status, detail = import_disqus(unpacked)
        except ExportError as exc:
            raise ImportFailed(str(exc)) from exc
        return ImportOutcome(path, status, detail=detail)
    digest = hashlib.sha256(data).hexdigest()
    done = (
        ImportedFile.objects.filter(content_sha256=digest)
        .values_list("article_id", flat=True)
        .first()
    )
    if done is not None:
        return ImportOutcome(path, "unchanged", article_id=done)
    story = story_from_bytes(path, data)
    with transaction.atomic():
        result = ingest_story(story, index)
        if path != STDIN:
            # One INSERT; a concurrent importer of the same bytes already wrote the same line.
            ImportedFile.objects.bulk_create(
                [ImportedFile(content_sha256=digest, path=path[:2000], article=result.article)],
                ignore_conflicts=True,
            )
    return ImportOutcome(path, result.outcome, article_id=result.article.pk)


def import_one(path: str, stdin=None, index: SimhashIndex | None = None) -> ImportOutcome:
    try:
        return _import_data(path, read_input(path, stdin), index or SimhashIndex())
    except ImportFailed as exc:
        return ImportOutcome(path, "failed", str(exc))
    except ValidationError as exc:
        reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return ImportOutcome(path, "failed", f"invalid story ({reasons})")


def import_paths(
    paths: Iterable[str],
    stdin=None,
    on_progress: Callable[[int, int, ImportOutcome], None] | None = None,
) -> list[ImportOutcome]:
    files = list(expand_paths(paths))
    index = SimhashIndex()
    outcomes = []
    for number, path in enumerate(files, start=1):
        outcome = import_one(path, stdin, index)
        outcomes.append(outcome)
        if on_progress:
            on_progress(number, len(files), outcome)
    return outcomes


def summarise(outcomes: list[ImportOutcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    lines = [
        f"{counts['imported']} imported, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
    ]
    lines += [f"{o.path}: {o.detail}" for o in outcomes if o.detail]
    lines += [f"failed: {o.path}: {o.reason}" for o in outcomes if o.status == "failed"]
    return "\n".join(lines)
