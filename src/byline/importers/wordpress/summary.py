"""What an import did, per kind of row: created, updated, skipped; plus notes."""

from collections import Counter
from dataclasses import dataclass, field

KINDS = (
    "authors", "categories", "tags", "articles", "pages", "comments", "page comments",
    "view counts", "media files",
)  # fmt: skip
OUTCOMES = ("created", "updated", "skipped")


@dataclass
class ImportSummary:
    source: str = ""
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    notes: Counter = field(default_factory=Counter)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def note(self, text: str, n: int = 1) -> None:
        self.notes[text] += n

    def rows(self) -> list[tuple[str, int, int, int]]:
        return [
            (kind, *(self.counts[kind][outcome] for outcome in OUTCOMES))
            for kind in KINDS
            if any(self.counts[kind].values())
        ]

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())
