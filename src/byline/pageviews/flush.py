"""Moving buffered view counts on, each exactly once: from Redis to the database
(`views_flush`, below), and from a machine's shared memory (shared.py) to the database
or to Redis (`shared_flush`).

A round: take the flush lock; finish any batch left in flight by a flusher that died
(oldest first); then rename the pending counts to a new batch in one atomic step, add
them to the database in one transaction that also inserts the batch's id, and remove the
batch from Redis. Killed anywhere, nothing is lost (the batch stays in Redis until it is
in the database) and nothing is counted twice (a batch whose id is in the database is
only removed). Batches are applied in the order of their ids, which is what lets a
reader tell an applied batch from one still in flight (see backends.py)."""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from byline.pageviews import shared
from byline.pageviews.backends import ADD_TO_DAY, RedisBackend, database_backend, redis_backend

logger = logging.getLogger("byline.pageviews")

LOCK_SECONDS = 10  # a killed flusher holds up the next one this long, no more
KEEP_BATCH_IDS = timedelta(days=7)
_ADD_TO_TOTAL = (
    "INSERT INTO pageviews_articleviews (article_id, views) VALUES (%s, %s) "
    "ON CONFLICT (article_id) DO UPDATE SET views = pageviews_articleviews.views + excluded.views"
)
_RECORD_BATCH = (
    "INSERT INTO pageviews_viewbatch (id, views, applied_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)


@dataclass
class FlushReport:
    batches: list[int] = field(default_factory=list)  # applied now
    views: int = 0
    replays: list[int] = field(default_factory=list)  # found already applied: removed only
    locked_out: bool = False


def last_applied_batch() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM pageviews_viewbatch")
        (last,) = cursor.fetchone()
    return last or 0


def batch_apply(*, batch: int, counts: dict[tuple[int, str], int]) -> bool:
    """Add a batch's counts to the database in one transaction that records its id;
    False (and nothing added) when the batch had been applied already."""
    from byline.articles.models import Article

    total = sum(counts.values())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM pageviews_viewbatch")
        (oldest_kept,) = cursor.fetchone()
        if oldest_kept is not None and batch < oldest_kept:
            return False  # older than every id kept: applied long ago
        applied_at = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_RECORD_BATCH, [batch, total, applied_at])
        if cursor.fetchone() is None:
            return False
        # Views of an article deleted meanwhile go with it.
        existing = set(
            Article.objects.filter(pk__in={article for article, _ in counts}).values_list(
                "pk", flat=True
            )
        )
        per_article: dict[int, int] = defaultdict(int)
        per_day = []
        for (article_id, day), views in sorted(counts.items()):
            if article_id in existing:
                per_article[article_id] += views
                per_day.append((article_id, day, views))
        cursor.executemany(_ADD_TO_TOTAL, sorted(per_article.items()))
        cursor.executemany(ADD_TO_DAY, per_day)
        if batch % 1000 == 0:  # now and then, forget old batch ids (never the last one)
            cursor.execute(
                "DELETE FROM pageviews_viewbatch WHERE applied_at < %s AND id < %s",
                [connection.ops.adapt_datetimefield_value(timezone.now() - KEEP_BATCH_IDS), batch],
            )
    return True


def _pause(step_delay: float, batch: int, step: str) -> None:
    logger.info("views batch %s: %s", batch, step)
    if step_delay:
        time.sleep(step_delay)


def _finish(backend: RedisBackend, batch: int, report: FlushReport, step_delay: float) -> None:
    counts = backend.batch_counts(batch)
    _pause(step_delay, batch, f"{sum(counts.values())} views taken from Redis")
    if batch_apply(batch=batch, counts=counts):
        report.batches.append(batch)
        report.views += sum(counts.values())
        _pause(step_delay, batch, "committed to the database")
    else:
        report.replays.append(batch)
        logger.info("views batch %s: already in the database, not applied again", batch)
    backend.remove_batch(batch)
    logger.info("views batch %s: removed from Redis", batch)


def views_flush(*, backend: RedisBackend | None = None, step_delay: float = 0) -> FlushReport:
    """One round of the flusher (see the module's docstring). `step_delay` pauses
    between the steps of a batch, for crash tests."""
    report = FlushReport()
    backend = backend or redis_backend()
    if backend is None:
        return report
    token = backend.lock(LOCK_SECONDS + 2 * step_delay)
    if token is None:
        report.locked_out = True
        return report
    try:
        for batch in backend.in_flight_batches():
            _finish(backend, batch, report, step_delay)
        batch = backend.start_batch(last_applied=last_applied_batch())
        if batch is not None:
            _finish(backend, batch, report, step_delay)
    finally:
        backend.unlock(token)
    return report


def shared_flush(*, table: shared.SharedCounts | None = None) -> FlushReport:
    """One round of the flusher for the views counted in a machine's shared memory
    (shared.py): finish a batch left in flight by a flusher that died, then take what is
    pending as a new batch, move it on exactly once (to Redis's pending counts with
    Redis, else to the database, as Redis's batches are applied) and settle it in the
    table."""
    report = FlushReport()
    table = table or shared.shared_counts()
    if table is None:
        return report
    with table.folding() as mine:
        if not mine:
            report.locked_out = True
            return report
        if left := table.in_flight():
            _settle(table, *left, report)
        last = 0 if redis_backend() is not None else last_applied_batch()
        if started := table.take(last_applied=last):
            _settle(table, *started, report)
    return report


def _settle(
    table: shared.SharedCounts, batch: int, counts: dict[tuple[int, str], int], report
) -> None:
    redis = redis_backend()
    if redis is not None:
        moved = redis.push(token=table.token, batch=batch, counts=counts)
    else:
        moved = batch_apply(batch=batch, counts=counts)
    if moved:
        report.batches.append(batch)
        report.views += sum(counts.values())
    else:
        report.replays.append(batch)
        logger.info("views batch %s: already moved on, not moved again", batch)
    articles = sorted({article for article, _ in counts})
    table.settle(batch, totals=(redis or database_backend).totals(articles))


def views_drain(*, timeout: float = 2 * LOCK_SECONDS) -> FlushReport:
    """Flush until nothing is pending, waiting out another flusher's lock (`byline
    worker --once`, e.g. before switching Redis off)."""
    drained = FlushReport()
    deadline = time.monotonic() + timeout
    while True:
        reports = [shared_flush()]  # first: with Redis, it adds to what views_flush moves
        if redis_backend() is not None:
            reports.append(views_flush())
        for report in reports:
            drained.batches += report.batches
            drained.views += report.views
            drained.replays += report.replays
        locked_out = any(report.locked_out for report in reports)
        if not (locked_out or any(report.batches or report.replays for report in reports)):
            return drained
        if time.monotonic() > deadline:
            raise TimeoutError(f"views still pending after {timeout:.0f} s of flushing")
        if locked_out:
            time.sleep(0.5)


def flush_interval() -> float:
    return settings.BYLINE_VIEWS_FLUSH_SECONDS
