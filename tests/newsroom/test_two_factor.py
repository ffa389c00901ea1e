"""Two-step sign-in: optional for staff, required of editors when the setting says so."""

import re
from base64 import b32encode

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_editor, make_staff

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
SETUP = "/admin/two-factor/"


def code(device):
    """What the editor's phone shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username, password="x", otp_token=""):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": otp_token})


@pytest.fixture
def required(settings):
    settings.NEWSROOM_EDITORS_NEED_2FA = True


def enrol(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_user_with_a_device_needs_the_current_code(client, time_machine):
    time_machine.move_to("2026-03-06 09:00:10+05:00", tick=False)
    reporter = make_staff("irina", "Reporters")
    device = enrol(reporter)
    response = sign_in(client, "irina")
    assert response.status_code == 200
    assert "шестизначный код" in response.content.decode()
    assert "_auth_user_id" not in client.session
    wrong = "000000" if code(device) != "000000" else "111111"
    response = sign_in(client, "irina", otp_token=wrong)
    assert "Код неверен" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # django-otp makes a guesser wait after each wrong code (1 s, then doubling).
    time_machine.move_to("2026-03-06 09:00:12+05:00", tick=False)
    response = sign_in(client, "irina", otp_token=code(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(client):
    reporter = make_staff("irina", "Reporters")
    device = enrol(reporter)
    token = code(device)
    assert sign_in(client, "irina", otp_token=token).status_code == 302
    client.logout()
    assert sign_in(client, "irina", otp_token=token).status_code == 200


def test_staff_without_a_device_sign_in_with_the_password_alone(client, required):
    make_staff("irina", "Reporters")
    assert sign_in(client, "irina").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_editor_without_a_device_is_sent_to_set_one_up_first(client, required):
    editor = make_staff("aigerim", "Editors")
    assert sign_in(client, "aigerim").status_code == 302
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    ), "the QR code is drawn here, from no other host"
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)[1]
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    # A wrong code keeps the device unconfirmed, the editor on the page.
    response = client.post(SETUP + "?next=/admin/articles/article/", {"otp_token": "abcdef"})
    assert response.status_code == 200 and "шесть цифр" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(SETUP + "?next=/admin/articles/article/", {"otp_token": code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/articles/article/").status_code == 200


def test_the_set_up_page_never_redirects_to_another_site(client):
    editor = make_staff("aigerim", "Editors")
    client.force_login(editor)
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=False)
    response = client.post(SETUP + "?next=https://evil.example/", {"otp_token": code(device)})
    assert response["Location"] == "/admin/"


def test_superusers_count_as_editors(client, required):
    make_editor("chief", password="x")
    sign_in(client, "chief")
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_with_the_setting_off_editors_are_not_made_to(client, settings):
    settings.NEWSROOM_EDITORS_NEED_2FA = False
    make_staff("aigerim", "Editors")
    sign_in(client, "aigerim")
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_device_must_sign_in_again(client):
    editor = make_staff("aigerim", "Editors")
    enrol(editor)
    client.force_login(editor)  # no code given
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_an_editor_with_a_device_sets_up_nothing_more(client, required):
    editor = make_staff("aigerim", "Editors")
    device = enrol(editor)
    sign_in(client, "aigerim", otp_token=code(device))
    assert client.get("/admin/articles/article/").status_code == 200
    assert "включён двухэтапный вход" in client.get(SETUP).content.decode()


def test_groups_decide_who_is_an_editor(client, required):
    user = make_staff("irina", "Reporters")
    sign_in(client, "irina")
    assert client.get("/admin/").status_code == 200
    user.groups.add(Group.objects.get(name="Editors"))
    client.logout()
    sign_in(client, "irina")
    assert client.get("/admin/")["Location"].startswith(SETUP)
