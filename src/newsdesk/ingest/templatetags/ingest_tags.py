"""{% also_reported_by article %}: the other outlets that carried this story."""

from django import template

from newsdesk.ingest.services import also_reported_by as other_versions

register = template.Library()


@register.inclusion_tag("ingest/_also_reported_by.html")
def also_reported_by(article):
    return {"versions": other_versions(article)}
