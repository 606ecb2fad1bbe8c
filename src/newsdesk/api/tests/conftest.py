import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client

from newsdesk.api.tokens import issue_token


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", "pw-reader-1")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw-editor-1")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return user


@pytest.fixture
def group_editor(django_user_model):
    user = django_user_model.objects.create_user("desk", "desk@example.org", "pw-desk-1")
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    return user


def token_client(user) -> Client:
    _token, raw = issue_token(user, "tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def reader_api(reader) -> Client:
    return token_client(reader)


@pytest.fixture
def editor_api(editor) -> Client:
    return token_client(editor)


@pytest.fixture
def anonymous_api() -> Client:
    return Client()


@pytest.fixture
def session_api(reader) -> Client:
    """A signed-in browser session whose requests are checked for CSRF, as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def post_json(client: Client, path: str, data: dict, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def patch_json(client: Client, path: str, data: dict, **extra):
    return client.patch(path, data, content_type="application/json", **extra)
