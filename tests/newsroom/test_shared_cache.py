"""With REDIS_URL the page cache lives in Redis; when Redis is away, readers still get pages."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from newsroom import cache as shared_cache
from tests.factories import make_article
from tests.processes import wait_for

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


# Every worker keeps a watch on the site's state (Redis pub/sub): it hears of a
# change the moment another worker draws a new state, so a page a worker holds
# is served with no round trip to Redis at all.


def state_watch(cache):
    from articles import caching

    return cache.watch(caching.STATE_KEY, caching._state_changed)


def another_worker(cache):
    """The same Redis and key prefix through a client of its own, as another process has."""
    return shared_cache.SharedRedisCache(cache._servers[0], {"KEY_PREFIX": cache.key_prefix})


def draw_state_elsewhere(cache, *, tell):
    from articles.caching import STATE_KEY, SiteState

    other = another_worker(cache)
    state = SiteState("drawn-by-another-worker", timezone.now(), None)
    other.set(STATE_KEY, state, None)
    if tell:
        other.notify(STATE_KEY)
    return state


@pytest.fixture
def redis_calls(monkeypatch):
    calls = []
    real = shared_cache.ReusedClient.get_client

    def counted(self, *args, **kwargs):
        calls.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(shared_cache.ReusedClient, "get_client", counted)
    return calls


def test_a_page_this_worker_holds_is_served_without_asking_redis(
    client, redis_cache, settings, redis_calls, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    story = make_article("Материал из памяти")
    client.get(story.get_absolute_url())
    assert wait_for(lambda: state_watch(redis_cache).live)
    client.get(story.get_absolute_url())
    redis_calls.clear()
    with django_assert_num_queries(0):
        assert "Материал из памяти" in client.get(story.get_absolute_url()).content.decode()
    assert redis_calls == []


def test_a_change_made_by_another_worker_is_heard_at_once(client, redis_cache, settings):
    from articles import caching

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    story = make_article("До правки")
    client.get(story.get_absolute_url())
    assert wait_for(lambda: state_watch(redis_cache).live)
    assert "До правки" in client.get(story.get_absolute_url()).content.decode()
    # Another worker saves an edit: the row changes, and it draws and announces a new state.
    Article.objects.filter(pk=story.pk).update(title="После правки")
    state = draw_state_elsewhere(redis_cache, tell=True)
    assert wait_for(lambda: caching._last_state[0] == state, seconds=1)
    assert "После правки" in client.get(story.get_absolute_url()).content.decode()


def test_without_its_watch_a_worker_asks_redis_every_time_and_the_watch_comes_back(
    client, redis_cache, settings
):
    import redis

    from articles import caching
    from tests.conftest import TEST_REDIS_URL

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    story = make_article("До правки")
    client.get(story.get_absolute_url())
    watch = state_watch(redis_cache)
    assert wait_for(lambda: watch.live)
    assert "До правки" in client.get(story.get_absolute_url()).content.decode()
    # Redis drops the watch's connection (a restart, a network fault) …
    redis.Redis.from_url(TEST_REDIS_URL).client_kill_filter(_type="pubsub")
    assert wait_for(lambda: not watch.live, seconds=3)
    # … and a change made meanwhile, announced to nobody, still shows on the next request.
    Article.objects.filter(pk=story.pk).update(title="После правки")
    state = draw_state_elsewhere(redis_cache, tell=False)
    assert "После правки" in client.get(story.get_absolute_url()).content.decode()
    # The watch reconnects by itself and reads what it missed.
    assert wait_for(lambda: watch.live, seconds=5)
    assert caching._last_state[0] == state


def test_a_scheduled_moment_needs_no_notice(client, redis_cache, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    section = make_article("Первый").section
    moment = timezone.now() + timedelta(minutes=5)
    make_article("По расписанию", section=section, published_at=moment)
    client.get("/")
    assert wait_for(lambda: state_watch(redis_cache).live)
    assert "По расписанию" not in client.get("/").content.decode()
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        assert "По расписанию" in client.get("/").content.decode()
