"""Long load (issue 9): a bounded soak of `byline demo` on PostgreSQL and Redis with mixed
traffic from 32 connections; no error, and resident memory growing less than 10 %.

usage: .venv/bin/python bench/soak.py [--seconds 600] [--connections 32] [--workers 4]
           [--warmup 30] [--out FILE.json]

The servers are PRIVATE (tests/private_services.py: initdb + pg_ctl, redis-server, on
free ports of 127.0.0.1). Each connection is a reader with its own cookies and keep-alive
connection sending, in turn: article reads (a counted view), the home page, archives,
the author page, a static file, a missing page (404 expected), and a comment post. An
error is any answer other than the expected one (a 5xx, a refused or reset connection,
an unexpected 4xx). Memory is the resident set (RSS) and the proportional set (PSS) of
the gunicorn master and its workers, sampled every 10 s; "start" is taken after the
warm-up, "end" at the last sample. Bounded in time; all traffic goes to 127.0.0.1."""

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.faults import server_workers  # noqa: E402
from tests.live import ARTICLE_PATH, start_site  # noqa: E402
from tests.private_services import PrivatePostgres, PrivateRedis  # noqa: E402
from tests.readers import Reader  # noqa: E402

MIX = [
    ("GET", ARTICLE_PATH, 200),
    ("GET", ARTICLE_PATH, 200),
    ("GET", "/", 200),
    ("GET", ARTICLE_PATH, 200),
    ("GET", "/author/tech-guru/", 200),
    ("GET", "/2014/12/", 200),
    ("GET", ARTICLE_PATH, 200),
    ("GET", "/static/byline/site.css", 200),
    ("GET", "/no-such-page/", 404),
    ("POST", "comment", 303),
]


def memory_kib(master: int) -> dict[str, int]:
    """RSS and PSS of the master and its workers, in KiB."""
    totals = {"rss": 0, "pss": 0}
    for pid in [master, *server_workers(master)]:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("Rss", "Pss"):
                    totals[name.lower()] += int(value.split()[0])
        except OSError:
            continue
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=30)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    database, redis = PrivatePostgres(), PrivateRedis()
    site = None
    stop = threading.Event()
    lock = threading.Lock()
    sent, errors, statuses = Counter(), Counter(), Counter()
    error_examples: list[str] = []
    run_id = f"soak-{uuid.uuid4().hex[:8]}"

    def reader(number: int) -> None:
        client = Reader(site.base_url, timeout=30)
        step = number  # connections start at different places in the mix
        while not stop.is_set():
            method, path, expected = MIX[step % len(MIX)]
            step += 1
            if method == "POST":
                answer = client.post_comment(
                    ARTICLE_PATH,
                    text=f"{run_id} {number}.{step}: a remark about Xiaomi.",
                    name=f"Soak reader {number}",
                    email=f"soak{number}@mail.example",
                )
            else:
                answer = client.get(path)
            with lock:
                sent[path] += 1
                statuses[answer.status] += 1
                if answer.status != expected:
                    errors[f"{method} {path} -> {answer.status}"] += 1
                    if len(error_examples) < 10:
                        error_examples.append(f"{method} {path}: {answer.body[:200]}")

    samples = []
    try:
        database.start()
        redis.start()
        site = start_site(
            Path(tempfile.mkdtemp(prefix="byline-soak-")),
            command="demo",
            workers=args.workers,
            extra_env={"DATABASE_URL": database.url, "REDIS_URL": redis.url},
        )
        site.shell(
            "from byline.comments.models import ModerationSettings as M; "
            "r = M.current(); r.flood_interval = 0; r.rate_limit = 0; r.save()"
        )
        threads = [
            threading.Thread(target=reader, args=(n,), daemon=True) for n in range(args.connections)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while (elapsed := time.monotonic() - started) < args.seconds:
            samples.append({"t": round(elapsed), **memory_kib(site.process.pid)})
            print(f"[soak] {elapsed:5.0f} s {samples[-1]} sent={sum(sent.values())} "
                  f"errors={sum(errors.values())}", flush=True)  # fmt: skip
            time.sleep(min(10, max(0.0, args.seconds - elapsed)))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        samples.append({"t": round(time.monotonic() - started), **memory_kib(site.process.pid)})
    finally:
        stop.set()
        if site:
            site.stop_server()
        redis.remove()
        database.remove()

    start = next(s for s in samples if s["t"] >= args.warmup)
    end = samples[-1]
    result = {
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "requests": sum(sent.values()),
        "requests_per_second": round(sum(sent.values()) / args.seconds, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": sum(errors.values()),
        "errors_by_kind": dict(errors),
        "error_examples": error_examples,
        "memory_kib_start": start,
        "memory_kib_end": end,
        "memory_kib_max": {k: max(s[k] for s in samples) for k in ("rss", "pss")},
        "rss_growth_percent": round(100 * (end["rss"] - start["rss"]) / start["rss"], 2),
        "pss_growth_percent": round(100 * (end["pss"] - start["pss"]) / start["pss"], 2),
        "samples": samples,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    sys.exit(1 if result["errors"] or result["rss_growth_percent"] >= 10 else 0)


if __name__ == "__main__":
    main()
