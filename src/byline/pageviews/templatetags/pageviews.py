"""The pageviews app's pieces for other apps' templates: `{% load pageviews %}`."""

from datetime import UTC, date, datetime, time

from django import template
from django.conf import settings
from django.urls import reverse

from byline.pageviews.selectors import PERIODS, article_views_by_day, most_viewed

register = template.Library()

BLOCK_PERIOD = "7d"
BLOCK_SIZE = 5


@register.inclusion_tag("pageviews/most_viewed_block.html")
def most_viewed_block(period: str = BLOCK_PERIOD, limit: int = BLOCK_SIZE) -> dict:
    """The "Most viewed" block of the home and article pages."""
    return {
        "ranked": most_viewed(period=period, limit=limit),
        "period": period,
        "period_label": PERIODS[period][0],
        "periods": [(key, name) for key, (name, _) in PERIODS.items()],
    }


@register.inclusion_tag("pageviews/beacon.html")
def views_beacon(article) -> dict:
    """In the `beacon` counting mode, the script that counts the view from the reader's
    browser and shows the fresh count; nothing in the `server` mode."""
    if settings.BYLINE_VIEW_COUNTING != "beacon":
        return {"url": None}
    return {"url": reverse("pageviews:beacon", args=[article.pk])}


def chart_series(days: list[tuple[date, int]]) -> list[list[int]]:
    """Per-day rows as the chart script reads them: [[unix seconds...], [views...]]."""
    return [
        [int(datetime.combine(day, time(12), tzinfo=UTC).timestamp()) for day, _ in days],
        [views for _, views in days],
    ]


@register.inclusion_tag("pageviews/chart.html")
def article_views_chart(article_id: int | None, days: int = 90) -> dict:
    """An article's views per day (admin change page): a chart, and a table without
    JavaScript."""
    if not article_id:
        return {"days": None}
    rows = article_views_by_day(article_id=article_id, days=days)
    return {
        "days": rows,
        "series": chart_series(rows),
        "data_id": f"article-{article_id}-views-data",
        "caption": f"Views per day, last {days} days",
        "total": sum(views for _, views in rows),
    }
