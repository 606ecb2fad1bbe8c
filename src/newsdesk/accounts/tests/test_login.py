import time

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def log_in(client, name, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": name, "password": password}, REMOTE_ADDR=ip)


def logged_in_user(client):
    return client.get("/").wsgi_request.user


def test_reader_logs_in_with_email_or_username(client, reader):
    assert log_in(client, "ADA.READER@example.org", PASSWORD).status_code == 302
    assert logged_in_user(client) == reader
    other = Client()
    assert log_in(other, reader.username, PASSWORD).status_code == 302
    assert logged_in_user(other) == reader


def test_login_redirects_to_a_safe_next_only(client, reader):
    response = client.post(
        LOGIN + "?next=/news/x/", {"username": reader.username, "password": PASSWORD}
    )
    assert response["Location"] == "/news/x/"
    other = Client()
    response = other.post(
        LOGIN + "?next=https://evil.example/", {"username": reader.username, "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_wrong_password_says_so_and_logs_nobody_in(client, reader):
    response = log_in(client, reader.username, "wrong password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_inactive_reader_cannot_log_in(client, reader):
    reader.is_active = False
    reader.save()
    log_in(client, reader.username, PASSWORD)
    assert not logged_in_user(client).is_authenticated


def test_logout_is_a_post_and_ends_the_session(logged_in_client):
    assert logged_in_client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_user(logged_in_client).is_authenticated
    response = logged_in_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not logged_in_user(logged_in_client).is_authenticated


def test_login_is_throttled_after_repeated_failures_even_for_the_right_password(
    client, reader, settings
):
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert "do not match" in log_in(client, reader.username, "guess").content.decode()
    response = log_in(client, reader.username, PASSWORD)
    html = response.content.decode()
    assert "Too many failed attempts; try again in 15 minutes" in html
    assert not logged_in_user(client).is_authenticated


def test_throttle_counts_the_account_whatever_name_or_address_is_used(client, reader, settings):
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 2
    log_in(client, reader.username, "guess", ip="10.0.0.1")
    log_in(client, reader.email.upper(), "guess", ip="10.0.0.2")
    response = log_in(client, reader.username, PASSWORD, ip="10.0.0.3")
    assert "Too many failed attempts" in response.content.decode()


def test_throttle_counts_failures_per_ip_across_accounts(client, make_reader, settings):
    settings.ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP = 3
    victim = make_reader(display_name="Victim")
    for n in range(3):
        log_in(client, f"someone{n}", "guess", ip="10.9.9.9")
    assert (
        "Too many failed"
        in log_in(client, victim.username, PASSWORD, ip="10.9.9.9").content.decode()
    )
    assert log_in(client, victim.username, PASSWORD, ip="10.1.1.1").status_code == 302


def test_successful_login_clears_the_account_counter(client, reader, settings):
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 3
    log_in(client, reader.username, "guess")
    log_in(client, reader.username, "guess")
    assert log_in(client, reader.username, PASSWORD).status_code == 302
    other = Client()
    log_in(other, reader.username, "guess")
    log_in(other, reader.username, "guess")
    assert log_in(other, reader.username, PASSWORD).status_code == 302


def test_throttle_lifts_when_the_window_ends(client, reader, settings):
    settings.ACCOUNTS_LOGIN_MAX_FAILURES = 1
    settings.ACCOUNTS_LOGIN_FAILURE_WINDOW = 1
    log_in(client, reader.username, "guess")
    assert (
        "Too many failed attempts; try again in 1 minute."
        in log_in(client, reader.username, PASSWORD).content.decode()
    )

    time.sleep(1.1)
    assert log_in(client, reader.username, PASSWORD).status_code == 302


def test_login_refuses_a_post_without_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 403


def test_header_shows_login_links_or_the_readers_name(client, reader):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/' in html and 'href="/accounts/signup/"' in html
    client.force_login(reader)
    html = client.get("/").content.decode()
    assert f'href="/accounts/u/{reader.username}/">Ada Reader</a>' in html
    assert 'action="/accounts/logout/"' in html and "csrfmiddlewaretoken" in html
