from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from newsdesk.articles.models import Article
from newsdesk.enrich.models import Entity, Quote, Story


def person_page(request, slug):
    entity = get_object_or_404(Entity.objects.select_related("tag"), slug=slug)
    if entity.kind != Entity.Kind.PERSON:
        if entity.tag_id:  # places and organisations are their tag's page
            return redirect(entity.tag.get_absolute_url())
        return redirect("articles:front")
    articles = (
        Article.objects.published()
        .for_listing()
        .filter(entity_links__entity=entity)
        .order_by("-published_at", "-id")
    )
    quotes = (
        Quote.objects.filter(speaker=entity, article__in=Article.objects.published())
        .select_related("article")
        .order_by("-article__published_at", "-article_id", "position")[:50]
    )
    page = Paginator(articles, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "enrich/person_page.html", {"entity": entity, "page": page, "quotes": quotes}
    )


def story_page(request, slug):
    story = Story.objects.filter(slug=slug).first()
    if story is None:  # /stories/<id>/ works too and moves to the readable address
        story = get_object_or_404(Story, pk=int(slug)) if slug.isdigit() else None
        if story is None:
            raise Http404("No such story")
        return redirect(story, permanent=True)
    articles = (
        Article.objects.published()
        .select_related("source")
        .filter(story_membership__story=story)
        .order_by("published_at", "id")
    )
    return render(request, "enrich/story_page.html", {"story": story, "articles": articles})
