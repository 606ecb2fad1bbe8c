import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from newsdesk.api.models import ApiToken
from newsdesk.api.tokens import hash_token, issue_token, revoke_token, user_for_token
from newsdesk.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_a_token_is_stored(reader):
    token, raw = issue_token(reader, "laptop")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(raw) != raw
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert raw.startswith(stored.prefix)


def test_token_identifies_its_user_and_records_use(reader):
    token, raw = issue_token(reader)
    assert user_for_token(raw) == reader
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_no_longer_works(reader):
    token, raw = issue_token(reader)
    revoke_token(token)
    assert user_for_token(raw) is None
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/articles").status_code == 401


def test_token_of_a_deactivated_account_no_longer_works(reader):
    _token, raw = issue_token(reader)
    reader.is_active = False
    reader.save()
    assert user_for_token(raw) is None


def test_unknown_token_is_unauthorized_with_a_bearer_challenge():
    ArticleFactory()
    client = Client(headers={"Authorization": "Bearer nd_not-a-real-token"})
    response = client.get("/api/articles")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_command_prints_a_working_token_once(reader):
    out, err = io.StringIO(), io.StringIO()
    call_command("api", "token", "create", "reader", "--name", "script", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert user_for_token(raw) == reader
    assert ApiToken.objects.get().name == "script"
    assert "not shown again" in err.getvalue()

    listing = io.StringIO()
    call_command("api", "token", "list", stdout=listing)
    assert raw not in listing.getvalue()
    assert raw[:10] in listing.getvalue()


def test_command_revokes_by_prefix(reader):
    token, raw = issue_token(reader)
    call_command("api", "token", "revoke", token.prefix, stdout=io.StringIO())
    assert user_for_token(raw) is None


def test_command_refuses_an_unknown_user():
    with pytest.raises(CommandError):
        call_command("api", "token", "create", "nobody", stdout=io.StringIO())


def test_admin_lists_tokens_and_issues_new_ones(admin_client, reader):
    issue_token(reader, "phone")
    listing = admin_client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert b"phone" in listing.content
    response = admin_client.post(
        "/admin/api/apitoken/add/", {"user": reader.pk, "name": "from admin"}, follow=True
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(name="from admin", user=reader).exists()
    assert b"will not be shown again" in response.content
