"""The site's own services fail: a real `byline demo` against PRIVATE PostgreSQL and
Redis servers (tests/private_services.py), which the test stops and starts again.

The load version of these faults, with counts of requests acknowledged and lost, is
bench/faults.py."""

import time

import pytest

from tests import private_services
from tests.live import ARTICLE_PATH
from tests.readers import Reader

RECOVERY_LIMIT_S = 60  # a bound for the loop, not a measurement (bench/faults.py measures)


@pytest.fixture
def private():
    if reason := private_services.missing_reason():
        pytest.skip(f"private servers cannot be started: {reason}")
    started = []

    def make(kind):
        server = kind()
        started.append(server)
        return server

    yield make
    for server in started:
        if isinstance(server, private_services.PrivatePostgres):
            server.remove()
        else:
            server.stop()


def count_comments(site, text: str) -> int:
    return int(
        site.shell(
            "from byline.comments.models import Comment; "
            f"print(Comment.objects.filter(body={text!r}).count())"
        ).strip()
    )


@pytest.mark.live
class TestDatabaseOutage:
    """PostgreSQL down: a clear 503 page with Retry-After, fast; back: the site recovers
    by itself, and every comment that was acknowledged is there."""

    def test_503_while_down_then_recovery_with_nothing_lost(self, private, start_site):
        database = private(private_services.PrivatePostgres)
        database.start()
        site = start_site(command="demo", extra_env={"DATABASE_URL": database.url})
        reader = Reader(site.base_url)
        saved = reader.post_comment(
            ARTICLE_PATH, text="Before the outage.", name="Ada", email="ada@mail.example"
        )
        assert saved.status == 303

        database.stop("immediate")  # as in a crash
        down = reader.get(ARTICLE_PATH)
        assert down.status == 503
        assert "Temporarily unavailable" in down.body
        assert "nothing was saved" in down.body
        assert down.headers["Retry-After"] == "5"
        refused = Reader(site.base_url).post_comment(
            ARTICLE_PATH, text="During the outage.", name="Bo", email="bo@mail.example"
        )
        assert refused.status == 503
        assert Reader(site.base_url).get("/").status == 503

        database.start()
        deadline = time.monotonic() + RECOVERY_LIMIT_S
        while (answer := reader.get(ARTICLE_PATH)).status != 200:
            assert answer.status in (0, 503), answer.status
            assert time.monotonic() < deadline, "the site did not recover"
            time.sleep(0.2)
        assert count_comments(site, "Before the outage.") == 1
        assert count_comments(site, "During the outage.") == 0


@pytest.mark.live
class TestRedisOutage:
    """Redis down: pages are still served (no 500), views are still counted, comments
    still saved, and a warning is logged."""

    def test_pages_served_and_counted_without_redis(self, private, start_site):
        redis = private(private_services.PrivateRedis)
        redis.start()
        site = start_site(command="demo", extra_env={"REDIS_URL": redis.url})
        reader = Reader(site.base_url)
        before = reader.get(ARTICLE_PATH)
        assert before.status == 200

        redis.stop()
        for path in (ARTICLE_PATH, "/", "/author/tech-guru/", "/2014/"):
            answer = reader.get(path)
            assert answer.status == 200, (path, answer.status)
        after = reader.get(ARTICLE_PATH)
        assert after.views == before.views + 2  # this reader's two article views counted
        posted = reader.post_comment(
            ARTICLE_PATH, text="Redis is down.", name="Cy", email="cy@mail.example"
        )
        assert posted.status == 303
        assert count_comments(site, "Redis is down.") == 1
        assert any("Redis is unavailable" in line for line in site.output)

        redis.start()
        assert reader.get(ARTICLE_PATH).status == 200
