"""Reads of chosen Redis cache keys kept in each server process while Redis says they are
unchanged: Redis's client-side caching in broadcast mode (`CLIENT TRACKING ON BCAST
PREFIX …`, RESP3, Redis 6 or later).

A page-cache hit checks its tags' purge times, and an uncached page reads a few small
cache keys (the article by its address, the moderation settings, the most viewed list);
each read from Redis is a round trip, which costs the server more CPU than the rest of a
hit (the send and the receive on both sides, and Redis woken up for it). Instead, each
process keeps what it read of the keys under the cache's TRACKED_PREFIXES, as Redis sent
it (unpickled at every read, so no caller shares an object with another), until the key's
own expiry, and holds one connection on which Redis reports every change to such a key.
Redis queues that report as it makes the change, before its answer to the writer goes
out, so the next request anywhere, on this machine or another, finds it waiting on the
connection. A kept read then costs a poll of that connection (a system call) instead of a
round trip. A change this process makes itself is forgotten at once.

When the connection cannot be made or breaks (Redis restarted, say), what the process
kept is dropped and the keys are read from Redis every time, as before, until the
connection is made again (tried RETRY_SECONDS after each failure; one warning per
outage)."""

import logging
import math
import os
import threading
import time
from collections.abc import Iterable

from redis.exceptions import RedisError

logger = logging.getLogger("byline.cache")
RETRY_SECONDS = 1.0
LIMIT_BYTES = 8 * 1024 * 1024  # of kept values per process and cache; all dropped beyond


class TrackedKeys:
    """What one process keeps of one Redis cache's keys under `prefixes` (the cache's
    keys, before Django's KEY_PREFIX and version)."""

    def __init__(self, cache, prefixes: tuple[str, ...]) -> None:
        self._cache = cache  # any thread's: only its key function and pool settings are used
        self.prefixes = prefixes
        self._strip = len(cache.make_key(""))  # a Redis key without it is the cache's key
        self._kept: dict[str, tuple[bytes, float]] = {}  # key -> (as Redis sent it, until)
        self._size = 0
        # Bumped by every change reported or made here: a value read before a change must
        # not be kept after it (another thread may have taken the report meanwhile).
        self._changes = 0
        self._lock = threading.Lock()
        self._connection = None
        self._pid = 0
        self._next_try = 0.0
        self._failing = False

    def covers(self, key: str) -> bool:
        return key.startswith(self.prefixes)

    def get_many(self, client, keys: list[str]) -> dict:
        """As the cache's get_many, for covered keys; `client` is the calling thread's
        ReusingRedisCacheClient, which reads what is not kept."""
        now = time.monotonic()
        with self._lock:
            listening = self._listening()
            found = {}
            if listening:
                for key in keys:
                    kept = self._kept.get(key)
                    if kept is not None and kept[1] > now:
                        found[key] = kept[0]
            changes = self._changes
        missing = [key for key in keys if key not in found]
        if missing:
            read = client.raw_values_and_lifetimes([self._cache.make_key(k) for k in missing])
            with self._lock:
                if listening and self._listening() and self._changes == changes:
                    for key, (raw, milliseconds) in zip(missing, read, strict=True):
                        if raw is not None and milliseconds != -2:  # -2: gone meanwhile
                            until = math.inf if milliseconds < 0 else now + milliseconds / 1000
                            self._keep(key, raw, until)
            found.update(
                (key, raw) for key, (raw, _) in zip(missing, read, strict=True) if raw is not None
            )
        return {key: client.loads(raw) for key, raw in found.items()}

    def forget(self, keys: Iterable[str] | None) -> None:
        """Forget `keys` (all, when None): this process changed them, and its own next
        read must not depend on when Redis's report reaches it."""
        if keys is not None:
            keys = [key for key in keys if self.covers(key)]
            if not keys:
                return
        with self._lock:
            self._changes += 1
            if keys is None:
                self._forget_all()
                return
            for key in keys:
                self._drop(key)

    def _keep(self, key: str, raw: bytes, until: float) -> None:
        self._drop(key)
        if self._size + len(raw) > LIMIT_BYTES:
            self._forget_all()
        self._kept[key] = (raw, until)
        self._size += len(raw)

    def _forget_all(self) -> None:
        self._kept.clear()
        self._size = 0

    def _drop(self, key: str) -> None:
        dropped = self._kept.pop(key, None)
        if dropped is not None:
            self._size -= len(dropped[0])

    def _listening(self) -> bool:
        """Whether this process's connection is up with every report on it taken;
        connects when there is none (or it is another process's), not sooner than
        RETRY_SECONDS after a failure. Called with the lock held."""
        if self._pid != os.getpid():
            self._connection, self._pid = None, os.getpid()
            self._forget_all()
        try:
            if self._connection is None:
                if time.monotonic() < self._next_try:
                    return False
                self._connection = self._connect()
                self._failing = False
            while self._connection.can_read(0):
                self._connection.read_response(push_request=True)
            return True
        except (RedisError, OSError) as error:
            if not self._failing:  # once per outage, not at every retry
                logger.warning("Not following changes in Redis (%s); reading every time", error)
            self._failing = True
            self._next_try = time.monotonic() + RETRY_SECONDS
            self._disconnect()
            return False

    def _connect(self):
        pool = self._cache._cache._get_connection_pool(False)
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        prefixes = [part for p in self.prefixes for part in ("PREFIX", self._cache.make_key(p))]
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._changed)
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", *prefixes)
            connection.read_response()  # raises when Redis refuses (before 6, say)
        except BaseException:
            connection.disconnect()
            raise
        self._forget_all()  # changes made while not listening were not seen
        return connection

    def _changed(self, message: list) -> None:
        """A report from Redis: ["invalidate", keys], keys None when everything went."""
        self._changes += 1
        keys = message[1] if len(message) > 1 else None
        if keys is None:
            self._forget_all()
            return
        for key in keys:
            self._drop(key.decode()[self._strip :])

    def _disconnect(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()  # redis-py's own: ignores a socket already gone
        self._connection = None
        self._forget_all()


_trackers: dict[tuple, TrackedKeys] = {}
_trackers_lock = threading.Lock()


def tracker_for(cache, prefixes: tuple[str, ...]) -> TrackedKeys:
    """The process's TrackedKeys for the Redis cache `cache` (the same for every thread's
    cache object of one configuration)."""
    identity = (tuple(cache._servers), cache.key_prefix, cache.version, prefixes)
    found = _trackers.get(identity)
    if found is None:
        with _trackers_lock:
            found = _trackers.setdefault(identity, TrackedKeys(cache, prefixes))
    return found
