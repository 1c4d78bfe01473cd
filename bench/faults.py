"""Faults under mixed load, with nothing acknowledged lost (issue 9).

usage: .venv/bin/python bench/faults.py [--seconds 30] [--readers 16] [--workers 4]
           [--scenarios kill,postgres,redis] [--settle-command CMD] [--out FILE.json]

Starts PRIVATE PostgreSQL and Redis servers (initdb + pg_ctl and redis-server in a
temporary folder, on free ports of 127.0.0.1; the shared 5432/6379 are never touched) and
a real `byline demo` on them, then for each scenario sends mixed load from --readers
threads for --seconds (article reads that count a view, list pages, comment posts), and
during it:

- kill:     SIGKILL one server worker at 1/3 of the time and another at 2/3;
- postgres: stop PostgreSQL as in a crash (pg_ctl -m immediate) at 1/3, start it at 2/3;
- redis:    stop Redis at 1/3, start it again at 2/3.

Afterwards it checks, from the database: every comment answered 303 (saved) is there,
and the view count grew by at least the number of article reads answered 200 (each of
those pages showed a count that included its own view). Nothing else may be lost, no
answer may be a 500. For PostgreSQL it also measures how long 503 answers took while it
was down, and the time from its restart to the first page served.

Views are counted in Redis and moved to the database by a flusher (issue 3); the count
read is database + pending, so nothing needs flushing first; --settle-command runs a
command before each count is read all the same (e.g. "byline worker --once"). The
private Redis keeps an append-only file, as the README asks for in production.
Every loop is bounded in time; all traffic goes to 127.0.0.1."""

import argparse
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import ARTICLE_PATH, start_site  # noqa: E402
from tests.private_services import PrivatePostgres, PrivateRedis  # noqa: E402
from tests.readers import Reader  # noqa: E402

OTHER_PAGES = ["/", "/author/tech-guru/", "/2014/", "/2014/12/"]


class Load:
    """Reader threads sending mixed traffic, recording what was acknowledged."""

    def __init__(self, base_url: str, readers: int, run_id: str) -> None:
        self.base_url, self.readers, self.run_id = base_url, readers, run_id
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.sent = Counter()
        self.acknowledged_views = 0
        self.acknowledged_comments: list[str] = []
        self.timeline: list[tuple[float, int, float]] = []  # (sent at, status, seconds)

    def _reader(self, number: int) -> None:
        reader = Reader(self.base_url, timeout=10)
        step = 0
        while not self.stop.is_set():
            step += 1
            kind = ("view", "view", "view", "page", "comment")[step % 5]
            started = time.monotonic()
            if kind == "view":
                answer = reader.get(ARTICLE_PATH)
            elif kind == "page":
                answer = reader.get(OTHER_PAGES[step % len(OTHER_PAGES)])
            else:
                # A commenter reads the article (a view) and posts the form on it.
                page = reader.get(ARTICLE_PATH)
                with self.lock:
                    self.sent["view"] += 1
                    self.statuses[page.status] += 1
                    self.acknowledged_views += page.status == 200
                text = f"{self.run_id} reader {number} comment {step}"
                email = f"r{number}.{step}@mail.example"
                answer = reader.post_comment(
                    ARTICLE_PATH, text=text, name="Load", email=email, page=page
                )
            with self.lock:
                self.sent[kind] += 1
                self.statuses[answer.status] += 1
                self.timeline.append((started, answer.status, time.monotonic() - started))
                if kind == "view" and answer.status == 200:
                    self.acknowledged_views += 1
                if kind == "comment" and answer.status == 303:
                    self.acknowledged_comments.append(text)
            if answer.status in (0, 503):
                time.sleep(0.05)  # a reader who got no page waits a moment

    def run(self, seconds: float, events: list[tuple[float, callable]]) -> dict:
        """Load for `seconds`, running each event at its offset; after the last event
        (which may itself take a while, such as a database's crash recovery), the load
        goes on for at least a third of `seconds` more."""
        threads = [
            threading.Thread(target=self._reader, args=(n,), daemon=True)
            for n in range(self.readers)
        ]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        marks = {}
        for at, action in events:
            time.sleep(max(0.0, start + at - time.monotonic()))
            marks.update(action() or {})
        end = max(start + seconds, time.monotonic() + seconds / 3)
        time.sleep(max(0.0, end - time.monotonic()))
        self.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        return marks


def server_workers(master_pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            children.append(int(stat.parent.name))
    return sorted(children)


def views_now(site, settle_command: str | None) -> int:
    if settle_command:
        subprocess.run(shlex.split(settle_command), env=site.env, check=True, timeout=120)
    return int(
        site.shell(
            "from byline.pageviews.services import article_views; "
            "from byline.articles.models import Article; "
            "print(article_views(article_id=Article.objects.get("
            "slug='facebook-mulled-investing-in-xiaomi').pk))"
        ).strip()
    )


def comments_found(site, run_id: str) -> set[str]:
    listing = Path(tempfile.mkstemp(suffix=".json")[1])
    site.shell(
        "import json; from byline.comments.models import Comment; "
        f"open({str(listing)!r}, 'w').write(json.dumps(list(Comment.objects.filter("
        f"body__startswith={run_id!r}).values_list('body', flat=True))))"
    )
    found = set(json.loads(listing.read_text()))
    listing.unlink()
    return found


def scenario(name: str, site, args, database, redis) -> dict:
    run_id = f"fault-{name}-{uuid.uuid4().hex[:8]}"
    views_before = views_now(site, args.settle_command)
    load = Load(site.base_url, args.readers, run_id)
    third = args.seconds / 3

    def kill_worker():
        workers = server_workers(site.process.pid)
        os.kill(workers[0], signal.SIGKILL)
        return {f"killed worker at {time.monotonic():.1f}": workers[0]}

    def database_down():
        database.stop("immediate")
        return {"database_down_at": time.monotonic()}

    def database_up():
        called = time.monotonic()
        database.start()  # returns when PostgreSQL accepts connections (after recovery)
        return {"database_start_at": called, "database_up_at": time.monotonic()}

    def redis_down():
        redis.stop()
        return {"redis_down_at": time.monotonic()}

    def redis_up():
        redis.start()
        return {"redis_up_at": time.monotonic()}

    events = {
        "kill": [(third, kill_worker), (2 * third, kill_worker)],
        "postgres": [(third, database_down), (2 * third, database_up)],
        "redis": [(third, redis_down), (2 * third, redis_up)],
    }[name]
    marks = load.run(args.seconds, events)
    views_after = views_now(site, args.settle_command)
    found = comments_found(site, run_id)
    acknowledged = load.acknowledged_comments
    result = {
        "scenario": name,
        "seconds": args.seconds,
        "readers": args.readers,
        "requests_sent": sum(load.sent.values()),
        "sent_by_kind": dict(load.sent),
        "statuses": {str(k): v for k, v in sorted(load.statuses.items())},
        "comments_acknowledged": len(acknowledged),
        "comments_lost": sum(1 for text in acknowledged if text not in found),
        "views_acknowledged": load.acknowledged_views,
        "views_counted": views_after - views_before,
        "views_lost": max(0, load.acknowledged_views - (views_after - views_before)),
        "server_errors_500": load.statuses.get(500, 0),
    }
    if name == "postgres":
        down, up = marks["database_down_at"], marks["database_up_at"]
        restart = marks["database_start_at"]
        result["database_restart_seconds"] = round(up - restart, 2)
        during = [(s, st, d) for s, st, d in load.timeline if down + 0.5 < s < restart]
        result["answers_while_down"] = dict(Counter(str(st) for _, st, _ in during))
        slow = [d for _, st, d in during if st == 503]
        result["median_503_seconds"] = round(statistics.median(slow), 4) if slow else None
        first_ok = min((s + d for s, st, d in load.timeline if st == 200 and s >= up), default=None)
        result["recovered_seconds_after_restart"] = (
            round(first_ok - up, 2) if first_ok is not None else None
        )
    if name == "redis":
        result["redis_warnings_logged"] = sum(
            "Redis is unavailable" in line or "Redis unavailable" in line for line in site.output
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--scenarios", default="kill,postgres,redis")
    parser.add_argument("--settle-command", default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    database, redis = PrivatePostgres(), PrivateRedis()
    site = None
    results = []
    try:
        database.start()
        redis.start()
        site = start_site(
            Path(tempfile.mkdtemp(prefix="byline-faults-")),
            command="demo",
            workers=args.workers,
            extra_env={"DATABASE_URL": database.url, "REDIS_URL": redis.url},
        )
        site.shell(
            "from byline.comments.models import ModerationSettings as M; "
            "r = M.current(); r.flood_interval = 0; r.rate_limit = 0; r.save()"
        )
        for name in args.scenarios.split(","):
            print(f"[faults] {name}: {args.seconds:.0f} s, {args.readers} readers", flush=True)
            result = scenario(name, site, args, database, redis)
            print(json.dumps(result), flush=True)
            results.append(result)
    finally:
        if site:
            site.stop_server()
        redis.remove()
        database.remove()
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    failed = [
        r["scenario"]
        for r in results
        if r["comments_lost"] or r["views_lost"] or r["server_errors_500"]
    ]
    print("lost or 500:", failed or "none")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
