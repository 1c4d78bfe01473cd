"""`byline worker`: a site's background jobs, in one small loop.

A job is a function run every `interval` seconds:
- `tasks`: the database-queued tasks (comment notifications, address confirmations) and
  the periodic clean-ups (byline.comments.worker);
- `views-flush`: moving buffered view counts on: from the memory a machine's server
  processes share (pageviews/shared.py) to the database, or with REDIS_URL to Redis,
  and from Redis to the database.
`byline serve` also runs the view flusher in a thread of every server process
(BYLINE_VIEWS_FLUSH_IN_SERVER, on by default; off, no shared memory is used),
so that one machine needs no second command for it; the jobs take a lock, so any number
of loops can run at once."""

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

logger = logging.getLogger("byline.worker")


@dataclass
class Job:
    name: str
    interval: float  # seconds between two runs
    run: Callable[[], object]
    drain: Callable[[], object] | None = None  # `--once`: finish everything pending
    summary: Callable[[object], str] | None = None  # what `--once` says it did


def _tasks_job() -> Job:
    from byline.comments.worker import run_task_worker

    def run_queued() -> int:
        return run_task_worker(batch=True)

    return Job(
        "tasks",
        1.0,
        run_queued,
        drain=run_queued,
        summary=lambda ran: f"{ran} task(s) run; the queue is empty",
    )


def site_jobs(*, step_delay: float = 0, tasks: bool = True) -> list[Job]:
    """The jobs this site needs, by its settings (a server process runs no tasks)."""
    from byline.pageviews.backends import redis_backend
    from byline.pageviews.flush import flush_interval, shared_flush, views_drain, views_flush
    from byline.pageviews.shared import shared_counts

    jobs = [_tasks_job()] if tasks else []
    table = shared_counts()  # the views this machine's servers counted in shared memory

    def flush() -> None:
        if table is not None:
            shared_flush(table=table)  # to the database, or with Redis to Redis's buffer
        if redis_backend() is not None:
            views_flush(step_delay=step_delay)

    if table is not None or redis_backend() is not None:
        jobs.append(Job("views-flush", flush_interval(), flush, drain=views_drain))
    return jobs


def run(jobs: list[Job], *, stop: threading.Event) -> None:
    """Run each job every `interval` seconds until `stop` is set. A failing job is logged
    and tried again at its next turn; the loop goes on."""
    due = dict.fromkeys((job.name for job in jobs), 0.0)
    while jobs and not stop.is_set():
        for job in jobs:
            if time.monotonic() >= due[job.name]:
                try:
                    job.run()
                except Exception:
                    logger.exception("background job %s failed; trying again", job.name)
                finally:
                    close_old_connections()
                due[job.name] = time.monotonic() + job.interval
        stop.wait(max(0.01, min(due.values()) - time.monotonic()))


def run_once() -> None:
    """`byline worker --once`: each job once, to the end of what is pending (e.g. to
    drain the view buffer before switching Redis off)."""
    for job in site_jobs():
        result = (job.drain or job.run)()
        said = f": {job.summary(result)}" if job.summary else ""
        print(f"byline worker: {job.name} done{said}", flush=True)


def serve_forever(*, step_delay: float = 0) -> None:
    """`byline worker`: run the site's jobs until SIGTERM or SIGINT."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    jobs = site_jobs(step_delay=step_delay)
    print("byline worker: running " + ", ".join(job.name for job in jobs), flush=True)
    run(jobs, stop=stop)
    print("byline worker: stopped", flush=True)


def start_in_server() -> threading.Thread | None:
    """The jobs in a daemon thread of a server process (gunicorn's post_worker_init)."""
    from django.conf import settings

    if not settings.BYLINE_VIEWS_FLUSH_IN_SERVER:
        return None
    from byline.pageviews.shared import enable_counting

    enable_counting()  # views go to shared memory, which this thread moves on
    jobs = site_jobs(tasks=False)
    if not jobs:
        return None
    thread = threading.Thread(
        target=run,
        args=(jobs,),
        kwargs={"stop": threading.Event()},
        daemon=True,
        name="byline-jobs",
    )
    thread.start()
    return thread
