import factory
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleTag, Source, Tag


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Wire {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Story number {n} makes the news")
    body = "First paragraph of the story.\n\nSecond paragraph with more detail."
    source = factory.SubFactory(SourceFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tag_names(self, create, extracted, **kwargs):
        for name in extracted or []:
            ArticleTag.objects.create(article=self, tag=TagFactory(name=name))
