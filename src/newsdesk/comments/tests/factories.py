import factory
from django.contrib.auth import get_user_model

from newsdesk.accounts.models import Profile
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def display_name(self, create, extracted, **kwargs):
        # get_or_create: the accounts app may already create a Profile on sign-up.
        profile, _ = Profile.objects.get_or_create(user=self)
        profile.display_name = extracted if extracted is not None else self.username.title()
        profile.notify_replies = kwargs.get("notify", False)
        profile.save()


class CommentFactory(factory.django.DjangoModelFactory):
    """A row written directly (no services): for building threads quickly in tests."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}")
    body_html = factory.LazyAttribute(lambda o: render_comment(o.body))
    status = Comment.Status.PUBLISHED
