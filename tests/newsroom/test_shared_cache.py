"""With REDIS_URL the page cache lives in Redis; when Redis is away, readers still get pages."""

import logging

import pytest

from newsroom import cache as shared_cache
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every call fails at once, as with a Redis that went away.
AWAY = {
    "default": {
        "BACKEND": "newsroom.cache.SharedRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_away(settings, monkeypatch):
    # Changing CACHES makes Django set up its caches anew (django.test.signals).
    settings.CACHES = AWAY
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(shared_cache.ReusedClient, "last_logged", 0.0)


def test_pages_are_served_uncached_while_redis_is_away_with_one_line_in_the_log(
    client, redis_away, caplog
):
    story = make_article("Материал при недоступном кэше")
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for url in ["/", story.get_absolute_url(), story.section.get_absolute_url(), "/rss/"]:
            for _ in range(3):
                response = client.get(url)
                assert response.status_code == 200, url
        assert "Материал при недоступном кэше" in client.get("/").content.decode()
    warnings = [record for record in caplog.records if record.name == "newsroom.cache"]
    assert len(warnings) == 1
    assert "serving pages uncached" in warnings[0].getMessage()
