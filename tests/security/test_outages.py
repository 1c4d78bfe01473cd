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
        server.remove()


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


def views_now(site) -> int:
    """The article's count after the buffered views are moved to the database."""
    return int(
        site.shell(
            "from byline.pageviews.flush import views_drain; views_drain(); "
            "from byline.pageviews.services import article_views; "
            "from byline.articles.models import Article; "
            "print(article_views(article_id=Article.objects.get("
            "slug='facebook-mulled-investing-in-xiaomi').pk))"
        ).strip()
    )


@pytest.mark.live
class TestRedisOutage:
    """Redis down: pages are still served (no 500), views are counted in the database
    instead, comments still saved, and a warning is logged; back: no view was lost."""

    def test_pages_served_and_counted_without_redis(self, private, start_site):
        redis = private(private_services.PrivateRedis)
        redis.start()
        site = start_site(command="demo", extra_env={"REDIS_URL": redis.url})
        reader = Reader(site.base_url)
        assert reader.get(ARTICLE_PATH).status == 200
        reads = 1

        redis.stop()  # as in a crash
        for path in (ARTICLE_PATH, "/", "/author/tech-guru/", "/2014/", ARTICLE_PATH):
            answer = reader.get(path)
            assert answer.status == 200, (path, answer.status)
            reads += path == ARTICLE_PATH
        posted = reader.post_comment(
            ARTICLE_PATH, text="Redis is down.", name="Cy", email="cy@mail.example"
        )
        assert posted.status == 303
        reads += 1  # the article read for the form's token
        assert count_comments(site, "Redis is down.") == 1
        logged = "".join(site.output)
        assert "Redis is unavailable" in logged or "Redis unavailable" in logged

        redis.start()  # with its append-only file: the views it had are still there
        assert reader.get(ARTICLE_PATH).status == 200
        reads += 1
        assert views_now(site) == 1820 + reads  # the demo's count before its first reader
