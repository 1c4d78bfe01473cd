"""The Redis buffer (REDIS_URL): a view is counted in Redis before the response, the
flusher moves batches to the database exactly once, whichever step it dies at, and the
count shown is database + pending at every moment. Without Redis reachable, views are
counted in the database instead, with a warning."""

import logging
import socket
import threading

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from byline.pageviews.flush import batch_apply, last_applied_batch, views_flush
from byline.pageviews.models import ArticleViews, DailyViews, ViewBatch
from byline.pageviews.services import article_view_record, article_views, views_by_article
from tests.factories import ArticleFactory


def database_total(article) -> int:
    row = ArticleViews.objects.filter(article=article).first()
    return row.views if row else 0


def record(article, times: int) -> None:
    for _ in range(times):
        article_view_record(article_id=article.pk)


@pytest.mark.django_db
class TestBufferedCounting:
    """Views go to Redis first; the database follows at each flush."""

    def test_counted_in_redis_then_flushed(self, redis_buffer, article):
        assert article_view_record(article_id=article.pk) == 1
        assert article_view_record(article_id=article.pk) == 2
        assert database_total(article) == 0  # only in Redis so far
        report = views_flush()
        assert report.views == 2 and len(report.batches) == 1
        assert database_total(article) == 2
        assert article_views(article_id=article.pk) == 2
        assert views_flush().views == 0  # nothing left

    def test_per_day_rows_match_the_totals(self, redis_buffer, article):
        other = ArticleFactory()
        record(article, 5)
        record(other, 3)
        views_flush()
        record(article, 2)
        views_flush()
        for item, expected in ((article, 7), (other, 3)):
            assert database_total(item) == expected
            daily = DailyViews.objects.filter(article=item).aggregate(n=Sum("views"))["n"]
            assert daily == expected

    def test_views_of_a_deleted_article_are_dropped(self, redis_buffer, article):
        doomed = ArticleFactory()
        record(article, 1)
        record(doomed, 4)
        doomed.delete()
        assert views_flush().views == 5  # the batch went through, not stuck
        assert database_total(article) == 1
        assert redis_buffer.in_flight_batches() == []


@pytest.mark.django_db
class TestFlusherKilled:
    """The flusher's steps run one by one here, as if it died after each."""

    def test_killed_after_taking_the_batch(self, redis_buffer, article):
        record(article, 3)
        batch = redis_buffer.start_batch(last_applied=last_applied_batch())
        assert batch is not None
        # The flusher dies here: the batch is in Redis only, and still shown.
        record(article, 1)
        assert article_views(article_id=article.pk) == 4
        assert database_total(article) == 0
        report = views_flush()  # the next flusher finishes the old batch first
        assert report.batches == [batch, batch + 1] and report.views == 4
        assert database_total(article) == 4 == article_views(article_id=article.pk)

    def test_killed_after_the_commit(self, redis_buffer, article):
        record(article, 3)
        batch = redis_buffer.start_batch(last_applied=last_applied_batch())
        assert batch_apply(batch=batch, counts=redis_buffer.batch_counts(batch))
        # The flusher dies before removing the batch from Redis: the count shown does
        # not add it twice, and the next flusher does not apply it again.
        assert database_total(article) == 3
        assert article_views(article_id=article.pk) == 3
        report = views_flush()
        assert report.replays == [batch] and report.views == 0
        assert database_total(article) == 3 == article_views(article_id=article.pk)
        assert redis_buffer.in_flight_batches() == []

    def test_a_replayed_batch_changes_nothing(self, redis_buffer, article):
        record(article, 2)
        batch = redis_buffer.start_batch(last_applied=last_applied_batch())
        counts = redis_buffer.batch_counts(batch)
        assert batch_apply(batch=batch, counts=counts)
        assert not batch_apply(batch=batch, counts=counts)
        assert database_total(article) == 2
        assert ViewBatch.objects.get(id=batch).views == 2

    def test_redis_forgets_its_batch_counter(self, redis_buffer, article):
        """Redis restarted empty: new batch ids continue after the database's last one."""
        record(article, 2)
        views_flush()
        redis_buffer.client.delete(redis_buffer.key("seq"))
        record(article, 1)
        assert article_views(article_id=article.pk) == 3
        report = views_flush()
        assert report.batches[0] > ViewBatch.objects.order_by("id").first().id
        assert database_total(article) == 3 == article_views(article_id=article.pk)

    def test_one_flusher_at_a_time(self, redis_buffer, article):
        record(article, 1)
        token = redis_buffer.lock(30)
        assert views_flush().locked_out
        redis_buffer.unlock(token)
        assert views_flush().views == 1

    def test_lists_add_pending_and_in_flight(self, redis_buffer, article):
        other = ArticleFactory()
        record(article, 2)
        views_flush()
        record(article, 1)
        record(other, 1)
        redis_buffer.start_batch(last_applied=last_applied_batch())
        record(other, 1)
        assert views_by_article([article.pk, other.pk]) == {article.pk: 3, other.pk: 2}


@pytest.mark.django_db
class TestRedisDown:
    """Without Redis, the page is still served and the view counted in the database."""

    @override_settings(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    def test_counts_in_the_database_and_warns(self, client, article, caplog):
        with caplog.at_level(logging.WARNING, logger="byline.pageviews"):
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "1 view<" in response.content.decode()
        assert database_total(article) == 1
        assert "Redis unavailable" in caplog.text
        assert client.get("/").status_code == 200

    def test_a_redis_that_never_answers(self, client, article, caplog):
        """A Redis that takes the connection and never answers: after its timeout the
        page is served all the same, with a warning."""
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            held: list[socket.socket] = []
            threading.Thread(target=lambda: held.append(silent.accept()[0]), daemon=True).start()
            url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
            with override_settings(REDIS_URL=url), caplog.at_level(logging.WARNING):
                response = client.get(article.get_absolute_url())
            for connection in held:
                connection.close()
        assert response.status_code == 200
        assert "did not answer in time" in caplog.text


@pytest.mark.django_db
class TestBase:
    """A counted view reads no SQL when its process read the article's total (its base)
    less than BASE_SECONDS ago; the batches applied since stay in Redis long enough for
    the count shown to stay exact."""

    def test_a_base_stays_exact_across_a_flush(self, redis_buffer, article):
        record(article, 3)  # the first read the total: the base, before any batch
        assert views_flush().views == 3  # the batch is in the database now, and kept
        assert redis_buffer.client.zcard(redis_buffer.key("kept")) == 1
        with CaptureQueriesContext(connection) as queries:
            shown = article_view_record(article_id=article.pk)
        assert shown == 4 and len(queries) == 0  # 0 (base) + 3 (kept batch) + 1 (pending)
        assert article_views(article_id=article.pk) == 4
        views_flush()
        assert article_view_record(article_id=article.pk) == 5 == database_total(article) + 1

    def test_an_old_base_is_read_again(self, redis_buffer, article, monkeypatch):
        record(article, 2)
        monkeypatch.setattr(redis_buffer, "BASE_SECONDS", 0)
        views_flush()
        with CaptureQueriesContext(connection) as queries:
            assert article_view_record(article_id=article.pk) == 3
        assert len(queries) == 1

    def test_kept_batches_are_forgotten(self, redis_buffer, article, monkeypatch):
        monkeypatch.setattr(redis_buffer, "KEEP_APPLIED_SECONDS", 0)
        record(article, 2)
        batch = views_flush().batches[0]
        assert redis_buffer.client.zcard(redis_buffer.key("kept")) == 0
        assert not redis_buffer.client.exists(redis_buffer.key(f"batch:{batch}:totals"))
        monkeypatch.setattr(redis_buffer, "BASE_SECONDS", 0)
        assert article_view_record(article_id=article.pk) == 3
