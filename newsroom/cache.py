"""
Django's Redis cache backend, with one Redis client per connection pool, a
site that keeps serving (uncached) while Redis is away, and notices of a
changed key that every process hears (Redis pub/sub).
"""

import functools
import logging
import os
import threading
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
    # A count that cannot be kept counts as the first: uploads go on while Redis is away.
    incr = guarded("incr", lambda key, delta: delta)
    delete = guarded("delete", lambda key: False)
    delete_many = guarded("delete_many", lambda keys: None)
    clear = guarded("clear", lambda: False)


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
        self._watches = {}

    def notify(self, key):
        """Tell every process watching ``key`` that it changed (after setting it)."""
        client = self._cache.get_client(write=True)
        try:
            client.publish(self.make_and_validate_key(key), b"changed")
        except UNREACHABLE as error:
            # Watchers that miss a notice lose their connection too, and read
            # the key again when they are back.
            self._cache.unreachable(error, None)

    def tally(self, key, field, amount, *, keep_seconds):
        """
        Add ``amount`` to ``field`` of the hash ``key`` (HINCRBY), which Redis
        keeps ``keep_seconds`` after its last change; one round trip. False
        when Redis is away: the caller counts another way.
        """
        client = self._cache.get_client(write=True)
        name = self.make_and_validate_key(key)
        try:
            with client.pipeline(transaction=False) as pipe:
                pipe.hincrby(name, field, amount)
                pipe.expire(name, keep_seconds)
                pipe.execute()
        except UNREACHABLE as error:
            return self._cache.unreachable(error, False)
        return True

    def take_tallies(self, keys):
        """
        The hashes ``keys`` as {key: {field: count}}, each emptied in the same
        step (one MULTI): a count added meanwhile lands in a new hash, never
        lost between the reading and the emptying. Raises when Redis is away.
        """
        client = self._cache.get_client(write=True)
        with client.pipeline(transaction=True) as pipe:
            for key in keys:
                name = self.make_and_validate_key(key)
                pipe.hgetall(name)
                pipe.delete(name)
            answers = pipe.execute()
        return {
            key: {field.decode(): int(count) for field, count in found.items()}
            for key, found in zip(keys, answers[::2], strict=True)
            if found
        }

    def watch(self, key, changed):
        """
        Call ``changed()`` in this process whenever any process notifies ``key``,
        and once each time the watch (re)connects. Returns the Watch, whose
        ``live`` says whether notices are arriving; while it is False the
        caller must read the key itself.
        """
        channel = self.make_and_validate_key(key)
        watch = self._watches.get(channel)
        # A forked process (a gunicorn worker) has no thread of its parent's.
        if watch is None or watch.pid != os.getpid():
            watch = self._watches[channel] = Watch(self, channel, changed)
        return watch


class Watch:
    """
    A thread that listens for notices on one channel. It proves the connection
    alive with a PING every second; when a second more passes in silence, or
    the connection breaks, ``live`` turns False before anything else happens,
    and the thread reconnects.
    """

    PING_SECONDS = 1.0
    SILENCE_SECONDS = 2.0
    RETRY_SECONDS = 1.0

    def __init__(self, cache, channel, changed):
        self.cache, self.channel, self.changed = cache, channel, changed
        self.pid = os.getpid()
        self.live = False
        self.thread = threading.Thread(target=self.run, name="newsroom-cache-watch", daemon=True)
        self.thread.start()

    def stop(self):
        """End the thread within a second: for tests, which make many caches."""
        self.pid = None

    def run(self):
        while self.pid == os.getpid():
            try:
                self.listen()
            except UNREACHABLE as error:
                self.live = False
                self.cache._cache.unreachable(error, None)
            except Exception:
                self.live = False
                logger.exception("The cache watch on %s failed; it starts again.", self.channel)
            time.sleep(self.RETRY_SECONDS)

    def listen(self):
        pubsub = self.cache._cache.get_client().pubsub()
        try:
            pubsub.subscribe(self.channel)
            heard = pinged = time.monotonic()
            while not self.live and self.pid == os.getpid():
                message = pubsub.get_message(timeout=self.PING_SECONDS)
                if message and message["type"] == "subscribe":
                    # Whatever changed while nobody listened: read the key now.
                    self.changed()
                    self.live = True
                elif time.monotonic() - heard > self.SILENCE_SECONDS:
                    raise RedisTimeoutError("no subscription confirmed")
            while self.pid == os.getpid():
                message = pubsub.get_message(timeout=self.PING_SECONDS)
                now = time.monotonic()
                if message is not None:
                    heard = now
                    if message["type"] == "message":
                        self.changed()
                elif now - heard > self.SILENCE_SECONDS:
                    raise RedisTimeoutError(f"no answer for {self.SILENCE_SECONDS} s")
                if now - pinged >= self.PING_SECONDS:
                    pubsub.ping()
                    pinged = now
        finally:
            self.live = False
            try:
                pubsub.close()
            except UNREACHABLE:
                pass
