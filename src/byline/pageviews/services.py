"""Counting views. A view is one atomic statement on the total and one on the day, in
one transaction: no read-modify-write, so concurrent requests never lose an increment."""

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from byline.pageviews.models import ArticleViews, DailyViews

# One statement each, the same text on SQLite (3.35+) and PostgreSQL: insert the row or
# add to it, atomically. The table names are fixed by the models' Meta.
_ADD_TO_TOTAL = (
    "INSERT INTO pageviews_articleviews (article_id, views) VALUES (%s, %s) "
    "ON CONFLICT (article_id) DO UPDATE SET views = pageviews_articleviews.views + excluded.views "
    "RETURNING views"
)
_ADD_TO_DAY = (
    "INSERT INTO pageviews_dailyviews (article_id, day, views) VALUES (%s, %s, %s) "
    "ON CONFLICT (article_id, day) DO UPDATE "
    "SET views = pageviews_dailyviews.views + excluded.views"
)


def article_views_add(*, article_id: int, views: int = 1, day=None) -> int:
    """Add `views` to an article's total and to its count for `day`; return the total."""
    day = day or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_ADD_TO_TOTAL, [article_id, views])
        (total,) = cursor.fetchone()
        cursor.execute(_ADD_TO_DAY, [article_id, day, views])
    return total


def article_view_record(*, article_id: int) -> int:
    """Count one view of an article and return its new total, which includes it."""
    return article_views_add(article_id=article_id)


def article_views(*, article_id: int) -> int:
    row = ArticleViews.objects.filter(article_id=article_id).values_list("views", flat=True)
    return next(iter(row), 0)


def views_by_article(article_ids: list[int]) -> dict[int, int]:
    """Totals for many articles in one query; articles never viewed are 0."""
    found = dict(
        ArticleViews.objects.filter(article_id__in=article_ids).values_list("article_id", "views")
    )
    return {article_id: found.get(article_id, 0) for article_id in article_ids}


def most_viewed(*, since=None, limit: int = 10, among=None) -> list[tuple[int, int]]:
    """The most viewed articles as (article_id, views) pairs, most views first: views on
    and after the day `since` (a date; None: all time), among the articles of the
    queryset `among` (None: all). One indexed query on the per-day or total counts."""
    if since is None:
        rows = ArticleViews.objects.filter(views__gt=0)
        if among is not None:
            rows = rows.filter(article__in=among)
        ranked = rows.order_by("-views", "-article_id").values_list("article_id", "views")
    else:
        rows = DailyViews.objects.filter(day__gte=since)
        if among is not None:
            rows = rows.filter(article__in=among)
        ranked = (
            rows.values("article_id")
            .annotate(total=Sum("views"))
            .order_by("-total", "-article_id")
            .values_list("article_id", "total")
        )
    return list(ranked[:limit])
