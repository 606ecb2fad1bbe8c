import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsdesk.accounts import services
from newsdesk.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SIGNUP = {"email": "new@example.org", "display_name": "New Reader", "password": PASSWORD}


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group(0)


def test_signup_creates_a_logged_in_reader_and_mails_a_confirmation_link(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.org")
    assert user.profile.display_name == "New Reader"
    assert user.profile.email_confirmed is False
    assert user.check_password(PASSWORD) and user.password != PASSWORD
    assert client.get("/").wsgi_request.user == user
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    assert "Hello New Reader" in mail.outbox[0].body


def test_confirmation_link_confirms_the_address(client):
    client.post(reverse("accounts:signup"), SIGNUP)
    link = confirmation_link(mail.outbox[0])
    response = Client().get(link)
    assert response.status_code == 302
    assert get_user_model().objects.get(email="new@example.org").profile.email_confirmed


def test_tampered_or_stale_confirmation_link_is_refused(client, reader, settings):
    token = services.confirmation_token(reader)
    assert client.get(reverse("accounts:confirm_email", args=[token + "x"])).status_code == 400
    reader.email = "changed@example.org"
    reader.save()
    assert client.get(reverse("accounts:confirm_email", args=[token])).status_code == 400
    reader.profile.refresh_from_db()
    assert reader.profile.email_confirmed is False


def test_confirmation_link_expires(client, reader, settings):
    token = services.confirmation_token(reader)
    settings.ACCOUNTS_CONFIRM_MAX_AGE = -1
    assert client.get(reverse("accounts:confirm_email", args=[token])).status_code == 400


def test_resend_sends_a_new_link(logged_in_client):
    mail.outbox.clear()
    response = logged_in_client.post(reverse("accounts:resend_confirmation"))
    assert response.status_code == 302 and len(mail.outbox) == 1


def test_username_comes_from_the_display_name_not_the_email(client, make_reader):
    make_reader(display_name="New Reader", email="first@example.org")
    client.post(reverse("accounts:signup"), SIGNUP)
    user = get_user_model().objects.get(email="new@example.org")
    assert user.username == "new-reader-2"
    assert "new@" not in user.username


def test_a_chosen_username_is_used_and_must_be_free(client, make_reader):
    make_reader(username="taken")
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "username": "Taken"})
    assert "That username is taken" in response.content.decode()
    client.post(reverse("accounts:signup"), {**SIGNUP, "username": "mine"})
    assert get_user_model().objects.get(email="new@example.org").username == "mine"


def test_second_account_for_the_same_email_is_refused(client, make_reader):
    make_reader(email="NEW@example.org")
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert get_user_model().objects.filter(email__iexact="new@example.org").count() == 1


def test_weak_password_is_refused_with_the_error_tied_to_the_field(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password": "12345678"})
    html = response.content.decode()
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="new@example.org").exists()
    assert 'id="id_password_error"' in html
    password_input = re.search(r'<input[^>]*id="id_password"[^>]*>', html).group(0)
    assert 'aria-describedby="id_password_helptext id_password_error"' in password_input
    assert 'aria-invalid="true"' in password_input
    assert 'value="New Reader"' in html  # the form keeps what was typed


def test_display_name_loses_direction_overrides_and_control_characters(client):
    client.post(reverse("accounts:signup"), {**SIGNUP, "display_name": "Eve\u202e  lin\x07da"})
    assert get_user_model().objects.get(email="new@example.org").profile.display_name == "Eve linda"


def test_signup_form_has_labels_and_autocomplete(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    for field in ("email", "display_name", "username", "password"):
        assert f'<label for="id_{field}"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="new-password"' in html


def test_signup_refuses_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("accounts:signup"), SIGNUP).status_code == 403
    assert not get_user_model().objects.exists()


def test_every_user_gets_a_profile():
    user = get_user_model().objects.create_user("plain", "plain@example.org", PASSWORD)
    assert user.profile.public_name == "plain"
    assert services.get_profile(user) == user.profile
