"""Concurrent readers against a real `byline serve` with 4 server processes: no view is
lost or counted twice. SQLite alone, or PostgreSQL + Redis when DATABASE_URL and REDIS_URL
are set; the counts go through the memory the processes share and the in-server flusher
(and with Redis, through the Redis buffer)."""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.pageviews.live_sites import (
    ARTICLE_PATH,
    READER_UA,
    drained,
    seed_demo,
    server_processes,
)

READERS = 200


@pytest.mark.live
class TestSimultaneousReaders:
    """200 simultaneous GETs over 4 server processes raise the count by exactly 200, and
    the per-day rows add up to the total."""

    def test_every_view_is_counted_once(self, start_site):
        site = start_site(command="serve", workers=4)
        seed_demo(site)
        assert len(server_processes(site, expected=4)) == 4
        before = site.views_shown()
        assert before == 1820
        start = threading.Barrier(READERS)

        def read(_: int) -> int:
            request = urllib.request.Request(
                site.url(ARTICLE_PATH), headers={"User-Agent": READER_UA}
            )
            start.wait()
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                return response.status

        with ThreadPoolExecutor(max_workers=READERS) as pool:
            statuses = list(pool.map(read, range(READERS)))
        assert statuses == [200] * READERS
        assert site.views_shown() == before + READERS
        database, daily, shown = drained(site)
        assert database == daily == shown == before + READERS
        # They went through the memory the server processes share (pageviews/shared.py).
        batches = site.shell(
            "from byline.pageviews import shared; table = shared.shared_counts(); "
            "print(table.words[shared.H_LAST_BATCH] if table else -1)"
        )
        assert int(batches) > 0
