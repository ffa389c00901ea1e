"""Staff sessions: they end after a working day unused, and a new password ends the others."""

import pytest
from django.test import Client

from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_a_session_in_use_is_renewed_and_ends_a_working_day_after_the_last_use(
    client, settings, time_machine
):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    time_machine.move_to("2026-03-06 09:00:00+05:00", tick=False)
    client.force_login(make_staff("irina", "Reporters"))
    assert client.get("/admin/").status_code == 200
    time_machine.move_to("2026-03-06 18:00:00+05:00", tick=False)
    assert client.get("/admin/").status_code == 200  # renewed: ten more hours
    time_machine.move_to("2026-03-07 03:30:00+05:00", tick=False)
    assert client.get("/admin/").status_code == 200
    time_machine.move_to("2026-03-07 13:31:00+05:00", tick=False)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_changing_the_password_signs_out_the_other_sessions(client):
    make_staff("irina", "Reporters", password="old password 1")
    other = Client()
    for browser in (client, other):
        browser.post("/admin/login/", {"username": "irina", "password": "old password 1"})
        assert browser.get("/admin/").status_code == 200
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": "old password 1",
            "new_password1": "a much newer secret 2",
            "new_password2": "a much newer secret 2",
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200, "this session stays"
    assert other.get("/admin/").status_code == 302, "the other is signed out"


def test_the_session_cookie_is_http_only_and_same_site(client):
    make_staff("irina", "Reporters", password="x")
    client.post("/admin/login/", {"username": "irina", "password": "x"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
