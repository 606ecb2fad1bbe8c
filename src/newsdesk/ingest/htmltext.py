"""HTML fragments (feed content, WordPress posts and comments) to our plain-text forms.

Article bodies become paragraphs separated by a blank line. Comments become the Markdown
subset comments.markup renders, so the one sanitiser still decides what reaches a page.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_BLOCKS = {
    "p",
    "div",
    "blockquote",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "section",
    "article",
    "figure",
    "table",
    "tr",
    "ul",
    "ol",
    "dd",
    "dt",
}
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "form", "svg", "button"}
_WP_AUTOP = re.compile(r"\n\s*\n")


def _fragment(markup: str):
    # WordPress stores posts without <p>: blank lines are its paragraph breaks (wpautop).
    if not re.search(r"<(p|div|br)\b", markup, re.I):
        markup = "".join(f"<p>{part}</p>" for part in _WP_AUTOP.split(markup) if part.strip())
    try:
        return lxml.html.fragment_fromstring(markup or "<p></p>", create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def html_to_paragraphs(markup: str) -> list[str]:
    """Visible text of a fragment, one string per block element, whitespace collapsed."""
    root = _fragment(markup)
    if root is None:
        return [" ".join(re.sub(r"<[^>]*>", " ", markup).split())] if markup.strip() else []
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        for line in "".join(current).split("\n"):
            text = " ".join(line.split())
            if text:
                paragraphs.append(text)
        current.clear()

    def walk(element) -> None:
        block = element.tag in _BLOCKS
        if block:
            flush()
        current.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return paragraphs


def _markdown_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", text)


def html_to_markdown(markup: str) -> str:
    """A comment's HTML as the Markdown subset readers write: links, emphasis, quotes, code."""
    root = _fragment(markup)
    if root is None:
        return " ".join(re.sub(r"<[^>]*>", " ", markup).split())
    for element in list(root.iter(*_DROP)):
        element.drop_tree()

    def inline(element) -> str:
        parts = [_markdown_escape(element.text or "")]
        for child in element:
            if isinstance(child.tag, str):
                parts.append(render(child))
            parts.append(_markdown_escape(child.tail or ""))
        return "".join(parts)

    def render(element) -> str:
        tag = element.tag
        if tag == "br":
            return "  \n"
        if tag in ("em", "i"):
            inner = inline(element).strip()
            return f"*{inner}*" if inner else ""
        if tag in ("strong", "b"):
            inner = inline(element).strip()
            return f"**{inner}**" if inner else ""
        if tag == "code":
            return "`" + (element.text_content() or "").replace("`", "'") + "`"
        if tag == "a":
            href = (element.get("href") or "").strip()
            text = inline(element).strip() or href
            if re.match(r"^https?://", href, re.I) and " " not in href:
                return f"[{text}]({href.replace(')', '%29')})"
            return text
        if tag == "blockquote":
            body = "\n".join(f"> {line}".rstrip() for line in block_text(element).splitlines())
            return f"\n\n{body}\n\n"
        if tag == "li":
            return f"\n- {inline(element).strip()}"
        if tag in ("p", "div", "ul", "ol", "pre") or tag in _BLOCKS:
            return f"\n\n{inline(element).strip()}\n\n"
        return inline(element)

    def block_text(element) -> str:
        return re.sub(r"\n{3,}", "\n\n", inline(element)).strip()

    return block_text(root)
