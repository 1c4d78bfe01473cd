"""Medians over repeated runs of bench/faults.py, as the Markdown table of RESULTS.md.

usage: python bench/faults_summary.py bench/results/faults-*.json"""

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def main(paths: list[str]) -> None:
    runs = defaultdict(list)
    for path in paths:
        for result in json.loads(Path(path).read_text()):
            runs[result["scenario"]].append(result)

    def median(results, key):
        values = [r[key] for r in results if r.get(key) is not None]
        return statistics.median(values) if values else None

    print("| fault | runs | requests sent | comments acknowledged / lost "
          "| views acknowledged / counted / lost | 500s | other |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, results in runs.items():
        other = ""
        if name == "postgres":
            other = (
                f"503 answers while down: median {median(results, 'median_503_seconds'):.3f} s "
                f"each; PostgreSQL's own restart {median(results, 'database_restart_seconds')} s; "
                f"first page {median(results, 'recovered_seconds_after_restart')} s after it "
                "accepted connections"
            )
        if name == "kill":
            other = "answers lost with the killed workers (connection reset): " + ", ".join(
                str(r["statuses"].get("0", 0)) for r in results
            )
        if name == "redis":
            other = "warnings logged: " + ", ".join(
                str(r["redis_warnings_logged"]) for r in results
            )
        print(
            f"| {name} | {len(results)} | {median(results, 'requests_sent'):.0f} "
            f"| {median(results, 'comments_acknowledged'):.0f} / "
            f"{max(r['comments_lost'] for r in results)} "
            f"| {median(results, 'views_acknowledged'):.0f} / "
            f"{median(results, 'views_counted'):.0f} / {max(r['views_lost'] for r in results)} "
            f"| {max(r['server_errors_500'] for r in results)} | {other} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
