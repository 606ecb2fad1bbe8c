import gzip
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.ingest.extract import ExtractionError, decode_html, extract_html

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the harbour ferry service to three new "
    "stops, ending a two-year dispute over who should pay for the new piers.",
    "Councillor Ana Ruiz, who sponsored the measure, said the ferries would take several "
    "hundred cars off the coastal road every morning once the stops open next spring.",
    "Opponents argued that the money would be better spent on buses, which reach more "
    "neighbourhoods, but the motion passed by nine votes to four after a long debate.",
    "The transport authority expects the first boats to run in April, subject to the "
    "delivery of two vessels ordered from a shipyard in the north of the country.",
]


def article_page(extra_head: str = "", before: str = "", after: str = "", lang: str = "en") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Council expands harbour ferries | Harbour Times</title>
<meta property="og:title" content="Council expands harbour ferries">
<meta property="og:site_name" content="Harbour Times">
<link rel="canonical" href="/news/2024/ferries">
{extra_head}
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Council expands harbour ferries</h1>
{before}{body}{after}
</article>
<footer><p>Copyright 2024 Harbour Times. All rights reserved.</p></footer>
</body></html>"""


def test_article_paragraphs_are_extracted_and_separated_by_blank_lines():
    page = extract_html(article_page(), url="https://harbour.example/news/2024/ferries?utm=x")
    assert page.body.split("\n\n") == PARAGRAPHS
    assert page.title == "Council expands harbour ferries"
    assert page.source == "Harbour Times"
    assert page.language == "en"
    assert page.canonical_url == "https://harbour.example/news/2024/ferries"


def test_navigation_and_share_buttons_are_not_in_body():
    share = (
        '<div class="share-tools"><a href="#">Share on Facebook</a> '
        '<a href="#">Share on Twitter</a></div>'
    )
    page = extract_html(article_page(before=share))
    assert "Share" not in page.body
    assert "Sport" not in page.body
    assert "Home" not in page.body


def test_boilerplate_lines_are_dropped_from_body():
    noise = (
        "<p>Advertisement</p><p>Sign up for our newsletter</p>"
        "<p>Related: Ferry fares to rise in January</p>"
        "<p>(Photo credit: Harbour Times)</p>"
    )
    page = extract_html(article_page(after=noise))
    assert page.body.split("\n\n") == PARAGRAPHS


def test_repeated_headline_is_not_in_body():
    page = extract_html(article_page())
    assert not page.body.startswith("Council expands")


def test_hover_cards_inside_paragraphs_are_removed():
    card = (
        '<span class="rollover-people-block"><a href="/p/ruiz">Ana Ruiz</a>'
        '<a href="/x">Ruiz backs bus plan | Other story</a></span>'
    )
    before = f"<p>The vote was called by Ana Ruiz{card} after lunch on a stormy Tuesday.</p>"
    page = extract_html(article_page(before=before))
    assert "Other story" not in page.body
    assert "after lunch on a stormy Tuesday" in page.body


def test_jsonld_metadata_is_preferred():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Harbour ferries to reach three new stops",
        "author": [
            {"@type": "Person", "name": "Mia Chen"},
            {"@type": "Person", "name": "Tom Berg"},
        ],
        "datePublished": "2024-03-05T09:30:00+01:00",
        "keywords": "transport, harbour",
        "inLanguage": "en-GB",
        "publisher": {"@type": "Organization", "name": "Harbour Times Ltd"},
    }
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    page = extract_html(article_page(extra_head=script, lang=""))
    assert page.title == "Harbour ferries to reach three new stops"
    assert page.author == "Mia Chen, Tom Berg"
    assert page.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert page.published.tzinfo is not None
    assert page.tags[:2] == ["transport", "harbour"]
    assert page.language == "en"


def test_jsonld_article_body_filters_out_html_only_paragraphs():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council expands harbour ferries",
        "articleBody": "\n\n".join(PARAGRAPHS),
    }
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    promo = (
        "<p>Our reporters cover the harbour every day of the year; support local "
        "journalism by taking out a subscription to the print and digital editions today.</p>"
    )
    page = extract_html(article_page(extra_head=script, after=promo))
    assert page.body.split("\n\n") == PARAGRAPHS


def test_jsonld_article_body_is_used_when_the_html_has_no_paragraphs():
    text = " ".join(PARAGRAPHS)
    ld = {
        "@type": "NewsArticle",
        "headline": "Ferries",
        "articleBody": f"&lt;p&gt;{text}&lt;/p&gt;",
    }
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
        '<body><div id="app">Loading…</div></body></html>'
    )
    page = extract_html(html)
    assert page.body == text


def test_naive_published_date_is_taken_as_utc():
    meta = '<meta property="article:published_time" content="2024-03-05T09:30:00">'
    page = extract_html(article_page(extra_head=meta))
    assert page.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def test_page_without_article_text_raises_extraction_error():
    with pytest.raises(ExtractionError):
        extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_empty_input_raises_extraction_error_with_readable_message():
    with pytest.raises(ExtractionError, match="empty"):
        extract_html(b"")


def test_decode_html_reads_gzip():
    raw = article_page().encode("utf-8")
    assert decode_html(gzip.compress(raw)) == raw.decode("utf-8")


def test_decode_html_honours_byte_order_mark():
    assert decode_html("<p>café</p>".encode("utf-16")) == "<p>café</p>"
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>") == "<p>café</p>"


def test_decode_html_honours_meta_charset():
    html = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    assert "Привет" in decode_html(html.encode("cp1251"))


def test_decode_html_treats_latin1_label_as_windows_1252():
    html = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>“quoted”</p>'
    assert "“quoted”" in decode_html(html.encode("cp1252"))


def test_decode_html_falls_back_when_declared_charset_is_wrong():
    html = '<meta charset="utf-8"><p>' + "Ça coûte très cher à Noël. " * 20 + "</p>"
    assert "Noël" in decode_html(html.encode("cp1252"))


def test_decode_html_survives_truncated_gzip():
    assert isinstance(decode_html(gzip.compress(b"<p>hello</p>" * 100)[:30]), str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_decode_html_never_raises_on_any_bytes(data):
    assert isinstance(decode_html(data), str)


html_fragments = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div class='share'>",
                "</div>",
                "<article>",
                "<br>",
                "<script type='application/ld+json'>",
                "</script>",
                '{"@type":',
                "<meta charset='utf-16'>",
                "<?xml version='1.0'?>",
                "<!--",
                "\x00",
                "<html>",
                "<body>",
                "&amp;",
                "&#0;",
                "<title>",
                "</title>",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        html_fragments, html_fragments.map(lambda s: s.encode("utf-8")), st.binary(max_size=500)
    )
)
def test_extract_html_fails_only_with_extraction_error(data):
    try:
        page = extract_html(data)
    except ExtractionError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert page.body.strip()
