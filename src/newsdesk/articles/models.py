"""Articles, their sources, authors and tags: the newsroom's core records."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.slugs import unique_slug

HEADLINE_MAX_LENGTH = 300


class Source(models.Model):
    """Who reported a story: a wire service, a newspaper, a partner site."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage_url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", args=[self.slug])


class Author(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        PERSON = "person", "Person"
        PLACE = "place", "Place"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TOPIC)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_visible_tags(self):
        accepted = ArticleTag.objects.filter(state=ArticleTag.State.ACCEPTED).select_related("tag")
        return self.prefetch_related(
            models.Prefetch("article_tags", queryset=accepted.order_by("tag__name"), to_attr="accepted_tag_links")
        )

    def for_listing(self):
        return self.select_related("source").with_visible_tags()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=HEADLINE_MAX_LENGTH)
    slug = models.SlugField(max_length=220, unique=True, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    language = models.CharField(max_length=12, default="en")
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    canonical_url = models.URLField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # sha256 of the normalised headline and body: an import of unchanged content is a no-op.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # Identifies "the same story" across edits of an imported file (source + headline).
    import_key = models.CharField(max_length=64, blank=True, db_index=True)
    # Kept in step by the comments app inside the same transaction as the change.
    comment_count = models.PositiveIntegerField(default=0)
    tags = models.ManyToManyField(Tag, through="ArticleTag", related_name="articles", blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def visible_tags(self) -> list["Tag"]:
        """Accepted tags, from the prefetch of for_listing() when there was one."""
        links = getattr(self, "accepted_tag_links", None)
        if links is None:
            links = self.article_tags.filter(state=ArticleTag.State.ACCEPTED).select_related("tag")
            links = sorted(links, key=lambda link: link.tag.name)
        return [link.tag for link in links]

    def json_ld(self) -> dict:
        """schema.org NewsArticle for search engines."""
        from django.conf import settings

        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.headline,
            "datePublished": self.published_at.isoformat(),
            "dateModified": (self.updated_at or self.published_at).isoformat(),
            "inLanguage": self.language,
            "mainEntityOfPage": settings.SITE_URL + self.get_absolute_url(),
            "articleBody": self.body,
            "keywords": [tag.name for tag in self.visible_tags],
        }
        if self.source:
            data["publisher"] = {"@type": "Organization", "name": self.source.name}
        authors = [a.name for a in self.authors.all()]
        if authors:
            data["author"] = [{"@type": "Person", "name": name} for name in authors]
        return data

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.headline, Article, exclude_pk=self.pk)
        elif self.pk:
            self._move_slug_if_headline_changed()
        super().save(*args, **kwargs)

    def _move_slug_if_headline_changed(self) -> None:
        previous = Article.objects.filter(pk=self.pk).values("headline", "slug").first()
        if not previous or previous["headline"] == self.headline:
            return
        if previous["slug"] != self.slug:  # the editor chose a slug by hand
            return
        new_slug = unique_slug(self.headline, Article, exclude_pk=self.pk)
        if new_slug != self.slug:
            SlugRedirect.objects.update_or_create(
                old_slug=self.slug, defaults={"article_id": self.pk}
            )
            self.slug = new_slug


class SlugRedirect(models.Model):
    """An article's former slug, so links made before a headline edit keep working."""

    old_slug = models.SlugField(max_length=220, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article.slug}"


class ArticleTag(models.Model):
    """The link between an article and a tag, with where it came from.

    Suggestions (from automatic tagging) stay invisible until an editor accepts them;
    a rejected suggestion is kept so that it is never suggested again for that article.
    """

    class Origin(models.TextChoices):
        EDITOR = "editor", "Editor"
        IMPORT = "import", "Import"
        AUTOMATIC = "automatic", "Automatic"

    class State(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        SUGGESTED = "suggested", "Suggested"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="article_tags")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EDITOR)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACCEPTED)
    confidence = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "tag"], name="one_link_per_article_tag"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | Q(confidence__gte=0, confidence__lte=1),
                name="tag_confidence_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} · {self.tag} ({self.origin}, {self.state})"
