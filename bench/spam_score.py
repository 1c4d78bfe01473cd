"""Time to score one comment with the learning spam filter as the site does it: features,
the two database reads (the tally, the counts of the comment's features) and the
arithmetic, after training on four files of the YouTube collection; every comment of the
fifth file is scored, RUNS times.

usage: BYLINE_DATA_DIR=$(mktemp -d) [DATABASE_URL=postgres://…/bench_spam] \\
       .venv/bin/python bench/spam_score.py [--runs 3]
"""

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from byline.comments.models import ModerationSettings, SpamTally  # noqa: E402
from byline.comments.spam_filter import features_of, spam_filter_learn, spam_filter_score  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "spam-youtube"


def rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.csv"))
    if len(files) != 5:
        sys.exit(f"spam_score: no corpus at {CORPUS}")
    call_command("migrate", verbosity=0)
    if not SpamTally.objects.exists():
        start = time.perf_counter()
        spam_filter_learn(
            (features_of(body=row["CONTENT"], name=row["AUTHOR"]), row["CLASS"] == "1")
            for path in files[:4]
            for row in rows(path)
        )
        print(f"trained on {files[0].name}…{files[3].name} in {time.perf_counter() - start:.1f} s")
    rules = ModerationSettings.current()
    held_out = rows(files[4])
    medians, p99s = [], []
    for _ in range(args.runs):
        samples = []
        for row in held_out:
            start = time.perf_counter()
            spam_filter_score(
                rules=rules, body=row["CONTENT"], name=row["AUTHOR"], url="", email="a@b.example"
            )
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        medians.append(statistics.median(samples))
        p99s.append(samples[int(len(samples) * 0.99)])
    print(
        f"{connection.vendor}: one comment scored in p50 {statistics.median(medians):.2f} ms, "
        f"p99 {statistics.median(p99s):.2f} ms (medians of {args.runs} runs over "
        f"{len(held_out)} comments)"
    )


if __name__ == "__main__":
    main()
