import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsdesk.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a different long passphrase"


def test_password_reset_end_to_end(client, reader):
    mail.outbox.clear()
    response = client.post(reverse("accounts:password_reset"), {"email": reader.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert reader.profile.email_confirmed  # the link proved the mailbox is theirs
    assert client.get(link, follow=True).context["validlink"] is False  # used once


def test_password_reset_does_not_reveal_unknown_addresses(client, reader):
    mail.outbox.clear()
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_change_needs_the_old_password_and_keeps_the_session(logged_in_client, reader):
    url = reverse("accounts:password_change")
    response = logged_in_client.post(
        url,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert 'id="id_old_password_error"' in response.content.decode()
    response = logged_in_client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:settings")
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert logged_in_client.get("/").wsgi_request.user == reader


def test_password_forms_refuse_posts_without_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(reverse("accounts:password_reset"), {"email": reader.email}).status_code == 403
    )
    client.force_login(reader)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
