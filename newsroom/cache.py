"""
Django's Redis cache backend, with one Redis client per connection pool, and
a site that keeps serving (uncached) while Redis is away.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# One line in the log a minute while Redis is away, not one a request.
LOG_EVERY_SECONDS = 60


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

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNREACHABLE as error:
            return self.unreachable(error, default)

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNREACHABLE as error:
            return self.unreachable(error, {})

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNREACHABLE as error:
            return self.unreachable(error, False)

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNREACHABLE as error:
            return self.unreachable(error, False)

    def set(self, key, value, timeout):
        try:
            return super().set(key, value, timeout)
        except UNREACHABLE as error:
            return self.unreachable(error, None)

    def set_many(self, data, timeout):
        try:
            return super().set_many(data, timeout)
        except UNREACHABLE as error:
            return self.unreachable(error, None)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNREACHABLE as error:
            return self.unreachable(error, False)

    def delete(self, key):
        try:
            return super().delete(key)
        except UNREACHABLE as error:
            return self.unreachable(error, False)

    def delete_many(self, keys):
        try:
            return super().delete_many(keys)
        except UNREACHABLE as error:
            return self.unreachable(error, None)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            return self.unreachable(error, False)


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
