"""Concurrent readers against a real server: no view is lost or counted twice."""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live import ARTICLE_PATH

READER_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1"
READERS = 200


@pytest.mark.live
class TestSimultaneousReaders:
    """200 simultaneous GETs raise the count by exactly 200 (SQLite here; PostgreSQL
    when DATABASE_URL points at it)."""

    def test_every_view_is_counted_once(self, start_site):
        site = start_site(command="demo", workers=4)
        before = site.views_shown()
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
