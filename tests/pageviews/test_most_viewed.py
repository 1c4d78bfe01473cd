"""Most-viewed lists: one query on the per-day rows (or the totals for all time), ordered
correctly in each period, public articles only; the block on the home and article pages,
and /popular/ for each period."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.articles.models import Article
from byline.pageviews.selectors import most_viewed
from byline.pageviews.services import article_views_add
from tests.factories import ArticleFactory

NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)  # 18:00: a quarter of yesterday is inside 24 h
TODAY = date(2026, 6, 15)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def stories(db):
    """Four articles whose order differs in every period."""
    old_hit = ArticleFactory(title="Old hit")  # huge long ago, little lately
    article_views_add(article_id=old_hit.pk, views=5000, day=days_ago(200))
    article_views_add(article_id=old_hit.pk, views=1, day=days_ago(3))
    monthly = ArticleFactory(title="Monthly")  # strong three weeks ago
    article_views_add(article_id=monthly.pk, views=900, day=days_ago(20))
    weekly = ArticleFactory(title="Weekly")  # strong five days ago
    article_views_add(article_id=weekly.pk, views=400, day=days_ago(5))
    fresh = ArticleFactory(title="Fresh")  # today's story
    article_views_add(article_id=fresh.pk, views=60, day=TODAY)
    # Yesterday's story: 200 views yesterday, a quarter of which are inside 24 h (50).
    yesterday = ArticleFactory(title="Yesterday")
    article_views_add(article_id=yesterday.pk, views=200, day=days_ago(1))
    return {"old": old_hit, "monthly": monthly, "weekly": weekly, "fresh": fresh}


def titles(period: str) -> list[str]:
    return [item.title for item in most_viewed(period=period, now=NOW)]


@pytest.mark.django_db
class TestOrder:
    """Each period ranks by the views inside it."""

    def test_all_time(self, stories):
        assert titles("all") == ["Old hit", "Monthly", "Weekly", "Yesterday", "Fresh"]

    def test_thirty_days(self, stories):
        assert titles("30d") == ["Monthly", "Weekly", "Yesterday", "Fresh", "Old hit"]

    def test_seven_days(self, stories):
        assert titles("7d") == ["Weekly", "Yesterday", "Fresh", "Old hit"]

    def test_last_24_hours(self, stories):
        ranked = most_viewed(period="24h", now=NOW)
        assert [(item.title, item.views) for item in ranked] == [("Fresh", 60), ("Yesterday", 50)]
        # Early in the day, yesterday weighs almost fully.
        early = most_viewed(period="24h", now=NOW.replace(hour=1))
        assert [item.title for item in early] == ["Yesterday", "Fresh"]

    def test_counts_in_the_period(self, stories):
        ranked = {item.title: item.views for item in most_viewed(period="7d", now=NOW)}
        assert ranked == {"Weekly": 400, "Yesterday": 200, "Fresh": 60, "Old hit": 1}

    def test_drafts_and_scheduled_articles_are_left_out(self, stories):
        stories["monthly"].status = Article.Status.DRAFT
        stories["monthly"].save()
        stories["weekly"].published_at = timezone.now() + timedelta(days=1)
        stories["weekly"].save()
        assert "Monthly" not in titles("30d") and "Weekly" not in titles("30d")

    def test_one_query(self, stories):
        for period in ("24h", "7d", "30d", "all"):
            with CaptureQueriesContext(connection) as captured:
                most_viewed(period=period, now=NOW)
            assert len(captured) == 1, period

    def test_cached_between_requests(self, stories):
        first = most_viewed(period="all")
        with CaptureQueriesContext(connection) as captured:
            assert most_viewed(period="all") == first
        assert len(captured) == 0


@pytest.mark.django_db
class TestPages:
    """The block on the home and article pages, and /popular/."""

    def test_block_on_home_and_article_pages(self, client, article):
        other = ArticleFactory(title="The most read story")
        article_views_add(article_id=other.pk, views=30)
        for path in ("/", article.get_absolute_url()):
            html = client.get(path).content.decode()
            block = html[html.index('<aside class="most-viewed"') :]
            assert "Most viewed" in block and "Last 7 days" in block
            assert f'<a href="{other.get_absolute_url()}">The most read story</a>' in block
            for period in ("24h", "7d", "30d", "all"):
                assert f'href="/popular/{period}/"' in block

    def test_popular_for_each_period(self, client, article):
        article_views_add(article_id=article.pk, views=12)
        for path, label in [
            ("/popular/", "Last 7 days"),
            ("/popular/24h/", "Last 24 hours"),
            ("/popular/30d/", "Last 30 days"),
            ("/popular/all/", "All time"),
        ]:
            response = client.get(path)
            html = response.content.decode()
            assert response.status_code == 200
            assert f'<strong aria-current="page">{label}</strong>' in html
            assert article.title in html and "12 views" in html

    def test_unknown_period_is_404(self, client):
        assert client.get("/popular/1y/").status_code == 404

    def test_nothing_viewed_yet(self, client, db):
        html = client.get("/popular/").content.decode()
        assert "No views in this period yet." in html
