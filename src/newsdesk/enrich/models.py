"""What enrichment knows: canonical entities, their aliases and mentions, quotes,
related articles and developing stories."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from newsdesk.articles.models import Article, ArticleTag, Tag


def normalise_alias(text: str) -> str:
    """The one form an alias is stored and looked up in: case-folded, single-spaced."""
    return " ".join(text.replace("’", "'").split()).casefold()


class Entity(models.Model):
    """A person, place or organisation under one canonical name."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PLACE = "place", "Place"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    tag = models.OneToOneField(
        Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="entity"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="one_entity_per_name_and_kind")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.PERSON:
            return reverse("enrich:person", args=[self.slug])
        return self.tag.get_absolute_url() if self.tag_id else ""


class EntityAlias(models.Model):
    """Another name for an entity ("Zelensky", "Kiev"); stored normalised."""

    alias = models.CharField(max_length=200, unique=True)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    # Learned from recognised text rather than entered by an editor: used to file a new
    # spelling under its entity, but not trusted as a known name (errors would stick).
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "entity aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.entity}"

    def save(self, *args, **kwargs):
        self.alias = normalise_alias(self.alias)
        super().save(*args, **kwargs)


class ArticleEntity(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_links")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_links")
    salience = models.FloatField()
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-salience"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "entity"], name="one_link_per_article_entity"
            ),
            models.CheckConstraint(
                condition=Q(salience__gte=0, salience__lte=1), name="salience_between_0_and_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} in {self.article_id} ({self.salience:.2f})"


class Quote(models.Model):
    """A direct quotation in an article; speaker is None when the text does not say."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    speaker = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    position = models.PositiveIntegerField(help_text="Offset of the quote in the body.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="one_quote_per_position")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ArticleEnrichment(models.Model):
    """When and on what content an article was last enriched, and its key words."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="enrichment")
    content_hash = models.CharField(max_length=64)
    model_name = models.CharField(max_length=100, blank=True)
    keywords = models.JSONField(default=dict)
    enriched_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"enrichment of {self.article_id}"


class RelatedArticle(models.Model):
    """A precomputed "related story" link, stored in both directions."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"], name="one_related_link_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(article=models.F("related")), name="article_not_related_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} ~ {self.related_id} ({self.score:.2f})"


class Story(models.Model):
    """A developing story: several articles about the same events over days."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=220, unique=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    articles = models.ManyToManyField(Article, through="StoryArticle", related_name="stories")

    class Meta:
        ordering = ["-last_seen"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enrich:story", args=[self.slug])


class StoryArticle(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="memberships")
    # An article belongs to at most one developing story.
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="story_membership"
    )

    def __str__(self) -> str:
        return f"{self.article_id} in {self.story_id}"


class TagSuggestion(ArticleTag):
    """Automatic tag suggestions awaiting an editor (a proxy for the admin)."""

    class Meta:
        proxy = True
        verbose_name = "tag suggestion"
