import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def json_ld(data: dict) -> str:
    """A JSON-LD block; <, > and & are escaped as in json_script, so no text can end it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
