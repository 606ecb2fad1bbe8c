from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from newsdesk.comments.render import thread_html
from newsdesk.comments.thread import load_discussion

register = template.Library()


@register.simple_tag(takes_context=True)
def discussion_for(context, article):
    """The article's discussion for this request's reader (constant number of queries)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    params = request.GET if request is not None else {}
    return load_discussion(
        article, viewer, sort=params.get("sort", ""), reply_to_id=params.get("reply")
    )


def _csrf_token(context) -> str:
    # Only signed-in readers get per-comment forms (recommend); asking for a token
    # otherwise would mark an anonymous page as needing a CSRF cookie for nothing.
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return str(context.get("csrf_token") or "")


@register.simple_tag(takes_context=True)
def comment_thread(context, discussion, article):
    """All the discussion's comments, rendered in Python (newsdesk.comments.render)."""
    return mark_safe(  # noqa: S308 - escaped in render.py; body_html comes from render_comment
        thread_html(
            discussion.nodes,
            article.get_absolute_url(),
            closed=discussion.closed,
            csrf_token=_csrf_token(context),
        )
    )


@register.simple_tag
def comments_max_length():
    return settings.COMMENTS_MAX_LENGTH


@register.simple_tag(takes_context=True)
def comments_login_url(context, article):
    from newsdesk.comments.views import login_url

    return login_url(article.get_absolute_url() + "#comment-form")
