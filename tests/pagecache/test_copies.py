"""Each server process's copies of the kept pages (byline.pagecache.wsgi.Copies), and a
purge seen by the process that made it at once."""

import pytest

from byline.pagecache.purge import pages_cache, purge_now, tag_key, tags_current
from byline.pagecache.wsgi import Copies, Entry


def entry(size: int) -> Entry:
    return Entry(
        tags=[], built=0.0, expires=0.0, status="200 OK", headers=[],
        parts=[b"x" * size], slots=[], article_id=None,
    )  # fmt: skip


def test_copies_are_bounded_the_least_recently_served_dropped_first(monkeypatch):
    monkeypatch.setattr(Copies, "LIMIT_BYTES", 30_000)
    copies = Copies()
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


@pytest.mark.parametrize("repeat", [1, 2])
def test_a_page_is_stale_right_after_a_purge_in_this_process(repeat):
    tags = ["copies-test"]
    pages_cache().set(tag_key("copies-test"), 100.0, timeout=None)
    for _ in range(repeat):  # the second time from what this process kept
        assert tags_current(tags, since=200.0)
    purge_now(tags)
    assert not tags_current(tags, since=200.0)
