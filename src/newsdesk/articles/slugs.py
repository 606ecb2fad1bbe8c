"""Slugs that are readable, bounded in length and unique per model."""

from django.utils.text import slugify

SLUG_MAX_LENGTH = 200


def base_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    slug = slugify(text, allow_unicode=False)[:max_length].strip("-")
    return slug or "story"


def unique_slug(text: str, model, field: str = "slug", exclude_pk=None) -> str:
    """``base_slug`` of text, with -2, -3... appended until no other row has it.

    Former slugs of articles count as taken too, so an old link never points at a
    different story.
    """
    from newsdesk.articles.models import Article, SlugRedirect

    stem = base_slug(text)
    candidate, n = stem, 1
    while True:
        taken = model.objects.filter(**{field: candidate})
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        redirect_taken = (
            model is Article
            and SlugRedirect.objects.filter(old_slug=candidate)
            .exclude(article_id=exclude_pk)
            .exists()
        )
        if not taken.exists() and not redirect_taken:
            return candidate
        n += 1
        candidate = f"{stem[: SLUG_MAX_LENGTH - len(str(n)) - 1]}-{n}"
