"""Turn a fetched HTML page into an article: body text plus the metadata we keep.

trafilatura does the heavy lifting. Around it we add what the bench showed it misses
(see bench/extraction_bench.py): hover cards and share widgets removed before it runs,
JSON-LD NewsArticle metadata preferred over guesses, boilerplate lines ("Advertisement",
"Related:", photo credits...) and the repeated headline dropped after it runs, and a
recall-oriented second pass plus a densest-<p> fallback when the first pass finds little.
"""

from __future__ import annotations

import codecs
import copy
import html
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.html
import trafilatura
from lxml import etree

# Pages larger than this once decompressed are not articles; it also bounds gzip bombs.
MAX_HTML_BYTES = 20 * 1024 * 1024
# Less text than this is a menu or an error page, not an article (one real sentence).
MIN_ARTICLE_CHARS = 80
# Below this many characters a first-pass body is probably a teaser or a miss.
MIN_BODY_CHARS = 250
# JSON-LD bodies are used only when they look whole, not a paywall teaser.
MIN_JSONLD_BODY_CHARS = 500
# A meta description longer than this is the lead paragraph, not a dek, so it stays.
MAX_DEK_CHARS = 200
# Share of the JSON-LD body the HTML pass must reproduce before we trust either to confirm the other.
JSONLD_AGREEMENT = 0.6

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "report",
    "webpage",
    "techarticle",
    "scholarlyarticle",
    "liveblogposting",
    "posting",
}


@dataclass
class ExtractedPage:
    title: str
    source: str | None
    author: str | None
    published: datetime | None  # always timezone-aware; UTC assumed when the page gives no offset
    language: str | None  # primary language subtag, lowercase ("en")
    tags: list[str] = field(default_factory=list)
    body: str = ""  # paragraphs separated by one blank line
    canonical_url: str | None = None


class ExtractionError(Exception):
    """The page has no article body we can use. The message is one line for a human."""


# --- decoding -------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]{1,40})""", re.I
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}encoding=["']([a-zA-Z0-9_.\-]{1,40})""")
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Browsers treat these labels as windows-1252 (WHATWG Encoding), and so do real pages.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
}


def _gunzip(data: bytes) -> bytes:
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return inflater.decompress(data, MAX_HTML_BYTES)
    except zlib.error:
        return data  # not really gzip after all: decode the bytes as they are


def _declared_encoding(data: bytes) -> str | None:
    head = data[:8192]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> str:
    """Bytes of a page to text: gzip, then BOM, then declared charset, utf-8, detection."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    candidates = [_declared_encoding(data), "utf-8"]
    for encoding in candidates:
        if encoding is None or encoding.startswith(("utf-16", "utf-32")):
            continue  # a BOM-less page declaring utf-16 is lying: its markup is ascii
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data[:MAX_HTML_BYTES]).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", "replace")


# --- metadata -------------------------------------------------------------------------


def _jsonld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON object in ld+json scripts, with @graph and lists flattened."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        try:
            data = json.loads(script.text_content().strip() or "null", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _article_jsonld(tree: Any) -> dict[str, Any]:
    """The JSON-LD object describing the article, preferring one that has a body."""
    articles = [o for o in _jsonld_objects(tree) if _types(o) & ARTICLE_TYPES]
    articles.sort(
        key=lambda o: (bool(o.get("articleBody")), "webpage" not in _types(o)), reverse=True
    )
    return articles[0] if articles else {}


def _names(value: Any) -> list[str]:
    """Names out of a schema.org author/publisher value (string, object or list)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _meta(tree: Any, *keys: str) -> str | None:
    """The first non-empty <meta property|name=key content> for the first key that has one."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):  # C-level walk; an XPath per key costs more
        content = (element.get("content") or "").strip()
        if content:
            for attribute in ("property", "name"):
                found.setdefault(element.get(attribute) or "", content)
    return next((found[key] for key in keys if key in found), None)


def parse_published(value: str | None) -> datetime | None:
    """An ISO-8601-ish date string to an aware datetime; UTC when no offset is given."""
    if not value:
        return None
    text = value.strip().replace(" ", "T", 1)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)  # +0100 -> +01:00
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    return []


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept


def _canonical_url(tree: Any, url: str | None) -> str | None:
    hrefs = tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    )
    href = next((str(h).strip() for h in hrefs if h.strip()), None) or _meta(tree, "og:url")
    if not href:
        return url
    absolute = urljoin(url or "", href)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else url


def _language(tree: Any, ld: dict[str, Any]) -> str | None:
    declared = tree.xpath("/html/@lang") + [ld.get("inLanguage"), _meta(tree, "og:locale")]
    declared.append(_meta(tree, "language", "dc.language", "content-language"))
    declared += tree.xpath(
        '//meta[translate(@http-equiv,"CONTENT-LANGUAGE","content-language")'
        '="content-language"]/@content'
    )
    for lang in declared:
        if isinstance(lang, str) and re.match(r"^[a-zA-Z]{2,3}\b", lang.strip()):
            return re.split(r"[-_]", lang.strip())[0].lower()
    return None


# --- body -----------------------------------------------------------------------------

# Widgets that sit inside article markup; trafilatura keeps their text (the bench's
# hover cards on thehill.com are the motivating case).
_WIDGET_CLASS = re.compile(
    r"(^|[\s_-])(rollover|tooltip|popover|hovercard|share|sharing|social-share|newsletter"
    r"|signup|sign-up|subscribe|related|recirc|advert|ad-slot|sponsor|promo|outbrain|taboola)"
    r"($|[\s_-])",
    re.I,
)


def _strip_widgets(tree: Any) -> None:
    for element in tree.xpath("//body//*[@class or @id]"):
        if element.tag in ("body", "html", "article", "main"):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if _WIDGET_CLASS.search(marker) and element.getparent() is not None:
            element.drop_tree()


# Lines that are page furniture, not reporting. Matched against whole short lines only,
# so a real paragraph that happens to start with "Related" survives.
_BOILERPLATE = re.compile(
    r"^(advertisement|advertisements|sponsored( content)?|ad|story continues below( advertisement)?"
    r"|share( this( article| story| post)?| on \w+| via \w+)?|tweet|email|print|pin it|whatsapp"
    r"|(sign up|subscribe|register)\b.*(newsletter|inbox|updates|free).*"
    r"|.*\bnewsletters?\b.{0,60}|get the latest .* (in|to) your inbox.*"
    r"|thanks for signing up!?|keep an eye on your inbox.*|sorry!"
    r"|there was an error processing your subscription\.?"
    r"|(related|recommended|more from \w+|you may also like|you might also like|trending)"
    r"( stories| articles| content| coverage| posts| reading| links)?:?.*"
    r"|(see|read|watch) (more|also|next)\b.*|(don'?t|do not) miss:?.*|most (read|popular|viewed)"
    r"|(photo|image|picture|video)s?( credit)?\s*[:©(].*|\(?(image|photo) credit:.*"
    r"|.*(getty images|shutterstock|istock(photo)?)\)?\.?"
    r"|copyright\b.*|©.*|.*\ball rights reserved\b.*"
    r"|follow (us|\w+( \w+)?) on (twitter|facebook|instagram|youtube|linkedin).*"
    r"|listen to .* (live|podcast).*|\d* ?comments?|view comments|leave a (comment|reply)"
    r"|tell us what you think.*|comments are closed\.?|(filed under|posted in|tags?|categories):.*"
    r"|have a (news )?tip\?.*|updated( at| on)?:? .{0,40}|click (here )?to tweet"
    r"|.*\[(insight|video|reaction|pics|photos|poll|latest|analysis|gallery)\]\s*\|?"
    r"|(back to top|skip to (main )?content|top of page))$",
    re.I,
)
_CLICK_TO_TWEET = re.compile(r"\s*click to tweet\s*$", re.I)
_BULLET = re.compile(r"^[-•·*]\s")
_TOKENS = re.compile(r"\w+")


def _same_text(a: str, b: str) -> bool:
    return bool(a) and _TOKENS.findall(a.casefold()) == _TOKENS.findall(b.casefold())


def clean_body_lines(lines: list[str], titles: list[str], dek: str = "") -> list[str]:
    """Drop the repeated headline (and the dek under it) at the top, and boilerplate anywhere.

    The dek goes only when it sits right under a repeated headline: many sites use their
    first paragraph as the meta description, and that paragraph is part of the article.
    A bulleted list right after a dropped "Related"-style line is a link list, so it goes too.
    """
    start = 0
    while start < len(lines) and any(_same_text(lines[start], t) for t in titles):
        start += 1
    if start and start < len(lines) and len(dek) <= MAX_DEK_CHARS and _same_text(lines[start], dek):
        start += 1
    lines = lines[start:]
    kept: list[str] = []
    in_link_list = False
    for line in lines:
        line = _CLICK_TO_TWEET.sub("", line)
        if in_link_list and _BULLET.match(line):
            continue
        in_link_list = False
        if len(line) <= 160 and _BOILERPLATE.match(line):
            in_link_list = True
            continue
        kept.append(line)
    return kept


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _densest_block(tree: Any) -> list[str]:
    """Readability-style fallback: the element whose direct <p> children hold most text."""
    best: list[str] = []
    best_len = 0
    for parent in tree.xpath("//body//*[p]"):
        paragraphs = [p.text_content().strip() for p in parent.findall("p")]
        paragraphs = [p for p in paragraphs if len(p) > 40]
        length = sum(len(p) for p in paragraphs)
        if length > best_len:
            best, best_len = paragraphs, length
    return best


def _trafilatura(tree: Any, url: str | None, *, own_copy: bool = False, **options: Any) -> Any:
    """trafilatura's body pass; it edits the tree, so it gets a copy unless it owns this one."""
    try:
        return trafilatura.bare_extraction(
            tree if own_copy else copy.deepcopy(tree),
            url=url,
            include_comments=False,
            with_metadata=False,
            **options,
        )
    except Exception:  # trafilatura raises assorted errors on odd markup; treat as "found nothing"
        return None


class _FallbackMetadata:
    """trafilatura's metadata guesses, computed only when the page's own markup (JSON-LD,
    meta tags) leaves a field empty: they cost about a quarter of the extraction time."""

    def __init__(self, tree: Any, url: str | None) -> None:
        self._tree, self._url, self._document, self._done = tree, url, None, False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        if not self._done:
            self._done = True
            try:
                self._document = trafilatura.extract_metadata(
                    copy.deepcopy(self._tree), default_url=self._url
                )
            except Exception:  # as above: odd markup means no guesses
                self._document = None
        return getattr(self._document, name, None) if self._document is not None else None


def _jsonld_body_lines(value: Any) -> list[str]:
    """articleBody as paragraphs; publishers put plain text, HTML or entity-escaped HTML there."""
    if not isinstance(value, str) or not value.strip():
        return []
    text = value
    for _ in range(2):  # some CMSs escape twice ("&amp;quot;")
        if "&" in text:
            text = html.unescape(text)
    if re.search(r"<(p|br|div|h\d|li|a|span|strong|em)\b", text, re.I):
        try:
            fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return _paragraphs(re.sub(r"<[^>]+>", " ", text))
        for br in fragment.iter("br"):
            br.tail = "\n" + (br.tail or "")
        blocks = fragment.xpath(".//p|.//h2|.//h3|.//h4|.//li|.//blockquote")
        if blocks:
            return [" ".join(b.text_content().split()) for b in blocks if b.text_content().strip()]
        text = fragment.text_content()
    return _paragraphs(text)


def _trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 3]) for i in range(max(1, len(tokens) - 2))}


def _confirmed_by(lines: list[str], reference: list[str]) -> list[str]:
    """Lines mostly made of word runs that also appear in the reference text.

    "Mostly" rather than "exactly" because the HTML often has an embed or a link label
    inside a paragraph that the publisher's plain-text body leaves out.
    """
    known = _trigrams(_TOKENS.findall(" ".join(reference).casefold()))
    kept = []
    for line in lines:
        grams = _trigrams(_TOKENS.findall(line.casefold()))
        if grams and len(grams & known) >= 0.5 * len(grams):
            kept.append(line)
    return kept


def _char_count(lines: list[str]) -> int:
    return sum(len(line) for line in lines)


def _choose_body(
    tree: Any, url: str | None, first_text: str | None, ld_body: Any, titles: list[str], dek: str
) -> list[str]:
    """Pick the body among: precise HTML pass, JSON-LD articleBody, recall pass, densest block."""
    lines = clean_body_lines(_paragraphs(first_text), titles, dek)
    ld_lines = clean_body_lines(_jsonld_body_lines(ld_body), titles, dek)
    if _char_count(ld_lines) >= MIN_JSONLD_BODY_CHARS:
        # The publisher's own body text is the best judge of what belongs to the article;
        # the HTML pass keeps the paragraph breaks it often lacks.
        confirmed = _confirmed_by(lines, ld_lines)
        if _char_count(confirmed) >= JSONLD_AGREEMENT * _char_count(ld_lines):
            return confirmed
        if _char_count(lines) < JSONLD_AGREEMENT * _char_count(ld_lines):
            return ld_lines
    if _char_count(lines) >= MIN_BODY_CHARS:
        return lines
    second = _trafilatura(tree, url, favor_recall=True)
    candidates = [
        lines,
        clean_body_lines(_paragraphs(second.text if second else None), titles, dek),
        clean_body_lines(_densest_block(tree), titles, dek),
        clean_body_lines(_jsonld_body_lines(ld_body), titles, dek),
    ]
    return max(candidates, key=_char_count)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parse(text: str) -> Any:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with a declaration
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"page is not parseable HTML ({error})") from None


def extract_html(data: bytes | str, url: str | None = None) -> ExtractedPage:
    """Extract the article in a page; raise ExtractionError when there is none."""
    text = decode_html(data) if isinstance(data, bytes) else data
    # lxml refuses control characters in any string it stores; HTML has no use for them.
    text = _CONTROL_CHARACTERS.sub("", text)
    if not text.strip():
        raise ExtractionError("page is empty")
    tree = _parse(text)
    ld = _article_jsonld(tree)
    without_widgets = copy.deepcopy(tree)
    _strip_widgets(without_widgets)
    first = _trafilatura(without_widgets, url, own_copy=True, favor_precision=True)
    guesses = _FallbackMetadata(tree, url)

    title = (
        " ".join(_names(ld.get("headline")))
        or _meta(tree, "og:title", "twitter:title")
        or guesses.title
        or ""
    ).strip()
    description = _meta(tree, "og:description", "description") or str(ld.get("description") or "")
    ld_body = ld.get("articleBody")
    # The headline is often repeated at the top of the body, as the page's <h1>.
    headings = [" ".join(h.text_content().split()) for h in tree.iter("h1")][:3]
    titles = [title, *headings]
    body = _choose_body(tree, url, first.text if first else None, ld_body, titles, description)
    if _char_count(body) < MIN_ARTICLE_CHARS:
        raise ExtractionError("no article text found in page")

    byline = _meta(tree, "author", "article:author", "byl", "parsely-author", "sailthru.author")
    if byline and (byline.startswith(("http://", "https://")) or len(byline) > 200):
        byline = None  # Facebook-style profile URLs and stuffed fields are not names
    byline = re.sub(r"^by\s+", "", byline or "", flags=re.I).strip() or None
    authors = _names(ld.get("author")) or [byline or guesses.author or ""]
    authors = [a for a in authors if a]
    published = (
        parse_published(str(ld.get("datePublished") or ""))
        or parse_published(
            _meta(
                tree,
                "article:published_time",
                "datePublished",
                "pubdate",
                "date",
                "og:published_time",
                "parsely-pub-date",
                "sailthru.date",
                "dc.date",
            )
        )
        or parse_published(guesses.date)
    )
    source = (
        _meta(tree, "og:site_name")
        or " ".join(_names(ld.get("publisher")))
        or guesses.sitename
        or (urlsplit(url).hostname if url else None)
    )
    tags = _keywords(ld.get("keywords")) + tree.xpath('//meta[@property="article:tag"]/@content')
    if not tags:
        tags = _keywords(_meta(tree, "news_keywords", "keywords") or "")
    return ExtractedPage(
        title=title,
        source=source or None,
        author=", ".join(_unique(authors)) or None,
        published=published,
        language=_language(tree, ld),
        tags=_unique([str(t).strip() for t in tags if str(t).strip()]),
        body="\n\n".join(body),
        canonical_url=_canonical_url(tree, url),
    )
