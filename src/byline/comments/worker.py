"""The worker's task processing: runs the database-queued tasks (comment notifications,
address confirmations, the hourly clean-up) as django-tasks-db's `db_worker` does, and
starts the periodic jobs (also the daily merge of the search index). `run_task_worker()`
is what `byline worker` calls; other periodic jobs can join `PERIODIC` with their
interval."""

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("byline.worker")
BURST = 100


def _enqueue_clean_up() -> None:
    from byline.comments.tasks import comments_clean_up

    comments_clean_up.enqueue()


def _prune_task_results() -> None:
    """Finished tasks are kept two weeks (failed ones to look at in the admin), then go."""
    call_command("prune_db_task_results", queue_name="*", min_age_days=14, verbosity=0)


def _compact_search_index() -> None:
    """Articles saved one by one leave the full-text index in parts that FTS5 merges only
    now and then (20,000 saved in turn: marking a search's matches took 0.80 ms, 0.27 ms
    once merged; bench/search_parts.py). Nothing to do when it is in one piece already."""
    from byline.discovery.search import search_index_compact

    search_index_compact()


# (name, every N seconds, what to do): run by whichever worker gets there first.
PERIODIC: list[tuple[str, int, Callable[[], None]]] = [
    ("comments-clean-up", 3600, _enqueue_clean_up),
    ("task-results-prune", 24 * 3600, _prune_task_results),
    ("search-index-compact", 24 * 3600, _compact_search_index),
]


def periodic_jobs_run() -> int:
    """Start each periodic job that is due; the cache decides, so that several workers
    sharing Redis start it once per interval."""
    started = 0
    for name, interval, job in PERIODIC:
        if cache.add(f"worker:periodic:{name}", 1, timeout=interval):
            job()
            started += 1
    return started


def _run_one(worker: Worker) -> bool:
    """Claim the next ready task and run it, as db_worker does; False when none is ready
    (or the SQLite database is busy: the next poll tries again)."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
    try:
        with exclusive_transaction(tasks.db):
            claimed = tasks.get_locked()
            if claimed is not None:
                claimed.claim(worker.worker_id)
    except OperationalError as error:
        if is_locked_database_exception(error):
            return False
        raise
    if claimed is None:
        return False
    worker.run_task(claimed)
    return True


def run_task_worker(*, batch: bool = False, interval: float = 1.0) -> int:
    """Run queued tasks and return how many ran: with `batch`, until the queue is empty;
    otherwise until SIGTERM or Ctrl-C (a running task finishes first), polling every
    `interval` seconds when idle and dropping stale database connections between polls."""
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    ran = 0
    if not batch:
        worker.configure_signals()
        logger.warning("byline worker %s: running tasks", worker.worker_id)
    while worker.running:
        if not batch:
            close_old_connections()
        periodic_jobs_run()
        in_a_row = 0  # a busy queue still lets the periodic jobs in every BURST tasks
        while worker.running and in_a_row < BURST and _run_one(worker):
            in_a_row += 1
        ran += in_a_row
        if in_a_row < BURST:
            if batch:
                break
            time.sleep(interval)
    return ran
