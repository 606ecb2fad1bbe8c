"""What a reader asked for, and the reader's words turned into a query that cannot fail.

Anything typed into the search box is valid input: the text is reduced to words (runs of
letters and digits), "quoted phrases" and -excluded words, and each backend builds its own
query language from that reduced form only, so no user character reaches a query parser.
"""

import re
from dataclasses import dataclass, field
from datetime import date

# Long pastes are cut rather than refused: the first words carry the intent.
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 16
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    text: str
    tag: str = ""  # tag slug
    source: str = ""  # source slug
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 20


@dataclass
class ParsedQuery:
    """Clauses are tuples of words: one word, or a phrase that must appear in that order."""

    required: list[tuple[str, ...]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        # Only exclusions ("-rain") would mean "everything but": treated as no query.
        return not self.required


def parse_user_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    text = (text or "")[:MAX_QUERY_CHARS]
    # Segments at odd positions sit between double quotes; an unbalanced quote simply
    # runs to the end of the text.
    for position, segment in enumerate(text.split('"')):
        if position % 2 == 1:
            _add(parsed.required, WORD.findall(segment.casefold()))
            continue
        for chunk in segment.split():
            words = WORD.findall(chunk.casefold())
            target = parsed.excluded if chunk.startswith("-") else parsed.required
            _add(target, words)
    total = MAX_CLAUSES
    parsed.required = parsed.required[:total]
    parsed.excluded = parsed.excluded[: max(0, total - len(parsed.required))]
    return parsed


def _add(clauses: list[tuple[str, ...]], words: list[str]) -> None:
    # A chunk such as "don't" or "covid-19" yields several words: keep them together.
    if words and tuple(words) not in clauses:
        clauses.append(tuple(words[:MAX_CLAUSES]))


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every clause double-quoted, so only words reach FTS5."""

    def quoted(clause: tuple[str, ...]) -> str:
        return '"' + " ".join(clause) + '"'

    expression = "(" + " ".join(quoted(c) for c in parsed.required) + ")"
    for clause in parsed.excluded:
        expression += " NOT " + quoted(clause)
    return expression


def websearch_text(parsed: ParsedQuery) -> str:
    """Input for PostgreSQL's websearch_to_tsquery, rebuilt from words only."""

    def written(clause: tuple[str, ...]) -> str:
        return clause[0] if len(clause) == 1 else '"' + " ".join(clause) + '"'

    parts = [written(c) for c in parsed.required] + ["-" + written(c) for c in parsed.excluded]
    return " ".join(parts)
