"""Django's Redis cache, made to degrade instead of fail: while Redis cannot be reached, reads miss and writes
are dropped, so every page still works (a little slower) and nothing a visitor sends is lost.

After a failure the cache is skipped for a few seconds rather than tried again on every call, so a Redis that is
down costs one short connection timeout per process, not one per cache call."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class CacheUnavailable(Exception):
    """Raised only where a caller must know the answer was not counted (incr); every other call degrades."""


def _degrades(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._skip_until:
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._skip_until = time.monotonic() + self.retry_after
                logger.warning("Redis cannot be reached (%s); carrying on without the cache for now.", error)
                return default() if callable(default) else default

        return wrapper

    return decorate


def _unavailable():
    raise CacheUnavailable


class ReusedClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per server instead of making one for every call (its
    setup is a fifth of a page cache hit). A redis.Redis is safe to share between threads: each command
    takes a connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        # RETRY_AFTER is ours, beside Django's keys: seconds to go without Redis after it failed.
        self.retry_after = params.pop("RETRY_AFTER", RETRY_AFTER_SECONDS)
        super().__init__(server, params)
        self._class = ReusedClient
        self._skip_until = 0.0

    def validate_key(self, key):
        """Redis takes any key: memcached's warnings (length, spaces) do not apply, and checking each
        character of each key was two fifths of a page cache hit."""

    def get(self, key, default=None, version=None):
        if time.monotonic() < self._skip_until:
            return default
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._skip_until = time.monotonic() + self.retry_after
            logger.warning("Redis cannot be reached (%s); carrying on without the cache for now.", error)
            return default

    add = _degrades(False)(RedisCache.add)
    set = _degrades(None)(RedisCache.set)
    touch = _degrades(False)(RedisCache.touch)
    delete = _degrades(False)(RedisCache.delete)
    get_many = _degrades(dict)(RedisCache.get_many)
    has_key = _degrades(False)(RedisCache.has_key)
    set_many = _degrades(list)(RedisCache.set_many)
    delete_many = _degrades(None)(RedisCache.delete_many)
    clear = _degrades(None)(RedisCache.clear)
    incr = _degrades(_unavailable)(RedisCache.incr)

    @property
    def available(self):
        return time.monotonic() >= self._skip_until
