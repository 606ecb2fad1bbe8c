"""The page-text format: a news page saved as plain text (see docs/FORMATS.md).

    Headline
    <blank>
    source            (optional: one short line naming the source)
    <blank>
    paragraph         (one or more, separated by blank lines)
    <blank>
    Tags              (optional furniture block from here on)
    tag lines...
    Comments (N)
    What is your opinion on this topic?
    Leave the first comment

``parse_page_text`` never raises anything but ``PageTextError``, whose message is one
line a person can act on. ``render_page_text`` writes the format back out, and
``parse_page_text(render_page_text(page)) == page`` for every valid page.
"""

import re
from dataclasses import dataclass, field

import charset_normalizer

HEADLINE_MAX_LENGTH = 300
SOURCE_MAX_LENGTH = 60
SOURCE_MAX_WORDS = 5

FURNITURE_TAGS = "tags"
COMMENTS_LINE = re.compile(r"^comments\s*\(\s*\d+\s*\)$", re.IGNORECASE)
FURNITURE_PHRASES = {
    "what is your opinion on this topic?",
    "leave the first comment",
    "leave a comment",
}
HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml)", re.IGNORECASE)
HTML_TAG = re.compile(r"</?(p|div|span|a|br|script|meta|h[1-6]|article|section)\b[^>]*>", re.I)
SENTENCE_END = tuple('.!?:;"”’)')


class PageTextError(ValueError):
    """The input is not a usable page-text story; the message says why."""


@dataclass(frozen=True)
class PageText:
    headline: str
    source: str | None
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = field(default=())

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def decode_text(data: bytes) -> str:
    """Bytes to text: a BOM, then UTF-8, then the detected encoding; binary is refused."""
    if not data.strip():
        raise PageTextError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PageTextError("binary file, not text")
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise PageTextError(
                    f"declared {encoding} but the bytes are not: {exc.reason}"
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = _detect_encoding(data)
    if best is None or _looks_binary(best):
        raise PageTextError(
            "not text: the bytes are neither UTF-8 nor any encoding that could be detected"
        )
    return best


# On short texts the detector finds several equally clean decodings; the legacy
# encodings that news files really come in win the tie over DOS code pages.
COMMON_LEGACY_ENCODINGS = [
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp1253",
]


def _detect_encoding(data: bytes) -> str | None:
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    least_chaos = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= least_chaos + 0.02]

    def rank(match) -> int:
        encoding = match.encoding.lower()
        return (
            COMMON_LEGACY_ENCODINGS.index(encoding) if encoding in COMMON_LEGACY_ENCODINGS else 99
        )

    chosen = min(clean, key=rank)
    if rank(chosen) >= 2 and "cp1252" not in {m.encoding for m in clean}:
        try:  # the detector may not have tried cp1252 when cp1250 decodes the same bytes
            text = data.decode("cp1252")
            if text == str(chosen):
                return text
        except UnicodeDecodeError:
            pass
    return str(chosen)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(text) // 100)


def _blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    blocks = re.split(r"\n[ \t\u00a0]*\n", text)
    cleaned = []
    for block in blocks:
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            cleaned.append(joined)
    return cleaned


def _is_source_line(block: str) -> bool:
    if "\n" in block or len(block) > SOURCE_MAX_LENGTH:
        return False
    if len(block.split()) > SOURCE_MAX_WORDS or block.endswith(SENTENCE_END):
        return False
    return not _is_furniture_line(block)


def _is_furniture_line(line: str) -> bool:
    lowered = line.strip().lower()
    return (
        lowered == FURNITURE_TAGS
        or lowered in FURNITURE_PHRASES
        or bool(COMMENTS_LINE.match(lowered))
    )


def _split_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the trailing furniture off the body lines; return (body lines, tags).

    The furniture is the last ``Tags`` line and what follows it, provided everything
    after it is tag lines and then only the fixed phrases. Without a ``Tags`` line,
    trailing fixed phrases alone are furniture too.
    """
    end = len(lines)
    while end > 0 and (
        lines[end - 1].lower() in FURNITURE_PHRASES or COMMENTS_LINE.match(lines[end - 1])
    ):
        end -= 1
    tail_start = end
    for index in range(end - 1, -1, -1):
        if lines[index].lower() == FURNITURE_TAGS:
            candidate_tags = lines[index + 1 : end]
            if all(_is_tag_line(line) for line in candidate_tags):
                return lines[:index], _tags_from_lines(candidate_tags)
            break
    return lines[:tail_start], []


def _is_tag_line(line: str) -> bool:
    return len(line) <= 200 and not _is_furniture_line(line) and not line.endswith((".", "?", "!"))


def _tags_from_lines(lines: list[str]) -> list[str]:
    tags: list[str] = []
    for line in lines:
        for name in line.split(","):
            name = name.strip().lstrip("#").strip()
            if name and name.lower() not in {t.lower() for t in tags}:
                tags.append(name[:100])
    return tags


def parse_page_text(text: str) -> PageText:
    if "\x00" in text:
        raise PageTextError("binary file, not text")
    if not text.strip():
        raise PageTextError("empty file")
    if HTML_START.match(text) or len(HTML_TAG.findall(text[:20000])) >= 3:
        raise PageTextError("this is HTML, not page text")
    blocks = _blocks(text)
    headline_block = blocks[0]
    headline, _, rest_of_first = headline_block.partition("\n")
    if _is_furniture_line(headline):
        raise PageTextError("no headline: the file starts with page furniture")
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise PageTextError(
            f"headline is {len(headline):,} characters long; the limit is {HEADLINE_MAX_LENGTH}"
        )
    rest = ([rest_of_first] if rest_of_first else []) + blocks[1:]

    source = None
    if len(rest) >= 2 and _is_source_line(rest[0]):
        source, rest = rest[0], rest[1:]

    # The furniture may sit in one block or one line per block; work line by line.
    lines: list[str] = []
    block_of_line: list[int] = []
    for block_index, block in enumerate(rest):
        for line in block.split("\n"):
            lines.append(line)
            block_of_line.append(block_index)
    body_lines, tags = _split_furniture(lines)
    paragraphs: list[str] = []
    current_block = None
    for line, block_index in zip(body_lines, block_of_line, strict=False):
        if block_index == current_block:
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
            current_block = block_index
    if not paragraphs:
        raise PageTextError("no body: the file has a headline but no paragraphs")
    return PageText(
        headline=headline, source=source, paragraphs=tuple(paragraphs), tags=tuple(tags)
    )


def parse_page_bytes(data: bytes, max_bytes: int | None = None) -> PageText:
    if max_bytes is not None and len(data) > max_bytes:
        raise PageTextError(
            f"file is {len(data) / 1_048_576:.1f} MB; the limit for a page-text file is "
            f"{max_bytes / 1_048_576:.0f} MB"
        )
    return parse_page_text(decode_text(data))


def render_page_text(page: PageText, comment_count: int = 0) -> str:
    parts = [page.headline]
    if page.source:
        parts.append(page.source)
    parts.extend(page.paragraphs)
    parts.append("Tags")
    parts.extend(page.tags)
    parts.append(f"Comments ({comment_count})")
    parts.append("What is your opinion on this topic?")
    parts.append("Leave the first comment" if comment_count == 0 else "Leave a comment")
    return "\n\n".join(parts) + "\n"
