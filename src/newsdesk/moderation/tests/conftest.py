import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.tests.factories import CommentFactory, UserFactory


@pytest.fixture(autouse=True)
def moderation_defaults(settings):
    """The shipped policy, whatever the environment says, and no page cache."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.COMMENTS_MODERATOR = "newsdesk.moderation.moderator.SiteModerator"
    settings.COMMENTS_HOLD_GUESTS = True
    settings.MODERATION_MODE = "post"
    settings.MODERATION_NEW_ACCOUNT_HOLD = 2
    settings.MODERATION_REPORTS_TO_HIDE = 3
    settings.MODERATION_MAX_LINKS = 3
    settings.MODERATION_REQUIRE_FORM_TOKEN = False
    settings.MODERATION_MIN_FORM_SECONDS = 3
    settings.MODERATION_SPAM_HOLD = 0.7
    settings.MODERATION_SPAM_REJECT = 0.95
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def trusted(db, article):
    """An account with enough approved comments to publish at once."""
    user = UserFactory(username="trusted")
    CommentFactory.create_batch(2, article=ArticleFactory(), author=user, body="Earlier view")
    return user


@pytest.fixture
def reader(db):
    return UserFactory(username="newreader")


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mod")
    user.groups.add(Group.objects.get_or_create(name="moderators")[0])
    return user
