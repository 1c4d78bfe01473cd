"""Crashes lose no acknowledged view and count none twice: a server process killed with
SIGKILL under load, the whole server killed and started again, and the flush worker
killed in the middle of a batch (before and after its commit) and started again."""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from tests.pageviews.live_sites import (
    ARTICLE_PATH,
    READER_UA,
    counts,
    drained,
    seed_demo,
    server_processes,
)

CLIENTS = 16
REQUESTS = 600  # in all, bounded


class Load:
    """CLIENTS threads sending REQUESTS reader GETs in all; counts the 200s received."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sent = self.ok = 0
        self.stopped = False
        self.lock = threading.Lock()

    def _one(self) -> bool:
        with self.lock:
            if self.sent >= REQUESTS or self.stopped:
                return False
            self.sent += 1
        request = urllib.request.Request(self.url, headers={"User-Agent": READER_UA})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                if response.status == 200:
                    with self.lock:
                        self.ok += 1
        except (OSError, http.client.HTTPException):
            pass  # cut by the killed process
        return True

    def run(self) -> None:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            for future in [pool.submit(self._loop) for _ in range(CLIENTS)]:
                future.result()

    def _loop(self) -> None:
        while self._one():
            pass

    def stop(self) -> None:
        with self.lock:
            self.stopped = True

    def wait_for(self, ok: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.ok < ok and time.monotonic() < deadline:
            time.sleep(0.01)


@pytest.mark.live
class TestServerKilled:
    """Every view that got a 200 is counted, and no view more than once, when a server
    process is SIGKILLed during a load, and when the whole server is."""

    def test_one_process_killed_under_load(self, start_site):
        site = start_site(command="serve", workers=4)
        seed_demo(site)
        victim = server_processes(site, expected=4)[0]
        before = site.views_shown()
        load = Load(site.url(ARTICLE_PATH))
        runner = threading.Thread(target=load.run)
        runner.start()
        load.wait_for(ok=REQUESTS // 4)
        os.kill(victim, signal.SIGKILL)
        runner.join(timeout=300)
        assert not runner.is_alive()
        database, daily, shown = drained(site)
        counted = shown - before
        assert load.sent == REQUESTS
        assert load.ok <= counted <= load.sent, (load.ok, counted, load.sent)
        assert database == daily == shown

    def test_whole_server_killed_and_restarted(self, start_site):
        site = start_site(command="serve", workers=4)
        seed_demo(site)
        before = site.views_shown()
        load = Load(site.url(ARTICLE_PATH))
        runner = threading.Thread(target=load.run)
        runner.start()
        load.wait_for(ok=REQUESTS // 2)
        os.killpg(site.process.pid, signal.SIGKILL)  # server, workers and flusher at once
        load.stop()
        site.process.wait()
        runner.join(timeout=300)
        assert not runner.is_alive()
        ok, sent = load.ok, load.sent
        # Views acknowledged before the crash that were still in Redis are flushed by the
        # restarted server.
        site.launch("serve", 4)
        database, daily, shown = drained(site)
        assert ok <= shown - before <= sent, (ok, shown - before, sent)
        assert database == daily == shown


def start_worker(site, *options: str) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "byline", "worker", "--verbose", *options],
        env=site.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    return process, lines


def wait_for_line(lines: list[str], text: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in list(lines):
            if text in line:
                return line
        time.sleep(0.05)
    raise AssertionError(f"no {text!r} in the worker's output:\n" + "".join(lines))


def read_as_reader(site, times: int) -> None:
    for _ in range(times):
        status, _ = site.get(ARTICLE_PATH, user_agent=READER_UA)
        assert status == 200


@pytest.mark.live
class TestFlushWorkerKilled:
    """`byline worker` SIGKILLed in the middle of a batch, before and after the batch's
    commit, then started again: each view reaches the database exactly once, and the
    count shown is exact all along."""

    def test_killed_mid_batch_and_restarted(self, start_site):
        if not settings.REDIS_URL:
            pytest.skip(
                "REDIS_URL is not set: without Redis a separate flush worker has nothing to "
                "do (SQLite's servers flush their shared memory themselves; a flusher killed "
                "mid-batch there: tests/pageviews/test_shared.py)"
            )
        site = start_site(
            command="serve", workers=2, extra_env={"BYLINE_VIEWS_FLUSH_IN_SERVER": "0"}
        )
        seed_demo(site)
        read_as_reader(site, 50)
        assert counts(site) == (1820, 1820, 1870)  # 50 pending in Redis

        # 1. Killed after taking the batch from the pending counts, before the commit.
        worker, lines = start_worker(site, "--step-delay", "3")
        wait_for_line(lines, "50 views taken from Redis")
        worker.kill()
        worker.wait()
        assert counts(site) == (1820, 1820, 1870)  # still in flight, still shown
        read_as_reader(site, 10)

        # 2. Killed after the commit, before the batch left Redis.
        worker, lines = start_worker(site, "--step-delay", "3")
        wait_for_line(lines, "committed to the database")
        worker.kill()
        worker.wait()
        assert counts(site) == (1870, 1870, 1880)  # in the database, not shown twice

        # 3. Started again: the committed batch is recognised, the rest applied.
        worker, lines = start_worker(site, "--once")
        assert worker.wait(timeout=120) == 0, "".join(lines)
        wait_for_line(lines, "already in the database, not applied again")
        assert counts(site) == (1880, 1880, 1880)
        assert site.views_shown() == 1880
