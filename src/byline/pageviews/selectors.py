"""Reading the per-day counts: most-viewed lists and the editors' statistics, each one
indexed query on (day, article) or on the totals.

The last 24 hours are counted from the per-day rows as a sliding window: today's views
plus yesterday's in proportion to the part of yesterday still inside the window (at
18:00, a quarter of yesterday's views). That keeps one write per view; the figure is an
estimate, the ranking is what it is for."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Case, F, QuerySet, Sum, When
from django.utils import timezone

from byline.articles.models import Article
from byline.pagecache.marks import EVERYTHING
from byline.pagecache.purge import tag_version
from byline.pageviews.models import ArticleViews, DailyViews

# period key -> (label, days; 1 means the last 24 hours, None all time)
PERIODS: dict[str, tuple[str, int | None]] = {
    "24h": ("Last 24 hours", 1),
    "7d": ("Last 7 days", 7),
    "30d": ("Last 30 days", 30),
    "all": ("All time", None),
}
SCALE = 1000  # the 24-hour window's weights, in thousandths (integer arithmetic in SQL)


@dataclass
class Ranked:
    article_id: int
    title: str
    url: str
    views: int


def _window(now: datetime) -> tuple[date, int]:
    """Today's date and the weight (in thousandths) of yesterday in the last 24 hours."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = (local - midnight).total_seconds() / 86400
    return local.date(), round((1 - elapsed) * SCALE)


def ranked_articles(
    articles: QuerySet[Article], *, days: int | None, limit: int, now: datetime | None = None
) -> list[tuple[Article, int]]:
    """`articles` with their views over the last `days` days (1: the last 24 hours; None:
    all time), most viewed first, ties to the newer article; never-viewed ones left out."""
    now = now or timezone.now()
    today, yesterday_weight = _window(now)
    scale = 1
    if days is None:
        ranked = articles.filter(view_count__views__gt=0).annotate(score=F("view_count__views"))
    elif days == 1:
        scale = SCALE
        ranked = articles.filter(daily_views__day__gte=today - timedelta(days=1)).annotate(
            score=Sum(
                Case(
                    When(daily_views__day=today, then=F("daily_views__views") * SCALE),
                    default=F("daily_views__views") * yesterday_weight,
                )
            )
        )
    else:
        ranked = articles.filter(
            daily_views__day__gt=today - timedelta(days=days), daily_views__day__lte=today
        ).annotate(score=Sum("daily_views__views"))
    ranked = ranked.filter(score__gt=0).order_by("-score", "-published_at", "-id")[:limit]
    return [(article, int((article.score + scale // 2) // scale)) for article in ranked]


def most_viewed(*, period: str, limit: int = 10, now: datetime | None = None) -> list[Ranked]:
    """The public most-viewed list of a period (a key of PERIODS): published articles
    only, kept in the cache for BYLINE_MOST_VIEWED_SECONDS."""
    from django.conf import settings

    _, days = PERIODS[period]

    def build() -> list[Ranked]:
        articles = Article.objects.published().only("id", "title", "slug", "published_at")
        return [
            Ranked(article.pk, article.title, article.get_absolute_url(), views)
            for article, views in ranked_articles(articles, days=days, limit=limit, now=now)
        ]

    if now is not None or settings.BYLINE_MOST_VIEWED_SECONDS <= 0:
        return build()
    # Titles and addresses change with any article's edit: a purge of every page (see
    # byline.pagecache) makes a new key, so the list is never older than the pages.
    version = tag_version(EVERYTHING)
    key = f"pageviews:most-viewed:{period}:{limit}:{timezone.localdate().isoformat()}:{version}"
    return cache.get_or_set(key, build, settings.BYLINE_MOST_VIEWED_SECONDS)


def _days_filled(rows: dict[date, int], *, days: int, today: date) -> list[tuple[date, int]]:
    start = today - timedelta(days=days - 1)
    return [
        (start + timedelta(days=n), rows.get(start + timedelta(days=n), 0)) for n in range(days)
    ]


def site_views_by_day(*, days: int, today: date | None = None) -> list[tuple[date, int]]:
    """Views of the whole site on each of the last `days` days, oldest first (0 for a
    day without views)."""
    today = today or timezone.localdate()
    rows = (
        DailyViews.objects.filter(day__gt=today - timedelta(days=days), day__lte=today)
        .values("day")
        .annotate(total=Sum("views"))
        .values_list("day", "total")
    )
    return _days_filled(dict(rows), days=days, today=today)


def article_views_by_day(
    *, article_id: int, days: int, today: date | None = None
) -> list[tuple[date, int]]:
    today = today or timezone.localdate()
    rows = DailyViews.objects.filter(
        article_id=article_id, day__gt=today - timedelta(days=days), day__lte=today
    ).values_list("day", "views")
    return _days_filled(dict(rows), days=days, today=today)


def site_total_views() -> int:
    return ArticleViews.objects.aggregate(total=Sum("views"))["total"] or 0
