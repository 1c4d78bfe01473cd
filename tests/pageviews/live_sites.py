"""Helpers for the live view-counting tests: a `byline serve` site with the demo article,
its counts read from the database, its server processes."""

import time
from pathlib import Path

from tests.live import ARTICLE_PATH, LiveSite

READER_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1"
_COUNTS = """
from django.db.models import Sum
from byline.articles.models import Article
from byline.pageviews.models import ArticleViews, DailyViews
from byline.pageviews.services import article_views
a = Article.objects.get(slug="facebook-mulled-investing-in-xiaomi")
row = ArticleViews.objects.filter(article=a).first()
daily = DailyViews.objects.filter(article=a).aggregate(n=Sum("views"))["n"] or 0
print(row.views if row else 0, daily, article_views(article_id=a.pk))
"""


def seed_demo(site: LiveSite) -> None:
    site.shell("from byline.demo import seed_demo; seed_demo()")


def counts(site: LiveSite) -> tuple[int, int, int]:
    """(database total, sum of the per-day rows, count shown = database + pending)."""
    database, daily, shown = site.shell(_COUNTS).split()
    return int(database), int(daily), int(shown)


def drained(site: LiveSite, *, timeout: float = 60) -> tuple[int, int, int]:
    """The counts once the flusher has moved every pending view to the database (at once
    without Redis)."""
    deadline = time.monotonic() + timeout
    while True:
        database, daily, shown = counts(site)
        if database == shown or time.monotonic() > deadline:
            return database, daily, shown
        time.sleep(0.5)


def server_processes(site: LiveSite, *, expected: int, timeout: float = 60) -> list[int]:
    """The pids of the server workers (the children of the `byline serve` process), once
    `expected` of them run."""
    deadline = time.monotonic() + timeout
    while len(found := _children(site.process.pid)) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _children(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return sorted(children)


__all__ = ["ARTICLE_PATH", "READER_UA", "counts", "drained", "seed_demo", "server_processes"]
