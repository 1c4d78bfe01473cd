"""Leave-one-file-out evaluation of the learning spam filter on the YouTube Spam
Collection (../shared/corpus/spam-youtube, read in place): for each of the five files,
train on the four others, score every comment of the held-out file, and count.

usage: .venv/bin/python bench/spam_eval.py [--corpus DIR] [--spam 0.9] [--hold 0.6]

"flagged" means the score reached the spam threshold (the comment goes to spam); "caught"
means it reached the hold threshold (spam or the moderation queue). Precision, recall and
false-positive rate are printed per fold and pooled over all folds, as Markdown.
"""

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from byline.comments.spam import Evidence, comment_features, evidence_add, spam_score

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "spam-youtube"


@dataclass
class Row:
    author: str
    text: str
    is_spam: bool


def read_file(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Row(row["AUTHOR"], row["CONTENT"], row["CLASS"].strip() == "1")
            for row in csv.DictReader(handle)
        ]


@dataclass
class Tally:
    tp: int = 0  # spam flagged
    fn: int = 0  # spam let through
    fp: int = 0  # legitimate flagged
    tn: int = 0  # legitimate let through

    def add(self, *, is_spam: bool, flagged: bool) -> None:
        if is_spam:
            self.tp += flagged
            self.fn += not flagged
        else:
            self.fp += flagged
            self.tn += not flagged

    def row(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        fpr = self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0
        return f"{precision:.3f} | {recall:.3f} | {fpr:.3f} ({self.fp}/{self.fp + self.tn})"


def features(row: Row) -> set[str]:
    return comment_features(body=row.text, name=row.author)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--spam", type=float, default=0.9, help="spam threshold")
    parser.add_argument("--hold", type=float, default=0.6, help="hold threshold")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.csv"))
    if len(files) < 2:
        sys.exit(f"spam_eval: no corpus at {args.corpus} (need the five CSV files)")
    data = {path.name: [(row, features(row)) for row in read_file(path)] for path in files}

    print(f"Spam threshold {args.spam}, hold threshold {args.hold}.\n")
    print("| held-out file | comments | flagged: precision | recall | false-positive rate "
          "| caught (spam or held): precision | recall | false-positive rate |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    flagged_all, caught_all = Tally(), Tally()
    timings: list[float] = []
    for held_out, rows in data.items():
        evidence = Evidence()
        for name, training in data.items():
            if name != held_out:
                for row, found in training:
                    evidence_add(evidence, found, is_spam=row.is_spam)
        flagged, caught = Tally(), Tally()
        for row, found in rows:
            start = time.perf_counter()
            score = spam_score(found, evidence).probability
            timings.append(time.perf_counter() - start)
            for tally, threshold in ((flagged, args.spam), (caught, args.hold)):
                tally.add(is_spam=row.is_spam, flagged=score >= threshold)
            flagged_all.add(is_spam=row.is_spam, flagged=score >= args.spam)
            caught_all.add(is_spam=row.is_spam, flagged=score >= args.hold)
        print(f"| {held_out} | {len(rows)} | {flagged.row()} | {caught.row()} |")
    total = sum(len(rows) for rows in data.values())
    print(f"| **all folds** | {total} | {flagged_all.row()} | {caught_all.row()} |")
    timings.sort()
    print(
        f"\nScoring alone (features given, in memory): p50 {timings[len(timings) // 2] * 1e6:.0f}"
        f" µs, p99 {timings[int(len(timings) * 0.99)] * 1e6:.0f} µs over {len(timings)} comments."
    )


if __name__ == "__main__":
    main()
