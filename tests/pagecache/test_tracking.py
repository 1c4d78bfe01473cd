"""Tags' purge times kept in each process while Redis reports no change
(byline.pagecache.tracking): a change made on any connection is read on the very next
read, a kept read costs Redis nothing, and a lost connection drops what was kept until
it is made again. With Redis only (REDIS_URL); the file cache reads no unchanged file."""

import pytest
from django.conf import settings
from django.core.cache import caches

from byline.pagecache import tracking
from byline.pagecache.purge import TAG_PREFIX, pages_cache, purge_now, tag_key, tags_current
from byline.pagecache.tracking import TrackedStamps
from byline.pagecache.wsgi import Copies, Entry

KEY = tag_key("tracking-test")


@pytest.fixture
def stamps():
    """A process's tracker of its own (its own connection), for the pages cache."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: purge times are followed in Redis only")
    tracker = TrackedStamps(pages_cache(), TAG_PREFIX)
    yield tracker
    tracker.forget([KEY])
    tracker._drop()


def elsewhere(value: float) -> None:
    """Write the key as another server would: on another connection, not through the
    tracker (purge_now in this process would also tell it directly)."""
    pages_cache().set(KEY, value, timeout=None)


def commands_processed() -> int:
    client = pages_cache()._cache.get_client()
    return int(client.info("stats")["total_commands_processed"])


def kill_tracking_connections() -> int:
    client = pages_cache()._cache.get_client()
    tracking_ids = [info["id"] for info in client.client_list() if "B" in info["flags"]]
    for client_id in tracking_ids:
        client.client_kill_filter(_id=client_id)
    return len(tracking_ids)


class TestTrackedStamps:
    def test_a_change_on_another_connection_is_read_at_once(self, stamps):
        elsewhere(1.0)
        assert stamps.get_many([KEY]) == {KEY: 1.0}
        for value in range(2, 202):
            elsewhere(float(value))
            assert stamps.get_many([KEY]) == {KEY: float(value)}

    def test_a_kept_time_is_read_without_asking_redis(self, stamps):
        elsewhere(5.0)
        assert stamps.get_many([KEY]) == {KEY: 5.0}
        before = commands_processed()
        for _ in range(500):
            assert stamps.get_many([KEY]) == {KEY: 5.0}
        # INFO itself is one command; a little room for anything else on this Redis.
        assert commands_processed() - before < 50

    def test_keys_without_a_time_are_missing_and_read_again(self, stamps):
        assert stamps.get_many([KEY]) == {}
        elsewhere(3.0)
        assert stamps.get_many([KEY]) == {KEY: 3.0}

    def test_everything_flushed_is_forgotten(self, stamps):
        elsewhere(7.0)
        assert stamps.get_many([KEY]) == {KEY: 7.0}
        caches["default"].clear()  # FLUSHDB: the same Redis database
        assert stamps.get_many([KEY]) == {}

    def test_a_lost_connection_drops_what_was_kept(self, stamps, monkeypatch, caplog):
        monkeypatch.setattr(tracking, "RETRY_SECONDS", 0.0)
        elsewhere(1.0)
        assert stamps.get_many([KEY]) == {KEY: 1.0}
        assert kill_tracking_connections() >= 1
        elsewhere(2.0)  # a change the killed connection can no longer report
        assert stamps.get_many([KEY]) == {KEY: 2.0}
        assert "Not following tag purges" in caplog.text
        # Connected again: changes are followed once more.
        assert stamps.get_many([KEY]) == {KEY: 2.0}
        elsewhere(3.0)
        assert stamps.get_many([KEY]) == {KEY: 3.0}


class TestPurgeInThisProcess:
    def test_a_page_is_stale_right_after_its_purge(self):
        if not settings.REDIS_URL:
            pytest.skip("REDIS_URL is not set: purge times are followed in Redis only")
        tags = ["tracking-test"]
        pages_cache().set(KEY, 100.0, timeout=None)
        assert tags_current(tags, since=200.0)
        assert tags_current(tags, since=200.0)  # now kept
        purge_now(tags)
        assert not tags_current(tags, since=200.0)


class TestCopies:
    def test_bounded_by_size_least_recently_served_dropped_first(self, monkeypatch):
        monkeypatch.setattr(Copies, "LIMIT_BYTES", 30_000)
        copies = Copies()

        def entry(size: int) -> Entry:
            return Entry(
                tags=[],
                built=0.0,
                expires=0.0,
                status="200 OK",
                headers=[],
                parts=[b"x" * size],
                slots=[],
                article_id=None,
            )

        copies.keep("a", entry(10_000))
        copies.keep("b", entry(10_000))
        copies.keep("c", entry(10_000))
        assert copies.get("a") is not None  # served: now the most recent
        copies.keep("d", entry(10_000))  # over the limit: "b" goes first
        assert copies.get("b") is None
        assert all(copies.get(key) is not None for key in "acd")
        copies.keep("a", entry(25_000))  # replaced, larger: the others make room
        assert copies.get("a") is not None
        assert copies.get("c") is None and copies.get("d") is None
