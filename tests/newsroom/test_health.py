"""/healthz and /readyz: what a load balancer asks, answered by the process itself."""

from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.db import OperationalError, connection

DEAD_REDIS = "redis://127.0.0.1:8349/0"  # a port nothing listens on


def database_refuses(*args, **kwargs):
    raise OperationalError("connection failed: Connection refused")


@pytest.fixture
def database_down():
    with mock.patch.object(connection, "cursor", side_effect=database_refuses):
        yield


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


def assert_never_stored(response):
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/plain"
    assert not response.cookies
    assert "Vary" not in response


@pytest.mark.django_db
def test_healthz_says_ok(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert_never_stored(response)


def test_healthz_says_ok_while_the_database_and_the_cache_are_away(
    client, database_down, cache_down
):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_says_ok_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert_never_stored(response)


@pytest.mark.django_db
def test_readyz_is_503_while_the_database_cannot_be_reached(client, database_down, caplog):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unreachable\n"
    assert_never_stored(response)
    assert "Not ready: the database cannot be reached" in caplog.text


@pytest.mark.django_db
def test_readyz_is_503_while_the_cache_cannot_be_reached(client, cache_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"cache unreachable\n"
    assert_never_stored(response)


def test_readyz_names_both_when_both_are_away(client, database_down, cache_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unreachable\ncache unreachable\n"


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_answers_with_something_else(client):
    # A cache that takes writes and loses them (full, or evicting at once) is not ready.
    with mock.patch.object(caches["default"], "get", return_value="another process's value"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"cache unreachable\n"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_bypass_the_page_cache(client, settings, path):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    client.get(path)
    client.get(path)
    # The page cache would have drawn the site's state and kept the answer.
    assert not cache.get("newsroom:site-state")
    assert all(key.startswith(":1:newsroom:readyz:") for key in cache._cache)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_balancer_asking_by_ip_address_is_answered(client, path):
    # DJANGO_ALLOWED_HOSTS names the site; a balancer's check carries its own address.
    response = client.get(path, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_are_never_redirected_to_a_language(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_checks_only_answer_get_and_head(client, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_head_is_answered_like_get(client):
    response = client.head("/readyz")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz/", "/readyz/x", "/en/healthz", "/HEALTHZ"])
def test_only_the_exact_addresses_are_health_checks(client, path):
    assert client.get(path).status_code in {301, 404}
