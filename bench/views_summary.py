"""Medians of bench/view_counting.sh's runs, as Markdown.

usage: python bench/views_summary.py RESULTS_DIR

RESULTS_DIR holds run1/, run2/, … (run-peers.sh --out folders with wrk's raw outputs),
run1.md, … (their tables, with the views counted/sent column) and exact.txt."""

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from summarize import bench_line

ROW = re.compile(r"^\| (?P<name>[\w.-]+) \|.*\| (?P<views>[^|]*) \|$")
COUNTED = re.compile(r"(\d+)/(\d+) \(c=32\), (\d+)/(\d+) \(c=1\)")


def main(folder: Path) -> None:
    rps: dict[str, list[float]] = defaultdict(list)
    counted_rate: dict[str, list[float]] = defaultdict(list)
    single: dict[str, list[float]] = defaultdict(list)
    checks: dict[str, list[str]] = defaultdict(list)
    for run in sorted(folder.glob("run*/")):
        table = (folder / f"{run.name}.md").read_text()
        views = {m["name"]: m["views"] for m in map(ROW.match, table.splitlines()) if m}
        for load in sorted(run.glob("*.c32.txt")):
            name = load.name.removesuffix(".c32.txt")
            a, b = bench_line(load), bench_line(run / f"{name}.c1.txt")
            if not (a and b):
                continue
            seconds = a["duration_us"] / 1e6
            rps[name].append(a["requests"] / seconds)
            single[name].append(b["p50_us"] / 1000)
            if match := COUNTED.search(views.get(name, "")):
                counted, sent = int(match[1]), int(match[2])
                counted_rate[name].append(counted / seconds)
                checks[name].append(f"{counted}/{sent}, {match[3]}/{match[4]}")
    print(
        "| target | runs | req/s c=32 | counted views/s c=32 | p50 c=1 "
        "| counted/sent (c=32, c=1) per run |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name in rps:
        rate = f"{statistics.median(counted_rate[name]):.0f}" if counted_rate[name] else "(off)"
        print(
            f"| {name} | {len(rps[name])} | {statistics.median(rps[name]):.0f} | {rate} "
            f"| {statistics.median(single[name]):.2f} ms | {'; '.join(checks[name]) or '-'} |"
        )
    print()
    for kind in ("sqlite", "pg"):
        on, off = rps.get(f"views-{kind}"), rps.get(f"views-{kind}-off")
        if on and off:
            ratio = statistics.median(on) / statistics.median(off)
            print(f"- {kind}: counting on / off = {ratio:.2f} (median req/s)")
    exact = folder / "exact.txt"
    if exact.exists():
        print()
        print("Exact runs (ab -n, bounded):")
        for line in exact.read_text().splitlines():
            print(f"- {line}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
