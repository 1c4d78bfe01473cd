"""Medians over repeated runs of ../shared/bench-peers/run-peers.sh.

usage: python bench/summarize.py [--memory] RESULTS_DIR [RESULTS_DIR ...]

Each RESULTS_DIR is one run's --out folder; the raw wrk outputs in it (NAME.c32.txt,
NAME.c1.txt) carry wrk-report.lua's BENCH line. Prints one Markdown row per target.
With --memory, each folder's rss.txt (lines "NAME sum=MB each=MB,MB", written by the
bench scripts after the load) adds the median resident memory of the server's workers;
with --cpu, each folder's cpu.txt ("NAME MS": the server's CPU time over the whole
target's run) divided by the requests of its warm-up, load and one-connection runs adds
the median CPU time per request."""

import statistics
import sys
from collections import defaultdict
from pathlib import Path


def bench_line(path: Path) -> dict[str, float] | None:
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("BENCH "):
            return {k: float(v) for k, v in (p.split("=") for p in line.split()[1:])}
    return None


def memory(folders: list[str]) -> dict[str, tuple[float, float]]:
    """NAME -> (median sum of the workers' RSS, median largest worker's RSS), in MB."""
    sums: dict[str, list[int]] = defaultdict(list)
    largest: dict[str, list[int]] = defaultdict(list)
    for folder in folders:
        path = Path(folder) / "rss.txt"
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            name, *fields = line.split()
            values = dict(field.split("=", 1) for field in fields)
            each = [int(v) for v in values.get("each", "").split(",") if v.isdigit()]
            if each:
                sums[name].append(int(values["sum"]))
                largest[name].append(max(each))
    return {
        name: (statistics.median(sums[name]), statistics.median(largest[name])) for name in sums
    }


def cpu_per_request(folders: list[str]) -> dict[str, float]:
    """NAME -> median CPU milliseconds of the server per request answered."""
    costs: dict[str, list[float]] = defaultdict(list)
    for folder in map(Path, folders):
        path = folder / "cpu.txt"
        for line in path.read_text().splitlines() if path.exists() else []:
            name, milliseconds = line.split()
            runs = [bench_line(folder / f"{name}.{kind}.txt") for kind in ("warmup", "c32", "c1")]
            requests = sum(run["requests"] for run in runs if run)
            if requests:
                costs[name].append(int(milliseconds) / requests)
    return {name: statistics.median(values) for name, values in costs.items()}


def main(arguments: list[str]) -> None:
    with_memory = "--memory" in arguments
    with_cpu = "--cpu" in arguments
    folders = [a for a in arguments if a not in {"--memory", "--cpu"}]
    runs: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for folder in folders:
        for load in sorted(Path(folder).glob("*.c32.txt")):
            name = load.name.removesuffix(".c32.txt")
            single = load.with_name(f"{name}.c1.txt")
            a, b = bench_line(load), bench_line(single) if single.exists() else None
            if a and b:
                runs[name].append((a, b))
    rss = memory(folders) if with_memory else {}
    cpu = cpu_per_request(folders) if with_cpu else {}
    extra = " workers' RSS: sum / largest |" if with_memory else ""
    extra += " server CPU per request |" if with_cpu else ""
    print(
        "| target | runs | req/s c=32 (median) | p50 c=32 | p99 c=32 | p50 c=1 | bytes/response |"
        + extra
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: |" * extra.count("|"))
    for name, pairs in runs.items():
        rps = statistics.median(a["requests"] / (a["duration_us"] / 1e6) for a, _ in pairs)
        p50 = statistics.median(a["p50_us"] for a, _ in pairs) / 1000
        p99 = statistics.median(a["p99_us"] for a, _ in pairs) / 1000
        single = statistics.median(b["p50_us"] for _, b in pairs) / 1000
        size = statistics.median(a["bytes"] / a["requests"] for a, _ in pairs)
        row = (
            f"| {name} | {len(pairs)} | {rps:.0f} | {p50:.1f} ms | {p99:.1f} ms "
            f"| {single:.2f} ms | {size:.0f} |"
        )
        if with_memory:
            total, top = rss.get(name, (0, 0))
            row += f" {total:.0f} / {top:.0f} MB |" if name in rss else " - |"
        if with_cpu:
            row += f" {cpu[name]:.1f} ms |" if name in cpu else " - |"
        print(row)


if __name__ == "__main__":
    main(sys.argv[1:])
