"""The table of bench/compare.sh: medians over its runs of ../shared/bench-peers/run-peers.sh.

usage: python bench/compare_summary.py RUN_DIR [RUN_DIR ...]

Each RUN_DIR holds one run's raw wrk outputs (NAME.c32.txt, NAME.c1.txt with
wrk-report.lua's BENCH line), its table.md (views counted/sent, page size, notes) and
rss.txt (the Byline workers' resident memory after the load, "NAME sum=MB each=MB,…").
Ratios are against WordPress, Wagtail (on the same database as the Byline target: SQLite
or PostgreSQL) and static; a peer that was not measured is replaced by the figure quoted
in issue 8, marked "(quoted)"."""

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

# Issue 8, measured on this machine on 2026-11-24 with the same harness.
QUOTED = {"wordpress": 73.0, "wagtail-sqlite": 191.0, "wagtail-pg": 165.0}
PREFERRED = [
    "byline-sqlite-uncached",
    "byline-sqlite-cached",
    "byline-pg-uncached",
    "byline-pg-cached",
    "wordpress",
    "wagtail-sqlite",
    "wagtail-pg",
    "static-byline",
]


def bench_line(path: Path) -> dict[str, float] | None:
    if not path.exists():
        return None
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("BENCH "):
            return {k: float(v) for k, v in (p.split("=") for p in line.split()[1:])}
    return None


def table_rows(folder: Path) -> tuple[dict[str, list[str]], str]:
    """run-peers.sh's table: NAME -> its cells; and the notes."""
    path = folder / "table.md"
    if not path.exists():
        return {}, ""
    text = path.read_text()
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 11 and cells[0] != "target":
            rows[cells[0]] = cells
    return rows, text


def probe_p50(notes: str, name: str) -> float | None:
    """The one-connection p50 of latency-probe.py, which run-peers.sh measures when wrk's
    c=1 percentiles fail its Little's-law check (then wrk's are not to be trusted)."""
    for line in notes.splitlines():
        if not (line.startswith(f"- {name} at c=1:") and "probe" in line):
            continue
        if match := re.search(r"p50 ([\d.]+) ms", line.split("probe", 1)[1]):
            return float(match.group(1))
    return None


def main(folders: list[str]) -> None:
    rps, p50, p99, single, body, views = (defaultdict(list) for _ in range(6))
    rss_sum, rss_top = defaultdict(list), defaultdict(list)
    order: list[str] = []
    notes_all: list[str] = []
    for folder in map(Path, folders):
        rows, text = table_rows(folder)
        notes_all += [
            f"run {folder.name}: {line[2:]}"
            for line in text.splitlines()
            if line.startswith("- ") and ("MISMATCH" in line or "errors" in line)
        ]
        for load in sorted(folder.glob("*.c32.txt")):
            name = load.name.removesuffix(".c32.txt")
            a, b = bench_line(load), bench_line(load.with_name(f"{name}.c1.txt"))
            if not (a and b and a["requests"]):
                continue
            if name not in order:
                order.append(name)
            rps[name].append(a["requests"] / (a["duration_us"] / 1e6))
            p50[name].append(a["p50_us"] / 1000)
            p99[name].append(a["p99_us"] / 1000)
            probe = probe_p50(text, name)
            single[name].append(probe if probe is not None else b["p50_us"] / 1000)
            if name in rows:
                body[name].append(int(rows[name][8]))
                views[name].append(rows[name][10])
        rss = folder / "rss.txt"
        for line in rss.read_text().splitlines() if rss.exists() else []:
            name, *fields = line.split()
            values = dict(field.split("=", 1) for field in fields)
            each = [int(v) for v in values.get("each", "").split(",") if v.isdigit()]
            if each:
                rss_sum[name].append(int(values["sum"]))
                rss_top[name].append(max(each))

    median = {name: statistics.median(values) for name, values in rps.items()}
    # Byline first, as compare.sh lists its targets, then the peers.
    order.sort(key=lambda name: PREFERRED.index(name) if name in PREFERRED else len(PREFERRED))

    def reference(peer: str) -> tuple[float | None, str]:
        if peer in median:
            return median[peer], ""
        if peer in QUOTED:
            return QUOTED[peer], " (quoted)"
        return None, ""

    def ratio(name: str, peer: str) -> str:
        value, mark = reference(peer)
        if not value:
            return "-"
        times = median[name] / value
        return (f"{times:.0f}" if times >= 100 else f"{times:.3g}") + f"x{mark}"

    print(
        "| target | runs | req/s c=32 | p50 c=32 | p99 c=32 | p50 c=1 | x WordPress "
        "| x Wagtail | x static | body bytes | workers' RSS after load: sum / largest "
        "| views counted/sent (c=32; c=1) per run |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name in order:
        wagtail = "wagtail-pg" if "-pg" in name else "wagtail-sqlite"
        memory = (
            f"{statistics.median(rss_sum[name]):.0f} / {statistics.median(rss_top[name]):.0f} MB"
            if name in rss_sum
            else "-"
        )
        size = f"{statistics.median(body[name]):.0f}" if body[name] else "-"
        counted = "; ".join(views[name]) if name.startswith("byline") else "-"
        print(
            f"| {name} | {len(rps[name])} | {median[name]:.0f} "
            f"| {statistics.median(p50[name]):.1f} ms | {statistics.median(p99[name]):.1f} ms "
            f"| {statistics.median(single[name]):.2f} ms | {ratio(name, 'wordpress')} "
            f"| {ratio(name, wagtail) if not name.startswith('wagtail') else '-'} "
            f"| {ratio(name, 'static-byline')} | {size} | {memory} | {counted} |"
        )
    missing = [peer for peer in QUOTED if peer not in median]
    if missing:
        print()
        print(
            "Not measured in this run: "
            + ", ".join(
                f"{peer} (ratios use the issue's {QUOTED[peer]:.0f} req/s)" for peer in missing
            )
        )
    if notes_all:
        print()
        print("Notes from the runs:")
        for note in notes_all:
            print(f"- {note}")


if __name__ == "__main__":
    main(sys.argv[1:])
