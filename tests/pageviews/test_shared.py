"""Views counted in the memory a machine's server processes share (`byline serve`,
pageviews/shared.py): exact across processes and threads, shown at once, moved on (to
the database, or with Redis to Redis's buffer) exactly once, a batch left by a killed
flusher finished by the next one.

The table here is a real one in a temporary file; its batches go to the test database or
Redis, and on to the database. The live tests (test_concurrency, test_crash) count
through it in `byline serve`."""

import os
import threading
from datetime import date, timedelta

import pytest
from django.db.models import Sum

from byline.pageviews import shared
from byline.pageviews.backends import database_backend, redis_backend
from byline.pageviews.flush import batch_apply, last_applied_batch, shared_flush
from byline.pageviews.models import ArticleViews, DailyViews, ViewBatch
from tests.factories import ArticleFactory
from tests.pageviews.conftest import flush_pending

TODAY = date(2026, 11, 25)


@pytest.fixture
def table(tmp_path) -> shared.SharedCounts:
    return shared.SharedCounts(str(tmp_path / "views-shared"), site=1)


@pytest.fixture
def counting(table, monkeypatch) -> shared.SharedCounts:
    """This process counts in `table`, as a `byline serve` worker does."""
    monkeypatch.setattr(shared, "_counting", table)
    return table


def backend():
    return redis_backend() or database_backend


def count(article, day: date = TODAY) -> int | None:
    return backend().record(article_id=article.pk, day=day, visitor=None)


def moved_on(table: shared.SharedCounts):
    """A round of the servers' flusher: the table's batch moved on, and with Redis,
    Redis's buffer to the database."""
    report = shared_flush(table=table)
    flush_pending()
    return report


def move(table: shared.SharedCounts, batch: int, counts) -> bool:
    """Move a batch on as the flusher does, without settling it in the table."""
    if redis_backend() is not None:
        return redis_backend().push(token=table.token, batch=batch, counts=counts)
    return batch_apply(batch=batch, counts=counts)


def database(article) -> tuple[int, int]:
    row = ArticleViews.objects.filter(article=article).first()
    daily = DailyViews.objects.filter(article=article).aggregate(n=Sum("views"))["n"] or 0
    return (row.views if row else 0, daily)


@pytest.mark.django_db
class TestCounting:
    def test_views_show_at_once_and_reach_the_database_in_one_batch(self, counting):
        article = ArticleFactory()
        assert count(article) == 1
        # A change made straight in the database (an import, say) while the slot holds
        # the total it read (0): it shows after the next batch.
        ArticleViews.objects.create(article=article, views=1820)
        assert [count(article) for _ in range(3)] == [2, 3, 4]
        assert backend().current([article.pk]) == {article.pk: 4}
        assert database(article) == (1820, 0)  # nothing written yet
        report = moved_on(counting)
        assert report.views == 4 and len(report.batches) == 1
        assert database(article) == (1824, 4)
        assert backend().current([article.pk]) == {article.pk: 1824}
        assert count(article) == 1825

    def test_an_idle_slot_is_freed_and_the_next_view_reads_the_total(self, counting):
        article = ArticleFactory()
        count(article)
        moved_on(counting)  # moves the view on
        moved_on(counting)  # a round with no view: the slot goes
        assert counting.read([article.pk]) == {}
        assert backend().current([article.pk]) == {article.pk: 1}
        assert count(article) == 2

    def test_a_view_on_a_new_day_with_yesterdays_views_pending_goes_around(self, counting):
        article = ArticleFactory()
        yesterday = TODAY - timedelta(days=1)
        count(article, yesterday)
        # Today's view is counted without the table; yesterday's waits for the batch.
        assert count(article, TODAY) == 1
        assert counting.read([article.pk]) == {article.pk: 1}
        moved_on(counting)
        days = dict(DailyViews.objects.filter(article=article).values_list("day", "views"))
        assert days == {yesterday: 1, TODAY: 1}
        assert database(article) == (2, 2)

    def test_the_interval_rule_counts_without_the_table(self, counting, settings):
        settings.BYLINE_VIEWS_INTERVAL = 60
        article = ArticleFactory()
        backend().record(article_id=article.pk, day=TODAY, visitor="v1")
        backend().record(article_id=article.pk, day=TODAY, visitor="v1")  # within 60 s
        assert counting.read([article.pk]) == {}
        flush_pending()
        assert database(article) == (1, 1)

    def test_a_full_neighbourhood_sends_views_around_the_table(self, counting):
        article = ArticleFactory()
        for neighbour in range(shared.WINDOW):  # every slot the article could take
            counting.take_slot_and_add(article.pk + shared.SLOTS * (neighbour + 1), TODAY, total=0)
        assert count(article) == 1
        assert counting.read([article.pk]) == {}
        flush_pending()
        assert database(article) == (1, 1)

    def test_views_of_a_deleted_article_go_with_it(self, counting):
        article = ArticleFactory()
        count(article)
        article.delete()
        report = moved_on(counting)
        assert report.views == 1  # the batch, moved on without the missing article
        assert not ArticleViews.objects.exists()
        assert counting.in_flight() is None


@pytest.mark.django_db
class TestBatches:
    def test_a_batch_left_in_flight_is_moved_on_by_the_next_flusher(self, table):
        article = ArticleFactory()
        for _ in range(5):
            table.take_slot_and_add(article.pk, TODAY, total=0)
        batch, counts = table.take(last_applied=last_applied_batch())  # then the flusher dies
        assert counts == {(article.pk, TODAY.isoformat()): 5}
        table.take_slot_and_add(article.pk, TODAY, total=0)  # a view meanwhile
        assert table.read([article.pk]) == {article.pk: 6}
        report = moved_on(table)
        assert report.batches == [batch, batch + 1]
        assert database(article) == (6, 6)
        assert table.read([article.pk]) == {article.pk: 6}

    def test_a_batch_moved_on_but_not_settled_is_not_moved_twice(self, table):
        article = ArticleFactory()
        for _ in range(4):
            table.take_slot_and_add(article.pk, TODAY, total=0)
        batch, counts = table.take(last_applied=last_applied_batch())
        assert move(table, batch, counts)  # done; then the flusher dies
        report = moved_on(table)
        assert report.replays == [batch] and report.views == 0
        assert database(article) == (4, 4)
        assert backend().current([article.pk]) == {article.pk: 4}  # the slot is freed

    def test_a_flusher_killed_while_taking_loses_and_repeats_nothing(self, table):
        """The table as a flusher killed half-way through `take` leaves it: the batch
        marked in flight, one article's views taken, the other's not yet."""
        first, second = ArticleFactory(), ArticleFactory()
        for article, views in ((first, 3), (second, 2)):
            for _ in range(views):
                table.take_slot_and_add(article.pk, TODAY, total=0)
        words = table.words
        words[shared.H_BATCH] = words[shared.H_LAST_BATCH] = last_applied_batch() + 1
        at = table._find(words, first.pk)
        words[at + shared.INFLIGHT_DAY] = words[at + shared.PENDING_DAY]
        words[at + shared.TAKEN] = words[at + shared.COUNTED]
        assert table.read([first.pk, second.pk]) == {first.pk: 3, second.pk: 2}
        report = moved_on(table)
        assert len(report.batches) == 2 and report.views == 5
        assert (database(first), database(second)) == ((3, 3), (2, 2))

    def test_batches_of_another_table_are_never_taken_for_replays(self, table, tmp_path):
        """Without Redis a batch's id follows the database's last; with Redis each
        machine's table names its batches with its own token."""
        article = ArticleFactory()
        if redis_backend() is None:
            ViewBatch.objects.create(id=41, views=0)
            table.take_slot_and_add(article.pk, TODAY, total=0)
            assert moved_on(table).batches == [42]
            return
        other = shared.SharedCounts(str(tmp_path / "other-machine"), site=1)
        assert other.token != table.token
        for machine in (table, other):
            machine.take_slot_and_add(article.pk, TODAY, total=0)
            assert moved_on(machine).batches == [1]
        assert database(article) == (2, 2)

    def test_one_flusher_at_a_time(self, table):
        with table.folding() as first:
            assert first
            report = shared_flush(table=table)
            assert report.locked_out
        with table.folding() as again:
            assert again


class TestSharing:
    def test_processes_and_threads_count_exactly(self, tmp_path):
        """Four processes of four threads each add 500 views to two articles; every
        view is counted once and each view's shown count is unique."""
        path = str(tmp_path / "site.sqlite3-views")
        shared.SharedCounts(path, site=7)
        reads, writes = zip(*(os.pipe() for _ in range(4)), strict=True)
        children = []
        for index in range(4):
            pid = os.fork()
            if pid == 0:  # a server worker: its own mapping of the file
                try:
                    table = shared.SharedCounts(path, site=7)
                    seen: list[int] = []
                    lock = threading.Lock()

                    def count(table=table, seen=seen, lock=lock):
                        mine = [table.take_slot_and_add(10, TODAY, total=100) for _ in range(500)]
                        table.take_slot_and_add(20 + shared.SLOTS, TODAY, total=0)
                        with lock:
                            seen.extend(mine)

                    threads = [threading.Thread(target=count) for _ in range(4)]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                    os.write(writes[index], ",".join(map(str, seen)).encode())
                finally:
                    os._exit(0)
            children.append(pid)
        shown = []
        for index, pid in enumerate(children):
            os.close(writes[index])
            with os.fdopen(reads[index]) as pipe:
                shown += [int(value) for value in pipe.read().split(",")]
            os.waitpid(pid, 0)
        assert sorted(shown) == list(range(101, 101 + 4 * 4 * 500))
        table = shared.SharedCounts(path, site=7)
        assert table.read([10, 20 + shared.SLOTS]) == {10: 8100, 20 + shared.SLOTS: 16}

    def test_a_table_left_by_another_database_file_starts_empty(self, tmp_path):
        path = str(tmp_path / "site.sqlite3-views")
        shared.SharedCounts(path, site=1).take_slot_and_add(5, TODAY, total=9)
        assert shared.SharedCounts(path, site=1).read([5]) == {5: 10}
        assert shared.SharedCounts(path, site=2).read([5]) == {}
