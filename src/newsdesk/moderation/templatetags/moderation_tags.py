"""Pieces other apps' templates include: the comment form's anti-bot fields and the
reader's "Report" link."""

from django import template
from django.template.loader import render_to_string

from newsdesk.moderation import defences

register = template.Library()


@register.simple_tag
def moderation_form_fields():
    """The honeypot input and the signed 'form loaded at' timestamp, for the comment form."""
    return render_to_string(
        "moderation/_form_fields.html",
        {
            "honeypot": defences.HONEYPOT_FIELD,
            "timestamp_field": defences.TIMESTAMP_FIELD,
            "timestamp": defences.form_timestamp(),
        },
    )


@register.simple_tag(takes_context=True)
def report_link(context, comment):
    """A "Report" link for a logged-in reader on someone else's published comment."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or comment.author_id == user.pk
        or comment.status != "published"
    ):
        return ""
    return render_to_string("moderation/_report_link.html", {"comment_id": comment.pk})


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
