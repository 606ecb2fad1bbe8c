"""The same discussion for every server under test: bodies, guest names, reply structure.

Pure Python (no Django), so the Isso side of the benchmark uses it too.
"""

from __future__ import annotations

OPENINGS = [
    "I think the key point here is the timing.",
    "Interesting piece, but it leaves out the **economic** side.",
    "Does anyone have a link to the full statement?",
    "This matches what I read last week in the *local* press.",
    "Hard to say what happens next; both sides have said this before.",
]
MIDDLES = [
    "The article says talks could start soon, yet nothing concrete was agreed.",
    "Compare it with the numbers from last year: the trend is the same.",
    "My family lives near there and the mood is very different from the headlines.",
    "A ceasefire that nobody checks is only a press release.",
]


def comment_body(index: int) -> str:
    """About 200 characters of Markdown, different for every index (no double-submit hits)."""
    return (
        f"{OPENINGS[index % len(OPENINGS)]} {MIDDLES[index % len(MIDDLES)]}\n\n"
        f"- point {index} of the thread\n- see the [source](https://example.org/{index})"
    )


def guest_name(index: int) -> str:
    return f"Reader {index % 37}"


def guest_email(index: int) -> str:
    return f"reader{index % 37}@example.org"


def parent_index(index: int) -> int | None:
    """Every fifth comment replies to the comment before it; the rest start threads."""
    return index - 1 if index % 5 == 4 else None
