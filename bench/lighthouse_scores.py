"""Median Lighthouse scores per page from the JSON reports of bench/lighthouse.sh, and
every audit that did not pass in any run (what to fix in the theme).

usage: python bench/lighthouse_scores.py RESULTS_DIR"""

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main(folder: str) -> None:
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    failing: dict[str, set[str]] = defaultdict(set)
    version = ""
    for path in sorted(Path(folder).glob("*.run*.json")):
        page = path.name.split(".")[0]
        report = json.loads(path.read_text())
        if report.get("runtimeError"):
            continue  # bench/lighthouse.sh ran this page again
        version = report["lighthouseVersion"]
        for category in CATEGORIES:
            scores[page][category].append(report["categories"][category]["score"] * 100)
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    failing[page].add(f"{category}: {ref['id']} ({audit['score']:.2f})")
    print(f"Lighthouse {version}, median of runs (lowest-highest)\n")
    print("| page | runs | performance | accessibility | best practices | SEO |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for page, by_category in scores.items():
        runs = len(by_category["performance"])
        cells = " | ".join(
            f"{statistics.median(by_category[c]):.0f} ({min(by_category[c]):.0f}-"
            f"{max(by_category[c]):.0f})"
            for c in CATEGORIES
        )
        print(f"| {page} | {runs} | {cells} |")
    for page, audits in failing.items():
        print(f"\n{page}: audits below full marks in some run: " + ", ".join(sorted(audits)))


if __name__ == "__main__":
    main(sys.argv[1])
