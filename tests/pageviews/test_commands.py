"""`byline worker` and `byline stats` as a person runs them, in a fresh data folder."""

import os
import signal
import subprocess
import sys

import pytest

from tests.live import byline, create_database, drop_database


@pytest.fixture
def site_env(tmp_path):
    """A migrated site with the demo article, in its own data folder and database."""
    env = {**os.environ, "BYLINE_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    database = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        database = env["DATABASE_URL"] = create_database(env["DATABASE_URL"])
    if env.get("REDIS_URL"):
        env["BYLINE_CACHE_PREFIX"] = f"cmd-{tmp_path.name}"
    byline(env, "manage", "migrate", "-v0")
    byline(env, "manage", "shell", "--no-imports", "-c",
           "from byline.demo import seed_demo; seed_demo()")  # fmt: skip
    yield env
    if database:
        drop_database(database)


@pytest.mark.live
class TestCommands:
    """The commands print what a person needs and fail with a clear message."""

    def test_stats(self, site_env):
        out = byline(site_env, "stats", "--period", "all", "--top", "5").stdout
        assert "Most viewed articles, all time" in out
        assert "Facebook mulled investing in Xiaomi" in out and "1,820" in out
        assert "Views all time: 1,820" in out

    def test_stats_refuses_an_unknown_period(self, site_env):
        result = byline(site_env, "stats", "--period", "week", check=False)
        assert result.returncode == 1
        assert "byline stats: Unknown period 'week': use one of" in result.stderr

    def test_worker(self, site_env):
        once = byline(site_env, "worker", "--once")
        assert "task(s) run; the queue is empty" in once.stdout
        if site_env.get("REDIS_URL"):
            assert "views-flush done" in once.stdout
            worker = subprocess.Popen(
                [sys.executable, "-m", "byline", "worker"],
                env=site_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            assert "running tasks, views-flush" in worker.stdout.readline()
            worker.send_signal(signal.SIGTERM)  # stops it cleanly
            out, _ = worker.communicate(timeout=60)
            assert worker.returncode == 0
            assert "byline worker: stopped" in out
        else:
            assert "views-flush" not in once.stdout
