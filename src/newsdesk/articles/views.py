from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from newsdesk.articles.models import Article, Source, Tag
from newsdesk.articles.services import resolve_slug
from newsdesk.site.pagecache import cache_anonymous_page


def paginate(request, queryset):
    return Paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


@cache_anonymous_page
def front_page(request):
    page = paginate(request, Article.objects.published().for_listing())
    return render(request, "articles/front_page.html", {"page": page})


@cache_anonymous_page
def article_detail(request, slug):
    # The common case in one query, with what the page shows (source, discussion settings);
    # resolve_slug (old slugs, redirects) only when the slug is no article's current one.
    # (Slugs are unique: no ordering, which .first() would add and compile on every view.)
    # The story group (ingest.services.also_reported_by) and the developing story of the
    # blocks below come in the same query.
    found = (
        Article.objects.select_related("source", "discussion_settings", "story_membership__story")
        .annotate(story_group_id=F("fingerprint_record__group_id"))
        .with_visible_tags()
        .prefetch_related("authors")
        .filter(slug=slug)
        .order_by()[:1]
    )
    article = found[0] if found else None
    if article is None:
        _, moved_to = resolve_slug(slug)
        if moved_to:
            return redirect("articles:detail", slug=moved_to, permanent=True)
    if article is None or not article.is_public:
        raise Http404("No such article")
    return render(request, "articles/article_detail.html", {"article": article})


@cache_anonymous_page
def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = (
        Article.objects.published()
        .for_listing()
        .filter(article_tags__tag=tag, article_tags__state="accepted")
    )
    return render(
        request, "articles/tag_page.html", {"tag": tag, "page": paginate(request, articles)}
    )


@cache_anonymous_page
def source_page(request, slug):
    source = get_object_or_404(Source, slug=slug)
    articles = Article.objects.published().for_listing().filter(source=source)
    return render(
        request,
        "articles/source_page.html",
        {"source": source, "page": paginate(request, articles)},
    )
