import os
import uuid

import pytest

from tests.factories import make_staff

# A Redis database the tests may empty at will (production's REDIS_URL is never read).
TEST_REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(autouse=True)
def russian_site(settings):
    # The site's language, whatever the machine running the tests speaks.
    settings.LANGUAGE_CODE = "ru"


@pytest.fixture(autouse=True)
def fresh_cache():
    # The cache holds the site's state (articles/caching.py): each test's
    # database starts empty, so its cache does too.
    from django.core.cache import cache

    from articles import caching

    cache.clear()
    caching._last_state[:] = [None]


# The newsroom's people, one in each role (and a second where two must differ).


@pytest.fixture
def editor(db):
    return make_staff("aigerim", "Editors", "Айгерим Нұрланқызы")


@pytest.fixture
def reporter(db):
    return make_staff("irina", "Reporters", "Ирина Капитанова")


@pytest.fixture
def other_reporter(db):
    return make_staff("daniyar", "Reporters", "Данияр Сейітқали")


@pytest.fixture
def photographer(db):
    return make_staff("daniyar", "Photographers", "Данияр Сейітқали")


@pytest.fixture
def other_photographer(db):
    return make_staff("aigul", "Photographers", "Айгүл Қасымова")


@pytest.fixture
def redis_cache(settings):
    """
    The page cache in a real Redis, as in production, under a key prefix of the
    test's own. Without a Redis the test skips and says why, except in CI, which
    starts one (.ci/run).
    """
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        reason = f"no Redis at {TEST_REDIS_URL} ({error}); set NEWSROOM_TEST_REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Redis tests, but {reason}")
        pytest.skip(reason)
    # Changing CACHES makes Django set up its caches anew (django.test.signals).
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    from django.core.cache import cache

    from articles import caching

    caching._last_state[:] = [None]
    yield cache
    for watch in cache._watches.values():
        watch.stop()
