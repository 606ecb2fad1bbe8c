import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.ingest.pagetext import (
    PageText,
    PageTextError,
    decode_text,
    parse_page_bytes,
    parse_page_text,
    render_page_text,
)

FURNITURE = [
    "Tags",
    "Comments (0)",
    "What is your opinion on this topic?",
    "Leave the first comment",
]


def test_sample_parses_to_headline_source_and_ten_paragraphs(sample_text):
    page = parse_page_text(sample_text)
    assert page.headline == "Putin hints at bilateral talks with Kyiv, truce falters"
    assert page.source == "reuters"
    assert len(page.paragraphs) == 10
    assert page.paragraphs[0].startswith("Russian President Vladimir Putin")
    assert page.paragraphs[-1].startswith("Though both sides")
    assert page.tags == ()


def test_sample_furniture_never_reaches_the_body(sample_text):
    body = parse_page_text(sample_text).body
    for phrase in FURNITURE:
        assert phrase not in body


def test_tag_lines_between_tags_and_comments_become_tags():
    text = "Headline here\n\nap\n\nOne paragraph.\n\nTags\n\nUkraine\n\nVladimir Putin\n\nComments (3)\n\nWhat is your opinion on this topic?\n"
    page = parse_page_text(text)
    assert page.tags == ("Ukraine", "Vladimir Putin")
    assert page.paragraphs == ("One paragraph.",)


def test_tags_may_be_one_per_line_in_one_block_or_comma_separated():
    text = "Headline\n\nreuters\n\nBody.\n\nTags\nUkraine\nRussia, Peace talks\nComments (0)"
    assert parse_page_text(text).tags == ("Ukraine", "Russia", "Peace talks")


def test_missing_source_line_still_imports_the_first_paragraph_as_body():
    text = "A headline\n\nThe first paragraph is a sentence that ends with a full stop.\n\nSecond paragraph.\n"
    page = parse_page_text(text)
    assert page.source is None
    assert page.paragraphs[0].startswith("The first paragraph")


def test_missing_furniture_block_keeps_every_paragraph():
    text = "A headline\n\nreuters\n\nFirst.\n\nLast paragraph."
    page = parse_page_text(text)
    assert page.paragraphs == ("First.", "Last paragraph.")


def test_a_body_paragraph_that_says_tags_mid_story_is_kept():
    text = "H\n\nreuters\n\nTags\n\nThe word above is part of the story, which goes on.\n\nComments (0)"
    page = parse_page_text(text)
    assert "The word above is part of the story, which goes on." in page.paragraphs


def test_crlf_and_whitespace_lines_are_blank_lines():
    text = "Headline\r\n\r\nreuters\r\n  \r\nPara one\r\ncontinues.\r\n\r\nPara two."
    page = parse_page_text(text)
    assert page.paragraphs == ("Para one continues.", "Para two.")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"Only a headline\n", "no body"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"<!doctype html><html><body><p>x</p></body></html>", "HTML"),
        (("H" * 2000 + "\n\nbody text.").encode(), "headline is 2,000 characters"),
    ],
)
def test_bad_input_fails_with_a_clear_reason(data, reason):
    with pytest.raises(PageTextError, match=reason):
        parse_page_bytes(data)


def test_oversized_input_is_refused_before_parsing():
    with pytest.raises(PageTextError, match="20.0 MB"):
        parse_page_bytes(b"x" * (20 * 1024 * 1024), max_bytes=5 * 1024 * 1024)


def test_latin1_bytes_are_decoded_by_detection():
    text = (
        "Café owners protest in Zürich\n\nafp\n\nThe café owners of Zürich said prices had risen.\n"
    )
    page = parse_page_bytes(text.encode("latin-1"))
    assert page.headline == "Café owners protest in Zürich"


def test_utf8_bom_and_utf16_are_honoured():
    text = "Headline\n\nreuters\n\nBody paragraph."
    assert decode_text(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_text(text.encode("utf-16")) == text


# --- properties ----------------------------------------------------------------------

line_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x00"
        ),
        min_size=1,
        max_size=80,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_parses_or_fails_with_a_reason(text):
    try:
        page = parse_page_text(text)
    except PageTextError as exc:
        assert str(exc)
    else:
        assert page.headline and page.paragraphs


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_fail_with_a_reason(data):
    try:
        parse_page_bytes(data)
    except PageTextError as exc:
        assert str(exc)


sentences = line_text.map(lambda s: s.rstrip(".?!") + ".")
tag_names = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=20
)


@st.composite
def pages(draw):
    headline = draw(line_text.filter(lambda s: s.lower() not in {"tags"}))
    source = draw(st.one_of(st.none(), st.sampled_from(["reuters", "ap", "afp", "bbc news"])))
    paragraphs = tuple(draw(st.lists(sentences, min_size=1, max_size=6)))
    tags = tuple(dict.fromkeys(draw(st.lists(tag_names, max_size=5))))
    tags = tuple({t.lower(): t for t in tags}.values())
    return PageText(headline=headline, source=source, paragraphs=paragraphs, tags=tags)


@settings(max_examples=300, deadline=None)
@given(pages(), st.integers(min_value=0, max_value=500))
def test_parse_of_render_round_trips(page, comment_count):
    try:
        parsed = parse_page_text(render_page_text(page, comment_count))
    except PageTextError:
        # A headline of page furniture or HTML-looking text is refused on purpose.
        return
    assert parsed == page
