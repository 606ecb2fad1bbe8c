"""render_comment is the only path from reader text to HTML: prove it is safe."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.comments.markup import (
    ALLOWED_TAGS,
    excerpt,
    render_comment,
    render_plain,
)

SAFE_SCHEMES = ("http:", "https:", "mailto:")
ALLOWED_ATTRS = {"a": {"href", "rel"}}


class _Collector(HTMLParser):
    """Record every start tag and its attributes, as a browser would see them
    (html.parser unescapes attribute values, so entity tricks are decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))


def parse(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector.elements


def assert_safe(output: str) -> None:
    assert "<script" not in output.lower()
    # No event-handler attribute anywhere in real markup.
    assert not re.search(r"<[^>]*\son\w+\s*=", output, re.IGNORECASE)
    for tag, attrs in parse(output):
        assert tag in ALLOWED_TAGS, f"disallowed tag <{tag}> in {output!r}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRS.get(tag, set()), f"{tag}[{name}] in {output!r}"
            if name == "href":
                # Browsers ignore whitespace/control chars in schemes; so do we.
                cleaned = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
                assert cleaned.startswith(SAFE_SCHEMES), f"href {value!r}"


XSS_PAYLOADS = [
    # raw script and friends
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x20type='text/javascript'>alert(1);</script>",
    "<<script>alert(1);//<</script>",
    "<style>@import 'http://evil/x.css';</style>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)>",
    "<embed src=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<form action=javascript:alert(1)><input type=submit>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover</div>",
    "<p onclick=alert(1)>click</p>",
    "<a href=http://ok.example onclick=alert(1)>x</a>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\x0b=alert(1)>",
    # svg / math
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # mutation XSS
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    # markdown links with bad schemes
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](java\x00script:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](javascript://%0aalert(1))",
    "[x](file:///etc/passwd)",
    '[x](http://ok.example "title" onclick=alert(1))',
    '[x](http://ok.example" onmouseover="alert(1))',
    "[x](//evil.example/path)",
    "[x](/relative/path)",
    # autolinks
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<java&#x09;script:alert(1)>",
    # reference-style links
    "[x][1]\n\n[1]: javascript:alert(1)",
    "[x]\n\n[x]: JaVaScRiPt:alert(1)",
    "[x][r]\n\n[r]: java&#x09;script:alert(1) 'title'",
    "[x][r]\n\n[r]: <data:text/html,x>",
    # images
    "![x](javascript:alert(1))",
    "![x](http://evil.example/pixel.gif)",
    '![x" onerror="alert(1)](http://evil.example/x.png)',
    "![x][img]\n\n[img]: http://evil.example/pixel.gif",
    # markdown wrapped around raw HTML
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "- <svg onload=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "[<img src=x onerror=alert(1)>](http://ok.example)",
    "[x](http://ok.example/<script>alert(1)</script>)",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="&#106;avascript:alert(1)">x</a>',
]


def test_payload_list_is_large():
    assert len(XSS_PAYLOADS) >= 60


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload):
    assert_safe(render_comment(payload))


@pytest.mark.parametrize(
    "payload",
    [p for p in XSS_PAYLOADS if re.search(r"(?i)script:|vbscript|data:|file:", p)],
)
def test_dangerous_scheme_never_becomes_an_href(payload):
    for _tag, attrs in parse(render_comment(payload)):
        for name, value in attrs:
            assert name != "href" or value.startswith(("http:", "https:", "mailto:"))


def links(output: str) -> list[dict[str, str | None]]:
    return [dict(attrs) for tag, attrs in parse(output) if tag == "a"]


def test_markdown_link_renders_with_nofollow_ugc_noopener():
    [link] = links(render_comment("see [the report](https://example.org/r?a=1&b=2)"))
    assert link["href"] == "https://example.org/r?a=1&b=2"
    assert {"nofollow", "ugc", "noopener"} <= set(link["rel"].split())


def test_autolinks_and_mailto_render_as_links():
    out = render_comment("<https://example.org/x> or <editor@example.org>")
    hrefs = [link["href"] for link in links(out)]
    assert hrefs == ["https://example.org/x", "mailto:editor@example.org"]
    assert all("nofollow" in link["rel"] for link in links(out))


def test_reference_style_link_to_http_works():
    [link] = links(render_comment("[docs][1]\n\n[1]: http://example.org/docs"))
    assert link["href"] == "http://example.org/docs"


def test_relative_link_is_left_as_text():
    out = render_comment("[home](/admin/)")
    assert links(out) == []
    assert "[home](/admin/)" in out


def test_javascript_link_is_left_as_visible_text():
    out = render_comment("[x](javascript:alert(1))")
    assert links(out) == []
    assert "javascript:alert(1)" in out


def test_image_renders_alt_text_only():
    out = render_comment("look ![a *cat*](https://example.org/cat.png) here")
    assert "<img" not in out
    assert "example.org/cat.png" not in out
    assert out == "<p>look a cat here</p>"


def test_raw_html_is_escaped_and_visible():
    out = render_comment("<b>bold?</b> <img src=x onerror=alert(1)>")
    assert "&lt;b&gt;bold?&lt;/b&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert parse(out) == [("p", [])]


def test_headings_and_tables_render_as_text():
    assert render_comment("# Breaking") == "<p># Breaking</p>"
    assert "<h" not in render_comment("Title\n=====")
    table = render_comment("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table" not in table and "| a | b |" in table


def test_supported_markdown_subset():
    out = render_comment(
        "*em* **strong** `code`\n\n> quoted\n\n- one\n- two\n\n1. first\n\n```\nblock <x>\n```"
    )
    tags = {tag for tag, _ in parse(out)}
    assert tags == {"p", "em", "strong", "code", "blockquote", "ul", "ol", "li", "pre"}
    assert "block &lt;x&gt;" in out


def test_newline_becomes_line_break():
    assert render_comment("line one\nline two") == "<p>line one<br>\nline two</p>"


def test_code_fence_language_class_is_dropped():
    assert render_comment("```python\nx = 1\n```") == "<pre><code>x = 1\n</code></pre>"


def test_empty_input_renders_empty():
    assert render_comment("") == ""


def test_render_plain_escapes_everything():
    assert render_plain('<b>"Ann" & **Bob**</b>') == (
        "&lt;b&gt;&quot;Ann&quot; &amp; **Bob**&lt;/b&gt;"
    )


def test_excerpt_strips_markdown_and_keeps_short_text():
    assert excerpt("**Hello** [world](https://x.example)\n\n> quoted") == ("Hello world quoted")


def test_excerpt_cuts_at_word_boundary_with_ellipsis():
    text = excerpt("word " * 100, length=22)
    assert text == "word word word word…"
    assert len(text) <= 22


def test_excerpt_never_exceeds_length():
    text = excerpt("x" * 500, length=50)
    assert len(text) == 50 and text.endswith("…")


def test_excerpt_is_plain_text_not_html():
    # Autoescaping templates will escape it; it must not be escaped twice.
    assert excerpt("a < b & <script>") == "a < b & <script>"


# Fragments that tend to interact: markdown syntax, HTML, schemes, entities.
FRAGMENTS = [
    "<",
    ">",
    "[",
    "]",
    "(",
    ")",
    "!",
    "*",
    "_",
    "`",
    "```",
    "\n",
    "\n\n",
    " ",
    "> ",
    "- ",
    "1. ",
    "#",
    "&",
    "&#x09;",
    "&#106;",
    "&lt;",
    '"',
    "'",
    "=",
    "javascript:",
    "JaVaScRiPt:",
    "data:",
    "vbscript:",
    "http://a.example",
    "https:",
    "mailto:",
    "<a href=",
    "<img src=x onerror=alert(1)>",
    "<script>",
    "</script>",
    "<svg onload=",
    "onerror=",
    "[x]: ",
    "\x00",
    "\t",
    "java\tscript:",
]
markdownish = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), markdownish))
def test_any_input_renders_to_allowed_html_only(source):
    assert_safe(render_comment(source))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=400))
def test_excerpt_respects_length_for_any_input(source, length):
    assert len(excerpt(source, length)) <= length
