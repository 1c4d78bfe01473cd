"""Import throughput and peak memory of `byline import-wxr` on a generated export.

    .venv/bin/python bench/wxr_import.py --posts 10000 --comments 100000 --runs 3 \\
        [--database sqlite|postgres] [--reimport] [--out bench/results/wxr.jsonl]

Each run imports into a new, migrated site (its own data folder; on PostgreSQL its own
database, dropped after) through the real command, and reads the process's peak resident
memory from the kernel (wait4's ru_maxrss). Items are posts plus comments. Prints one
JSON line per run and a Markdown row of medians. Everything stays on 127.0.0.1."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BYLINE = ROOT / ".venv" / "bin" / "byline"
WORK = Path(os.environ.get("BENCH_RUN", "/tmp/byline-bench"))
PG_BASE = os.environ.get("PG_BASE", "postgres://postgres@127.0.0.1:5432")
sys.path.insert(0, str(ROOT / "bench"))

from wxr_generate import generate  # noqa: E402


def timed(command: list[str], env: dict) -> tuple[float, int, str, float]:
    """Run `command`; its wall time (s), peak RSS (MiB), standard output and CPU time
    (s, user + system: what the import costs whatever else the machine is doing)."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command} failed ({process.returncode}):\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    return time.monotonic() - started, usage.ru_maxrss // 1024, output, cpu


def one_run(export: Path, database: str, items: int, reimport: bool) -> dict:
    name = f"wxr_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "BYLINE_DATA_DIR": str(WORK / name)}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    admin = f"{PG_BASE}/postgres"
    if database == "postgres":
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{PG_BASE}/{name}"
    try:
        subprocess.run([str(BYLINE), "manage", "migrate", "-v0"], env=env, check=True)
        seconds, peak, _, cpu = timed([str(BYLINE), "import-wxr", str(export)], env)
        result = {
            "database": database, "items": items, "seconds": round(seconds, 1),
            "items_per_s": round(items / seconds), "peak_rss_mib": peak,
            "file_mb": round(export.stat().st_size / 1e6, 1), "cpu_seconds": round(cpu, 1),
            "items_per_cpu_s": round(items / cpu),
        }  # fmt: skip
        if reimport:
            seconds, peak, output, _ = timed([str(BYLINE), "import-wxr", str(export)], env)
            assert "│ articles    │       0 │       0 │" in output, output
            result |= {"reimport_seconds": round(seconds, 1), "reimport_peak_rss_mib": peak}
        return result
    finally:
        if database == "postgres":
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        subprocess.run(["rm", "-rf", env["BYLINE_DATA_DIR"]], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reimport", action="store_true", help="also time a second import")
    parser.add_argument("--out", type=Path, help="append each run's JSON line here")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    export = WORK / f"wxr-{args.posts}-{args.comments}.xml"
    if not export.exists():
        generate(export, posts=args.posts, comments=args.comments)
    items = args.posts + args.comments
    runs = []
    for number in range(args.runs):
        result = one_run(export, args.database, items, args.reimport)
        result["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        print(json.dumps(result), flush=True)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("a") as handle:
                handle.write(json.dumps(result) + "\n")
        runs.append(result)
        print(f"run {number + 1}/{args.runs} done", file=sys.stderr)
    keys = [key for key in runs[0] if key not in ("database", "at")]
    median = {key: statistics.median(run[key] for run in runs) for key in keys}
    print(
        f"| {args.database} | {args.posts:,} posts + {args.comments:,} comments "
        f"({median['file_mb']} MB) | {len(runs)} | {median['seconds']:.0f} s "
        f"| {median['items_per_s']:.0f} | {median['items_per_cpu_s']:.0f} "
        f"| {median['peak_rss_mib']:.0f} MiB |"
    )


if __name__ == "__main__":
    main()
