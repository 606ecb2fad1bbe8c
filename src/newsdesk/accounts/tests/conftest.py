import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from newsdesk.accounts import services

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_cache():
    # Throttle counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_reader(db):
    def make(display_name="Ada Reader", email=None, username="", password=PASSWORD):
        email = email or f"{display_name.lower().replace(' ', '.')}@example.org"
        return services.create_reader(
            email=email, password=password, display_name=display_name, username=username
        )

    return make


@pytest.fixture
def reader(make_reader):
    return make_reader()


@pytest.fixture
def logged_in_client(client, reader):
    client.force_login(reader)
    return client


def published_comment(user, article=None, body="x", status="published", parent=None):
    from newsdesk.articles.tests.factories import ArticleFactory
    from newsdesk.comments.models import Comment

    return Comment.objects.create(
        article=article or ArticleFactory(),
        author=user,
        guest_name="" if user else "guest",
        parent=parent,
        body=body,
        body_html=f"<p>{body}</p>",
        status=status,
    )


User = get_user_model()
