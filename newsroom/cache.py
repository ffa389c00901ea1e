"""Django's Redis cache backend, with one Redis client per connection pool."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClient(RedisCacheClient):
    """
    Django's client makes a new redis.Redis for every cache call, and redis-py
    fills some 170 response callbacks each time: on a page served from the
    cache that cost more than the round trip to Redis. A redis.Redis is safe to
    share (its pool hands each call a connection), so each pool gets one.
    """

    def get_client(self, key=None, *, write=False):
        clients = self.__dict__.setdefault("_clients", {})
        index = self._get_connection_pool_index(write)
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
