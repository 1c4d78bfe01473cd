"""Medians over repeated runs of ../shared/bench-peers/run-peers.sh.

usage: python bench/summarize.py RESULTS_DIR [RESULTS_DIR ...]

Each RESULTS_DIR is one run's --out folder; the raw wrk outputs in it (NAME.c32.txt,
NAME.c1.txt) carry wrk-report.lua's BENCH line. Prints one Markdown row per target."""

import statistics
import sys
from collections import defaultdict
from pathlib import Path


def bench_line(path: Path) -> dict[str, float] | None:
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("BENCH "):
            return {k: float(v) for k, v in (p.split("=") for p in line.split()[1:])}
    return None


def main(folders: list[str]) -> None:
    runs: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for folder in folders:
        for load in sorted(Path(folder).glob("*.c32.txt")):
            name = load.name.removesuffix(".c32.txt")
            single = load.with_name(f"{name}.c1.txt")
            a, b = bench_line(load), bench_line(single) if single.exists() else None
            if a and b:
                runs[name].append((a, b))
    print(
        "| target | runs | req/s c=32 (median) | p50 c=32 | p99 c=32 | p50 c=1 | bytes/response |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, pairs in runs.items():
        rps = statistics.median(a["requests"] / (a["duration_us"] / 1e6) for a, _ in pairs)
        p50 = statistics.median(a["p50_us"] for a, _ in pairs) / 1000
        p99 = statistics.median(a["p99_us"] for a, _ in pairs) / 1000
        single = statistics.median(b["p50_us"] for _, b in pairs) / 1000
        size = statistics.median(a["bytes"] / a["requests"] for a, _ in pairs)
        print(
            f"| {name} | {len(pairs)} | {rps:.0f} | {p50:.1f} ms | {p99:.1f} ms "
            f"| {single:.2f} ms | {size:.0f} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
