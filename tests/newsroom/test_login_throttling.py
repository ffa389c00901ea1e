"""Wrong passwords: a username is locked out from one address, and the login page says so."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from newsroom.accounts import client_ip
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, password, username="editor", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_with_a_message_and_a_time(client, settings):
    make_editor(password="correct horse battery")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong")
        assert response.status_code == 200
    response = attempt(client, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'id="locked-out"' in page
    assert "заблокирован" in page  # Russian, the site's language
    assert 'id="login-form"' in page, "the login page, not a blank 403"
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    # The right password is refused too until the cool-off ends.
    response = attempt(client, "correct horse battery")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_out_speaks_the_editions_language(client, settings):
    make_editor()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/kk/admin/login/", {"username": "editor", "password": "x"})
    assert response.status_code == 429
    assert "бұғатталған" in response.content.decode()


def test_the_lock_is_per_address_and_username(client, settings):
    make_editor(password="correct horse battery")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", REMOTE_ADDR="203.0.113.7")
    assert attempt(client, "wrong", REMOTE_ADDR="203.0.113.7").status_code == 429
    # The editor at the office, another address, still signs in.
    response = attempt(client, "correct horse battery", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, settings, time_machine):
    make_editor(password="correct horse battery")
    time_machine.move_to("2026-03-06 09:00:00+05:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, "correct horse battery").status_code == 429
    time_machine.move_to("2026-03-06 09:16:00+05:00", tick=False)
    assert attempt(client, "correct horse battery").status_code == 302


def test_axes_reset_username_unlocks_at_once(client, settings):
    make_editor(password="correct horse battery")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    call_command("axes_reset_username", "editor")
    assert attempt(client, "correct horse battery").status_code == 302


def test_a_right_password_resets_the_count(client, settings):
    make_editor(password="correct horse battery")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "correct horse battery").status_code == 302
    Client().post(LOGIN, {"username": "editor", "password": "wrong"})
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_one_hundred_twenty_wrong_passwords_are_stopped_after_five(client, settings):
    make_editor()
    statuses = [attempt(client, f"guess-{n}").status_code for n in range(120)]
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT


class Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    # nginx on this machine appends the address it saw.
    assert client_ip(Request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    # Whatever the client wrote before that proves nothing.
    assert client_ip(Request("127.0.0.1", "10.0.0.1, 203.0.113.7")) == "203.0.113.7"
    # Directly from the internet, the header is the sender's own claim.
    assert client_ip(Request("198.51.100.1", "203.0.113.7")) == "198.51.100.1"
    # Rubbish in the header: the proxy's address, never a 500 or the rubbish.
    assert client_ip(Request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    settings.NEWSROOM_TRUSTED_PROXIES = []
    assert client_ip(Request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"
    # A load balancer's network, as gunicorn reads FORWARDED_ALLOW_IPS.
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(Request("10.1.2.3", "203.0.113.7, 10.1.2.4")) == "203.0.113.7"
    assert client_ip(Request("198.51.100.1", "203.0.113.7")) == "198.51.100.1"


def test_spoofed_forwarded_addresses_do_not_dodge_the_lock(client, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = []
    make_editor()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = attempt(client, "wrong", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_what_is_kept_of_a_failed_attempt_holds_no_password_or_code(client):
    make_editor()
    client.post(LOGIN, {"username": "editor", "password": "hunter2-secret", "otp_token": "493817"})
    kept = AccessAttempt.objects.get().post_data
    assert "hunter2-secret" not in kept and "493817" not in kept
