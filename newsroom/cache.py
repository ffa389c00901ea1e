"""
Django's Redis cache backend, with one Redis client per connection pool, and
a site that keeps serving (uncached) while Redis is away.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# One line in the log a minute while Redis is away, not one a request.
LOG_EVERY_SECONDS = 60


def guarded(name, answer):
    """Django's client method ``name``, answering ``answer(*arguments)`` when Redis is away."""
    method = getattr(RedisCacheClient, name)

    @functools.wraps(method)
    def call(self, *args):
        try:
            return method(self, *args)
        except UNREACHABLE as error:
            return self.unreachable(error, answer(*args))

    return call


class ReusedClient(RedisCacheClient):
    """
    Django's client makes a new redis.Redis for every cache call, and redis-py
    fills some 170 response callbacks each time: on a page served from the
    cache that cost more than the round trip to Redis. A redis.Redis is safe to
    share (its pool hands each call a connection), so each pool gets one.

    When Redis cannot be reached, a call answers as a miss (reads) or as not
    done (writes) instead of raising: pages are then made and served uncached,
    and the pool reconnects by itself on a later call.
    """

    last_logged = 0.0

    def get_client(self, key=None, *, write=False):
        clients = self.__dict__.setdefault("_clients", {})
        index = self._get_connection_pool_index(write)
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]

    def unreachable(self, error, answer):
        now = time.monotonic()
        if now - ReusedClient.last_logged >= LOG_EVERY_SECONDS:
            ReusedClient.last_logged = now
            logger.warning("Redis cannot be reached (%s): serving pages uncached.", error)
        return answer

    # What each call answers while Redis is away: a miss, or a write not done.
    get = guarded("get", lambda key, default: default)
    get_many = guarded("get_many", lambda keys: {})
    has_key = guarded("has_key", lambda key: False)
    add = guarded("add", lambda key, value, timeout: False)
    set = guarded("set", lambda key, value, timeout: None)
    set_many = guarded("set_many", lambda data, timeout: [])
    touch = guarded("touch", lambda key, timeout: False)
    delete = guarded("delete", lambda key: False)
    delete_many = guarded("delete_many", lambda keys: None)
    clear = guarded("clear", lambda: False)


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
