"""The reader's words → a safe query, and snippets → safe HTML. No database."""

from newsdesk.search.query import (
    MAX_CLAUSES,
    fts5_expression,
    parse_user_query,
    websearch_text,
)
from newsdesk.search.snippets import MARK_END, MARK_START, clean_text, marked_to_html


def test_words_phrases_and_exclusions_are_recognised():
    parsed = parse_user_query('grain "black sea" -wheat exports')
    assert parsed.required == [("grain",), ("black", "sea"), ("exports",)]
    assert parsed.excluded == [("wheat",)]


def test_fts5_expression_quotes_every_clause():
    parsed = parse_user_query('grain "black sea" -wheat')
    assert fts5_expression(parsed) == '("grain" "black sea") NOT "wheat"'


def test_fts_operators_typed_by_a_reader_become_plain_words():
    parsed = parse_user_query("headline:grain AND (wheat OR NEAR(a b)) ^x *")
    expression = fts5_expression(parsed)
    assert ":" not in expression and "(" not in expression.strip("()")
    assert parsed.required == [
        ("headline", "grain"),
        ("and",),
        ("wheat",),
        ("or",),
        ("near", "a"),
        ("b",),
        ("x",),
    ]


def test_an_unbalanced_quote_runs_to_the_end():
    parsed = parse_user_query('talks "black sea')
    assert parsed.required == [("talks",), ("black", "sea")]


def test_only_exclusions_is_an_empty_query():
    assert parse_user_query("-rain -snow").is_empty
    assert parse_user_query("  \x00 🙂 ;-- ").is_empty


def test_a_hyphenated_word_stays_a_phrase():
    assert parse_user_query("covid-19").required == [("covid", "19")]


def test_long_queries_are_cut_to_a_bounded_number_of_clauses():
    parsed = parse_user_query("word " * 2000)
    assert len(parsed.required) == 1
    parsed = parse_user_query(" ".join(f"w{i}" for i in range(5000)))
    assert len(parsed.required) == MAX_CLAUSES


def test_websearch_text_keeps_phrases_and_exclusions():
    parsed = parse_user_query('\'; DROP TABLE x; -- "black sea" -wheat')
    assert websearch_text(parsed) == 'drop table x "black sea" -wheat'


def test_snippet_html_escapes_text_and_marks_matches():
    html = marked_to_html(f"<script>alert(1)</script> {MARK_START}grain{MARK_END} & co")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>grain</mark> &amp; co"


def test_snippet_html_closes_an_unbalanced_mark():
    assert marked_to_html(f"{MARK_START}a{MARK_START}b") == "<mark>ab</mark>"
    assert marked_to_html(f"a{MARK_END}b") == "ab"


def test_indexed_text_cannot_carry_marker_characters():
    assert MARK_START not in clean_text(f"x{MARK_START}y{MARK_END}\x00")
