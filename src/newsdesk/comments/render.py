"""The discussion thread's HTML, written in Python.

Django's template engine costs about half a millisecond per comment (an include, a
``{% url %}`` and a filter chain each time); a 500-comment thread took ~290 ms. Here each
comment is a handful of string concatenations: the same markup, classes, ids and texts
the comment template once produced (tests and discussion.js depend on them), at a few
microseconds a comment. The page and the fragment discussion.js inserts after posting both
come from ``comment_html``.

Everything that comes from a reader is escaped here, except ``body_html``, which
``comments.markup.render_comment`` already sanitised when the comment was stored.
"""

from __future__ import annotations

import functools
from html import escape  # the same five characters as django.utils.html.escape, without SafeString

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

from newsdesk.comments.models import Comment

_PUBLISHED = Comment.Status.PUBLISHED.value
_MARK = 987654321  # a stand-in id, replaced by each comment's own


def _url_parts(name: str) -> tuple[str, str]:
    return _url_parts_for(name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=64)
def _url_parts_for(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    # Keyed by what reverse() depends on besides the name; the fragment after a post
    # needs five of these, and reverse() is the slowest step of rendering it.
    head, _, tail = reverse(name, args=[_MARK]).partition(str(_MARK))
    return head, tail


@functools.lru_cache(maxsize=16)
def _month_names(language: str | None) -> dict[int, str]:
    return {n: str(MONTHS_3[n]).title() for n in MONTHS_3}


class ThreadRenderer:
    """Renders nodes (thread.Node) of one article for one reader.

    Built once per page, so URL prefixes, month names and the CSRF input are computed
    once, not once per comment.
    """

    def __init__(self, article_url: str, *, closed: bool = False, csrf_token: str = ""):
        self.article_url = escape(article_url)
        self.closed = closed
        self.csrf_input = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            if csrf_token
            else ""
        )
        self.recommend_url = _url_parts("comments:recommend")
        self.permalink_url = _url_parts("comments:permalink")
        self.edit_url = _url_parts("comments:edit")
        self.delete_url = _url_parts("comments:delete")
        self.report_url = _url_parts("moderation:report")
        self.months = _month_names(get_language())
        self.tz = timezone.get_current_timezone()  # as the |date filter shows times

    def _local(self, value):
        return value.astimezone(self.tz) if value.tzinfo is not None else value

    def _date(self, local) -> str:
        return f"{local.day} {self.months[local.month]} {local.year}, {local:%H:%M}"

    def _url(self, parts: tuple[str, str], pk: int) -> str:
        return f"{parts[0]}{pk}{parts[1]}"

    def thread(self, nodes) -> str:
        return "".join(self.comment(node) for node in nodes)

    def comment(self, node) -> str:
        c = node.comment
        pk = c.pk
        classes = "comment"
        if node.awaiting_review:
            classes += " comment--pending"
        if not node.visible:
            classes += " comment--placeholder"
        out = [
            f'<li class="{classes}" id="comment-{pk}" data-comment-id="{pk}" '
            f'data-depth="{node.depth}">\n  '
        ]
        if node.visible:
            out.append(self._inner(node, c, pk))
        else:
            out.append(f'<p class="comment__placeholder">{escape(node.placeholder)}</p>\n  ')
        if node.children:
            out.append('<ol class="comment-list comment-list--replies">')
            out.extend(self.comment(child) for child in node.children)
            out.append("</ol>")
        out.append("\n</li>")
        return "".join(out)

    def _inner(self, node, c, pk) -> str:
        name = escape(node.author_name)
        created = self._local(c.created_at)
        meta = [f'<span class="comment__author">{name}</span>']
        if c.author_id is None:
            meta.append(' <span class="comment__guest">(guest)</span>')
        meta.append("\n      ")
        if node.in_reply_to:
            meta.append(
                f'<span class="comment__reply-to">in reply to {escape(node.in_reply_to)}</span>'
            )
        meta.append(
            f'\n      · <a class="comment__permalink" href="{self.article_url}#comment-{pk}">'
            f'<time datetime="{created.isoformat()}">{self._date(created)}</time></a>\n      '
        )
        if c.edited_at:
            meta.append(
                f'· <span class="comment__edited" title="{self._date(self._local(c.edited_at))}">edited</span>'
            )
        meta.append("\n      ")
        if node.awaiting_review:
            meta.append('· <span class="comment__pending">awaiting review</span>')
        count = c.recommendation_count
        actions = []
        if node.can_recommend:
            pressed, label = ("true", "Recommended") if node.recommended else ("false", "Recommend")
            actions.append(
                f'<form class="comment__recommend" method="post" '
                f'action="{self._url(self.recommend_url, pk)}">{self.csrf_input}'
                f'<button type="submit" aria-pressed="{pressed}">{label} '
                f'(<span class="comment__recommend-count">{count}</span>)</button></form>'
            )
        elif count:
            plural = "" if count == 1 else "s"
            actions.append(
                f'<span class="comment__recommendations">{count} recommendation{plural}</span>'
            )
        actions.append("\n      ")
        if c.status == _PUBLISHED and not self.closed:
            actions.append(
                f'<a class="comment__reply" href="?reply={pk}#comment-form" '
                f'data-reply-to="{pk}" data-reply-name="{name}">Reply</a>'
            )
        actions.append(
            f'\n      <a class="comment__link" href="{self._url(self.permalink_url, pk)}">Link</a>\n      '
        )
        if node.can_edit:
            actions.append(
                f'<a class="comment__edit" href="{self._url(self.edit_url, pk)}">Edit</a>'
            )
        actions.append("\n      ")
        if node.can_delete:
            actions.append(
                f'<a class="comment__delete" href="{self._url(self.delete_url, pk)}">Delete</a>'
            )
        if node.can_report:
            actions.append(
                f'\n      <a class="comment__report" href="{self._url(self.report_url, pk)}" '
                'rel="nofollow">Report</a>'
            )
        return (
            '<article class="comment__inner">\n    <header class="comment__meta">\n      '
            + "".join(meta)
            + f'\n    </header>\n    <div class="comment__body">{c.body_html}</div>\n'
            '    <footer class="comment__actions">\n      '
            + "".join(actions)
            + "\n    </footer>\n  </article>\n  "
        )


def thread_html(nodes, article_url: str, *, closed: bool = False, csrf_token: str = "") -> str:
    """The <li> elements of a whole thread (without the enclosing <ol>)."""
    return ThreadRenderer(article_url, closed=closed, csrf_token=csrf_token).thread(nodes)


def comment_html(node, article_url: str, *, closed: bool = False, csrf_token: str = "") -> str:
    """One comment and its replies: the fragment discussion.js inserts after posting."""
    return ThreadRenderer(article_url, closed=closed, csrf_token=csrf_token).comment(node)
