"""The shapes the API reads and writes; the OpenAPI document is generated from these."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, field_validator

ArticleStatus = Literal["draft", "published", "withdrawn"]
SLUG = r"^[-\w]+$"


def _reject_nul(value):
    # PostgreSQL cannot store NUL in text; refuse it here as bad input, not a server error.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    if isinstance(value, dict):
        for item in value.values():
            _reject_nul(item)
    if isinstance(value, list):
        for item in value:
            _reject_nul(item)
    return value


class Input(Schema):
    """A request body: any text anywhere in it is free of NUL characters."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul_characters(cls, value):
        return _reject_nul(value)


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str


class TagOut(Schema):
    name: str
    slug: str
    kind: str
    url: str


class TagWithCount(TagOut):
    article_count: int


class SourceOut(Schema):
    name: str
    slug: str
    homepage_url: str
    url: str


class SourceWithCount(SourceOut):
    article_count: int


class ArticleSummary(Schema):
    id: int
    slug: str
    headline: str
    url: str = Field(description="The article's page on the site.")
    api_url: str
    source: SourceOut | None
    published: datetime
    updated: datetime
    language: str
    status: ArticleStatus
    tags: list[TagOut]
    comment_count: int


class ArticleDetail(ArticleSummary):
    authors: list[str]
    canonical_url: str
    body: list[str] = Field(description="The body's paragraphs, plain text, in order.")


class ArticlePage(Schema):
    items: list[ArticleSummary]
    next: str | None = Field(description="The next page, or null on the last page.")


class TagList(Schema):
    items: list[TagWithCount]


class SourceList(Schema):
    items: list[SourceWithCount]


class SearchHit(Schema):
    article: ArticleSummary
    headline_html: str = Field(description="The headline with the matching words in <mark>.")
    snippet_html: str = Field(
        description="An excerpt with the matching words in <mark>; everything else escaped."
    )


class SearchPage(Schema):
    query: str
    total: int
    page: int
    items: list[SearchHit]
    next: str | None


class CommentOut(Schema):
    id: int
    parent: int | None
    author: str = Field(description="The name the commenter shows.")
    body_html: str = Field(description="Sanitised HTML rendered from the comment's Markdown.")
    created: datetime
    edited: datetime | None
    recommendation_count: int


class CommentPage(Schema):
    items: list[CommentOut]
    next: str | None


class CommentIn(Input):
    body: str = Field(min_length=1, max_length=20000)
    parent: int | None = Field(default=None, description="The id of the comment replied to.")


class CommentPosted(Schema):
    status: str = Field(description="published, or pending when held for review.")
    id: int
    detail: str
    comment: CommentOut | None = Field(description="The comment as shown, once published.")


class ArticleIn(Input):
    headline: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, description="Paragraphs separated by a blank line.")
    source: str | None = Field(default=None, max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=50)
    authors: list[str] = Field(default_factory=list, max_length=20)
    published: AwareDatetime | None = None
    language: str = Field(default="en", min_length=1, max_length=12)
    canonical_url: str = Field(default="", max_length=1000)
    status: ArticleStatus = "draft"


class ArticlePatch(Input):
    headline: str | None = Field(default=None, min_length=1, max_length=300)
    body: str | None = Field(default=None, min_length=1)
    source: str | None = Field(default=None, max_length=200)
    tags: list[str] | None = Field(default=None, max_length=50)
    authors: list[str] | None = Field(default=None, max_length=20)
    published: AwareDatetime | None = None
    language: str | None = Field(default=None, min_length=1, max_length=12)
    canonical_url: str | None = Field(default=None, max_length=1000)
    status: ArticleStatus | None = None
