"""
Every client is rate-limited: without a key by its address (as the proxies we
trust report it), with a partner's key by the key, at a higher rate. Keys are
made and revoked in the admin by editors; only their hash is kept.
"""

import re

import pytest

from api.models import PartnerKey, digest
from tests.factories import make_article

pytestmark = pytest.mark.django_db

STORIES = "/api/v1/stories/"


@pytest.fixture
def rates(settings):
    settings.NEWSROOM_API_RATE = "3/min"
    settings.NEWSROOM_API_PARTNER_RATE = "6/min"


def new_key(name="Партнёр"):
    partner = PartnerKey(name=name)
    key = partner.new_key()
    partner.save()
    return partner, key


def test_a_client_without_a_key_is_limited_by_its_address(api, rates):
    make_article()
    for _ in range(3):
        assert api.get(STORIES).status_code == 200
    throttled = api.get(STORIES)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()
    # Another address has its own count.
    assert api.get(STORIES, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_address_is_the_one_the_trusted_proxy_names(api, rates):
    # Behind nginx on this machine every request comes from 127.0.0.1.
    for number in range(5):
        response = api.get(STORIES, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
        assert response.status_code == 200
    for _ in range(3):
        api.get(STORIES, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert api.get(STORIES, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_a_forged_forwarded_header_from_elsewhere_changes_nothing(api, rates):
    for number in range(3):
        api.get(STORIES, REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = api.get(STORIES, REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_a_partner_key_gets_the_higher_limit(api, rates):
    _partner, key = new_key()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    for _ in range(6):
        assert api.get(STORIES).status_code == 200
    assert api.get(STORIES).status_code == 429


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key nonsense",
        "Api-Key abcdefgh.wrongsecret",
        "Api-Key ",
        "Api-Key a b",
        "Api-Key ключ.секрет",
        "api-key 12345678.",
    ],
)
def test_a_bad_key_is_refused_with_401_json(api, header):
    new_key()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(STORIES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["detail"]


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(api):
    _partner, key = new_key()
    prefix = key.split(".")[0]
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {prefix}.{'x' * 43}")
    assert api.get(STORIES).status_code == 401


def test_a_revoked_key_is_refused_with_403_json(api):
    partner, key = new_key()
    partner.is_active = False
    partner.save()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    response = api.get(STORIES)
    assert response.status_code == 403
    assert response.json()["detail"]


def test_other_authorization_schemes_are_someone_elses_and_ignored(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer something")
    assert api.get(STORIES).status_code == 200


def test_only_the_hash_of_a_key_is_kept(db):
    partner, key = new_key()
    stored = PartnerKey.objects.get(pk=partner.pk)
    prefix, secret = key.split(".")
    assert stored.prefix == prefix
    assert stored.hashed_key == digest(secret) and secret not in stored.hashed_key
    assert PartnerKey.objects.find(key) == stored


def test_an_editor_makes_a_key_in_the_admin_and_sees_it_once(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/api/partnerkey/add/", {"name": "Kazinform", "is_active": "on"}, follow=True
    )
    assert response.status_code == 200
    key = re.search(r"[0-9a-f]{8}\.[\w-]{20,}", response.content.decode())[0]
    partner = PartnerKey.objects.get()
    assert PartnerKey.objects.find(key) == partner and partner.name == "Kazinform"
    # Shown once: the key's page does not show it again.
    page = client.get(f"/admin/api/partnerkey/{partner.pk}/change/").content.decode()
    assert key not in page and key.split(".")[1] not in page


def test_reporters_cannot_see_or_make_keys(client, reporter):
    client.force_login(reporter)
    assert client.get("/admin/api/partnerkey/").status_code == 403
    assert client.post("/admin/api/partnerkey/add/", {"name": "x"}).status_code == 403
    assert not PartnerKey.objects.exists()


def test_a_rate_that_cannot_be_read_stops_the_start_not_every_request():
    from tests.newsroom.test_settings import start_django

    result = start_django(DJANGO_DEBUG="1", NEWSROOM_API_RATE="lots")
    assert result.returncode != 0 and "NEWSROOM_API_RATE" in result.stderr
    assert start_django(DJANGO_DEBUG="1", NEWSROOM_API_RATE="5000/hour").returncode == 0
