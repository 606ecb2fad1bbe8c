from django.db.models import Count, Q
from django.shortcuts import render

from newsdesk.articles.models import Source, Tag
from newsdesk.search import services
from newsdesk.search.forms import SearchForm
from newsdesk.search.query import parse_user_query


def results(request):
    form = SearchForm(request.GET)
    query = form.search_query()
    page = None
    if not parse_user_query(query.text).is_empty:
        page = services.search(query)
    context = {
        "form": form,
        "query": query,
        "page": page,
        "tags": _tag_choices(query.tag),
        "sources": Source.objects.order_by("name"),
        "filters": _filters_querystring(query),
    }
    return render(request, "search/results.html", context)


def _tag_choices(selected: str, limit: int = 100) -> list[Tag]:
    """The most used tags (a site may have thousands), plus the one in the query."""
    tags = list(
        Tag.objects.annotate(uses=Count("article_tags", filter=Q(article_tags__state="accepted")))
        .filter(uses__gt=0)
        .order_by("-uses", "name")[:limit]
    )
    if selected and all(tag.slug != selected for tag in tags):
        tags += list(Tag.objects.filter(slug=selected))
    return sorted(tags, key=lambda tag: tag.name)


def _filters_querystring(query) -> str:
    from django.utils.http import urlencode

    params = {
        "q": query.text,
        "tag": query.tag,
        "source": query.source,
        "from": query.date_from.isoformat() if query.date_from else "",
        "to": query.date_to.isoformat() if query.date_to else "",
    }
    return urlencode({key: value for key, value in params.items() if value})
