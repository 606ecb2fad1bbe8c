"""Highlighted snippets as safe HTML.

Backends wrap matches in two control characters that cannot occur in indexed text
(clean_text removes them); marked_to_html escapes everything else and only then turns
the markers into <mark> elements, so no stored or typed text is ever marked safe unescaped.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MARK_START = "\x02"
MARK_END = "\x03"
_MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
_UNWANTED = str.maketrans({MARK_START: " ", MARK_END: " ", "\x00": " "})


def clean_text(text: str) -> str:
    """Text as it goes into the index: without the marker characters (or NUL)."""
    return (text or "").translate(_UNWANTED)


def marked_to_html(marked: str) -> SafeString:
    pieces: list[str] = []
    inside = False
    for piece in _MARKERS.split(marked or ""):
        if piece == MARK_START:
            if not inside:
                pieces.append("<mark>")
                inside = True
        elif piece == MARK_END:
            if inside:
                pieces.append("</mark>")
                inside = False
        elif piece:
            pieces.append(escape(piece))
    if inside:
        pieces.append("</mark>")
    return mark_safe("".join(pieces))  # noqa: S308 - built from escaped text and our own tags
