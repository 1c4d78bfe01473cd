"""`byline stats`: the top articles and the totals of a period, as a table."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from byline.articles.models import Article
from byline.pageviews.selectors import ranked_articles, site_total_views, site_views_by_day

PERIODS = {"24h": 1, "7d": 7, "30d": 30, "90d": 90, "365d": 365, "all": None}


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), "  ".join("-" * width for width in widths), *map(line, rows)]


class Command(BaseCommand):
    help = "Print the most viewed articles and the view totals of a period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--period",
            default="7d",
            help="24h, 7d, 30d, 90d, 365d or all (default: 7d)",
        )
        parser.add_argument(
            "--top", type=int, default=10, help="how many articles to list (default: 10)"
        )

    def handle(self, *args, period: str, top: int, **options) -> None:
        if period not in PERIODS:
            raise CommandError(f"Unknown period {period!r}: use one of {', '.join(PERIODS)}.")
        if not 1 <= top <= 1000:
            raise CommandError("--top must be between 1 and 1000.")
        days = PERIODS[period]
        ranked = ranked_articles(Article.objects.select_related("author"), days=days, limit=top)
        rows = [
            [
                str(rank),
                f"{views:,}",
                article.title if len(article.title) <= 60 else article.title[:59] + "…",
                article.author.display_name,
                timezone.localtime(article.published_at).date().isoformat()
                if article.published_at
                else "draft",
            ]
            for rank, (article, views) in enumerate(ranked, start=1)
        ]
        write = self.stdout.write
        label = (
            "all time"
            if days is None
            else ("the last 24 hours" if days == 1 else f"the last {days} days")
        )
        write(f"Most viewed articles, {label} (today is {timezone.localdate().isoformat()}):")
        write("")
        if rows:
            for line in _table(["#", "views", "article", "author", "published"], rows, {0, 1}):
                write(line)
        else:
            write("(no views in this period)")
        write("")
        by_day = site_views_by_day(days=days if days and days > 1 else 1)
        today = by_day[-1][1]
        if days is not None and days > 1:
            write(f"Views in the last {days} days: {sum(views for _, views in by_day):,}")
        write(f"Views today: {today:,}")
        write(f"Views all time: {site_total_views():,}")
