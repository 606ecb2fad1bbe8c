"""The one place where user-supplied text becomes HTML.

Every comment body goes through ``render_comment``: a restricted Markdown parse
(markdown-it-py, raw HTML off) followed by an nh3 allow-list. The two layers are
deliberately redundant: the parser should never emit anything dangerous, and the
sanitiser guarantees it even if a parser rule or option changes later.

``render_comment`` returns a plain ``str`` of safe HTML; Django code wraps it with
``mark_safe`` at the call site. ``render_plain`` is for short fields (display
names) that must never be Markdown. ``excerpt`` returns *unescaped* plain text
meant for autoescaping templates, titles and feeds; never mark it safe.

Bare-URL linkification needs the optional ``linkify-it-py`` package, which we do
not depend on, so only explicit links ``[text](url)`` and CommonMark autolinks
``<https://...>`` become anchors.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "LINK_REL",
    "excerpt",
    "render_comment",
    "render_plain",
]

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre"}
)
# "*": empty set switches off nh3's default generic attributes (title, lang).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"*": set(), "a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# nofollow/ugc: tell search engines we don't vouch for readers' links;
# noopener: a target page can't script window.opener.
LINK_REL = "nofollow ugc noopener"

# Browsers drop C0 controls and spaces (tab, newline, NUL...) before and inside a
# scheme, so "java\tscript:" is javascript:. Remove them before reading the scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _is_allowed_url(url: str) -> bool:
    """Allow only absolute http(s)/mailto URLs; everything else stays plain text.

    Relative URLs are refused too: a comment has no business linking into our own
    site's paths, and it keeps the rule simple ("must start with an allowed scheme").
    markdown-it has percent-encoded the URL before this runs, so entity or
    whitespace tricks arrive as e.g. "java%09script:", which has no valid scheme.
    """
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return match is not None and match.group(1).lower() in ALLOWED_URL_SCHEMES


def _render_image_as_alt_text(
    self: object, tokens: Sequence[Token], idx: int, options: object, env: dict
) -> str:
    # Images would let a commenter embed tracking pixels or huge files, so we
    # keep only the alt text. Keeping the image rule (rather than disabling it)
    # stops "![alt](url)" from degrading into "!" + a link.
    children = tokens[idx].children or []
    return html.escape(_inline_text(children), quote=False)


def _build_parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        # breaks: a newline in a comment box means a new line, as readers expect.
        {"html": False, "linkify": False, "typographer": False, "breaks": True},
    )
    # Headings and rules are not part of a comment's vocabulary; the source text
    # is shown as typed instead. html_* are already inert with html=False.
    md.disable(["heading", "lheading", "hr", "html_block", "html_inline"])
    md.validateLink = _is_allowed_url  # type: ignore[method-assign]
    md.add_render_rule("image", _render_image_as_alt_text)
    return md


_MD = _build_parser()


def _sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_comment(source: str) -> str:
    """Render a reader's Markdown as sanitised HTML (a plain str, safe to mark_safe)."""
    if not source:
        return ""
    return _sanitise(_MD.render(source)).strip()


def render_plain(source: str) -> str:
    """Escape text for HTML without interpreting any markup (display names, etc.)."""
    return html.escape(source or "", quote=True)


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(_inline_text(tok.children or []))
    return "".join(parts)


def _plain_text(source: str) -> str:
    parts: list[str] = []
    for tok in _MD.parse(source):
        if tok.type == "inline":
            parts.append(_inline_text(tok.children or []))
        elif tok.type in ("code_block", "fence"):
            parts.append(tok.content)
    return " ".join(" ".join(parts).split())


def excerpt(source: str, length: int = 200) -> str:
    """Plain-text preview of a comment: Markdown syntax removed, whitespace
    collapsed, cut at a word boundary with an ellipsis, at most ``length`` chars.

    The result is text, not HTML: let the template autoescape it.
    """
    if length < 1:
        return ""
    text = _plain_text(source or "")
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    # Prefer a word boundary, unless that would throw away most of the excerpt.
    space = cut.rfind(" ")
    if space >= length // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
