import pytest
from django.core.cache import cache

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # The anonymous page cache is invalidated on commit, which plain django_db tests never
    # reach; test_views checks the invalidation itself with the cache switched on.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def owner(db):
    return UserFactory(username="olena", display_name="Olena K")


@pytest.fixture
def other_reader(db):
    return UserFactory(username="taras", display_name="Taras")


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="mod", display_name="Moderator")
    user.groups.add(Group.objects.get_or_create(name="moderators")[0])
    return user
