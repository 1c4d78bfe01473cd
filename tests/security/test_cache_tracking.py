"""Reads kept in each process while Redis reports no change (byline.security.tracking,
the Redis cache's TRACKED_PREFIXES): a change made on any other connection is read on
the very next read, a kept read costs Redis nothing, a key's own expiry still holds, and
a lost connection drops what was kept until it is made again. With Redis only."""

import time

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from byline.pagecache.purge import pages_cache, tag_key
from byline.security import tracking

KEY = tag_key("tracking-test")  # the pages cache tracks "tag:"
UNTRACKED = "tracking-test:untracked"


@pytest.fixture
def other():
    """Another server's connection to the same Redis: its writes reach this process only
    through Redis's reports (not through this process's own cache object)."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: reads are kept per process with Redis only")
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


def write(other, value, *, milliseconds: int | None = None) -> None:
    cache = pages_cache()
    other.set(cache.make_key(KEY), cache._cache._serializer.dumps(value), px=milliseconds)


def commands_processed(other) -> int:
    return int(other.info("stats")["total_commands_processed"])


def kill_tracking_connections(other) -> int:
    ids = [info["id"] for info in other.client_list() if "B" in info["flags"]]
    for client_id in ids:
        other.client_kill_filter(_id=client_id)
    return len(ids)


class TestKeptReads:
    def test_a_change_on_another_connection_is_read_at_once(self, other):
        for value in range(1, 301):
            write(other, float(value))
            assert pages_cache().get(KEY) == float(value)
            assert pages_cache().get_many([KEY]) == {KEY: float(value)}

    def test_a_kept_read_does_not_ask_redis(self, other):
        write(other, 5.0)
        assert pages_cache().get(KEY) == 5.0
        before = commands_processed(other)
        for _ in range(500):
            assert pages_cache().get(KEY) == 5.0
        # INFO is a command too; a little room for anything else using this Redis.
        assert commands_processed(other) - before < 50
        pages_cache().set(UNTRACKED, 1)
        before = commands_processed(other)
        for _ in range(100):
            pages_cache().get(UNTRACKED)
        assert commands_processed(other) - before >= 100  # a key not tracked: read each time

    def test_this_processs_own_write_is_read_at_once(self, other):
        write(other, 1.0)
        assert pages_cache().get(KEY) == 1.0
        pages_cache().set(KEY, 2.0, timeout=None)
        assert pages_cache().get(KEY) == 2.0
        pages_cache().delete(KEY)
        assert pages_cache().get(KEY) is None

    def test_a_keys_own_expiry_still_holds(self, other):
        write(other, 9.0, milliseconds=300)
        assert pages_cache().get(KEY) == 9.0
        time.sleep(0.4)
        assert pages_cache().get(KEY) is None

    def test_callers_do_not_share_the_value(self, other):
        cache = caches["default"]  # tracks "articles:"
        cache.set("articles:tracking-test", {"title": "First"})
        read = cache.get("articles:tracking-test")
        read["title"] = "Changed by a caller"
        assert cache.get("articles:tracking-test") == {"title": "First"}

    def test_everything_flushed_is_forgotten(self, other):
        write(other, 7.0)
        assert pages_cache().get(KEY) == 7.0
        other.flushdb()
        assert pages_cache().get(KEY) is None

    def test_a_lost_connection_drops_what_was_kept(self, other, monkeypatch, caplog):
        monkeypatch.setattr(tracking, "RETRY_SECONDS", 0.0)
        write(other, 1.0)
        assert pages_cache().get(KEY) == 1.0
        assert kill_tracking_connections(other) >= 1
        write(other, 2.0)  # a change the killed connection can no longer report
        assert pages_cache().get(KEY) == 2.0
        assert "Not following changes in Redis" in caplog.text
        assert pages_cache().get(KEY) == 2.0  # connected again, and following
        write(other, 3.0)
        assert pages_cache().get(KEY) == 3.0
        assert caplog.text.count("Not following changes in Redis") == 1
        assert kill_tracking_connections(other) >= 1  # another outage: warned of again
        write(other, 4.0)
        assert pages_cache().get(KEY) == 4.0
        assert caplog.text.count("Not following changes in Redis") == 2
