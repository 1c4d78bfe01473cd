"""Tags' purge times kept in each server process while Redis says they are unchanged.

Every page-cache hit checks its tags' purge times; read from Redis, that is a round trip
per hit, which costs the server more CPU than the rest of the hit (the send and receive
on both sides, and Redis woken up for it). Instead each process keeps the purge times it
read and one connection on which Redis tells it of every change to a tag's key (Redis's
client-side caching in broadcast mode, `CLIENT TRACKING ON BCAST PREFIX`, RESP3). Redis
queues that message to every listening process as it changes the key, before its answer
to the purge itself goes out, so the next request anywhere, on this machine or another,
finds it waiting on the connection and reads the new time. A hit then costs a poll of
that connection, a system call, instead of a round trip.

When the connection cannot be made or breaks (Redis restarted, say), what the process
kept is dropped and the times are read from Redis on every hit, as before, until the
connection is made again (tried at most every RETRY_SECONDS)."""

import logging
import os
import threading
import time

from redis.exceptions import RedisError

logger = logging.getLogger("byline.pagecache")
RETRY_SECONDS = 1.0
_trackers: dict[tuple, "TrackedStamps"] = {}
_trackers_lock = threading.Lock()


class TrackedStamps:
    """The values of one Redis cache's keys starting with `prefix` (a Django cache key
    prefix, such as "tag:"), read through and kept while Redis reports no change."""

    def __init__(self, cache, prefix: str) -> None:
        self._cache = cache
        self._prefix = prefix
        self._redis_prefix = cache.make_key(prefix)  # "<KEY_PREFIX>:<version>:tag:"
        self._strip = len(cache.make_key(""))  # a Redis key without it is the cache's key
        self._kept: dict[str, object] = {}
        # Bumped by every change Redis reports: a value read before a change must not
        # be kept after it (another thread may have taken the message meanwhile).
        self._changes = 0
        self._lock = threading.Lock()
        self._connection = None
        self._pid = 0
        self._next_try = 0.0

    def get_many(self, keys: list[str]) -> dict:
        """As the cache's get_many, for keys starting with the prefix."""
        with self._lock:
            if not self._listening():
                return self._cache.get_many(keys)
            found = {key: self._kept[key] for key in keys if key in self._kept}
            changes = self._changes
        if len(found) == len(keys):
            return found
        read = self._cache.get_many([key for key in keys if key not in found])
        with self._lock:
            if self._listening() and self._changes == changes:
                self._kept.update(read)
        return found | read

    def forget(self, keys: list[str]) -> None:
        """Forget `keys` now: this process changed them (its own next read must not
        depend on when Redis's message reaches it)."""
        with self._lock:
            self._changes += 1
            for key in keys:
                self._kept.pop(key, None)

    def _listening(self) -> bool:
        """Whether this process's connection is up with every message on it taken;
        connects when there is none (or it is another process's), at most every
        RETRY_SECONDS. Called with the lock held."""
        if self._pid != os.getpid():
            self._connection, self._pid = None, os.getpid()
            self._kept.clear()
        try:
            if self._connection is None:
                if time.monotonic() < self._next_try:
                    return False
                self._next_try = time.monotonic() + RETRY_SECONDS
                self._connection = self._connect()
            while self._connection.can_read(0):
                self._connection.read_response(push_request=True)
            return True
        except (RedisError, OSError) as error:
            logger.warning("Not following tag purges in Redis (%s); reading them every hit", error)
            self._drop()
            return False

    def _connect(self):
        pool = self._cache._cache._get_connection_pool(False)
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        connection.connect()
        connection._parser.set_invalidation_push_handler(self._changed)
        connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self._redis_prefix)
        connection.read_response()
        self._kept.clear()  # changes made while not listening were not seen
        return connection

    def _changed(self, message: list) -> None:
        """A push from Redis: ["invalidate", keys], keys None when everything went."""
        self._changes += 1
        keys = message[1] if len(message) > 1 else None
        if keys is None:
            self._kept.clear()
            return
        for key in keys:
            self._kept.pop(key.decode()[self._strip :], None)

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()  # redis-py's own: ignores a socket already gone
        self._connection = None
        self._kept.clear()


def tracked(cache, prefix: str) -> TrackedStamps | None:
    """The process's TrackedStamps for `cache` and `prefix`; None when the cache is not
    Redis (the file cache already reads nothing it has not seen change)."""
    if not hasattr(cache, "_cache") or not hasattr(cache._cache, "_get_connection_pool"):
        return None
    identity = (tuple(cache._servers), cache.key_prefix, cache.version, prefix)
    found = _trackers.get(identity)
    if found is None:
        with _trackers_lock:
            found = _trackers.setdefault(identity, TrackedStamps(cache, prefix))
    return found
