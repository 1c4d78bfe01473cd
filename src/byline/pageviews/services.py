"""Counting views. A view is one atomic statement on the total and one on the day, in
one transaction: no read-modify-write, so concurrent requests never lose an increment."""

from django.db import connection, transaction
from django.utils import timezone

from byline.pageviews.models import ArticleViews, DailyViews


def _upsert_sql(table: str, key_columns: tuple[str, ...], returning: bool) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in (*key_columns, "views"))
    placeholders = ", ".join(["%s"] * (len(key_columns) + 1))
    conflict = ", ".join(quote(column) for column in key_columns)
    # Only our own table and column names go into this text; values are parameters.
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET "
        f"{quote('views')} = {quote(table)}.{quote('views')} + EXCLUDED.{quote('views')}"  # noqa: S608
    )
    return sql + f" RETURNING {quote('views')}" if returning else sql


def article_views_add(*, article_id: int, views: int = 1, day=None) -> int:
    """Add `views` to an article's total and to its count for `day`; return the total."""
    day = day or timezone.localdate()
    total_sql = _upsert_sql(ArticleViews._meta.db_table, ("article_id",), returning=True)
    daily_sql = _upsert_sql(DailyViews._meta.db_table, ("article_id", "day"), returning=False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(total_sql, [article_id, views])
        (total,) = cursor.fetchone()
        cursor.execute(daily_sql, [article_id, day, views])
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
