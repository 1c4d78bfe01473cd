"""Each GET of an article page by a reader counts one view, atomically, and the page
shows the count including it; per-day counts add up to the totals. Runs on the database
backend (no REDIS_URL) and on the Redis buffer (REDIS_URL)."""

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import RequestFactory

from byline.pageviews.backends import _sqlite_raw, database_backend
from byline.pageviews.models import ArticleViews, DailyViews
from byline.pageviews.services import (
    article_view_for_request,
    article_views,
    article_views_add,
    views_by_article,
)
from tests.conftest import BROWSER_UA
from tests.factories import ArticleFactory
from tests.pageviews.conftest import flush_pending


def shown(response) -> int:
    return int(re.search(r"(\d+) views?<", response.content.decode()).group(1))


@pytest.mark.django_db
class TestCountedViews:
    """A reader's GET counts once and sees its own view."""

    def test_each_get_counts_and_shows_the_new_total(self, client, article):
        article_views_add(article_id=article.pk, views=1821)
        assert shown(client.get(article.get_absolute_url())) == 1822
        assert shown(client.get(article.get_absolute_url())) == 1823
        assert article_views(article_id=article.pk) == 1823
        flush_pending()
        assert ArticleViews.objects.get(article=article).views == 1823

    def test_per_day_counts_add_up_to_the_total(self, client, article):
        article_views_add(article_id=article.pk, views=10, day=article.published_at.date())
        for _ in range(3):
            client.get(article.get_absolute_url())
        flush_pending()
        total = ArticleViews.objects.get(article=article).views
        assert total == 13
        assert DailyViews.objects.filter(article=article).aggregate(n=Sum("views"))["n"] == total
        assert DailyViews.objects.filter(article=article).count() == 2

    def test_views_for_many_articles(self, article):
        article_views_add(article_id=article.pk, views=5)
        assert views_by_article([article.pk, 987654]) == {article.pk: 5, 987654: 0}
        assert views_by_article([]) == {}

    def test_lists_show_pending_views(self, client, article):
        """Home and archives show database + pending, like the article page."""
        other = ArticleFactory()
        for _ in range(2):
            client.get(article.get_absolute_url())
        client.get(other.get_absolute_url())
        assert views_by_article([article.pk, other.pk]) == {article.pk: 2, other.pk: 1}
        html = client.get("/").content.decode()
        assert re.search(rf'href="{article.get_absolute_url()}">[^<]+</a></h2>', html)
        assert "2 views</span>" in html and "1 view</span>" in html


@pytest.mark.django_db
class TestEntryPoint:
    """article_view_for_request counts from the request alone (as a page cache calls it,
    without rendering anything) and returns the number to show."""

    def test_counts_without_a_view(self, article):
        request = RequestFactory().get("/any/cached/page/", HTTP_USER_AGENT=BROWSER_UA)
        assert article_view_for_request(request=request, article_id=article.pk) == 1
        assert article_view_for_request(request=request, article_id=article.pk) == 2
        head = RequestFactory().head("/any/cached/page/", HTTP_USER_AGENT=BROWSER_UA)
        assert article_view_for_request(request=head, article_id=article.pk) == 2
        flush_pending()
        assert ArticleViews.objects.get(article=article).views == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the straight path is SQLite's")
@pytest.mark.django_db(transaction=True)
class TestOutsideATransaction:
    """On SQLite with no transaction open, a view is counted straight on the sqlite3
    connection: the same statements, the same exact counts."""

    def test_totals_and_days(self, settings):
        settings.DEBUG = False
        article = ArticleFactory()
        assert _sqlite_raw() is not None
        day = date(2026, 11, 25)
        totals = [database_backend.record(article_id=article.pk, day=day, visitor=None)]
        totals.append(database_backend.record(article_id=article.pk, day=day, visitor=None))
        totals.append(
            database_backend.record(article_id=article.pk, day=date(2026, 11, 26), visitor=None)
        )
        assert totals == [1, 2, 3]
        assert ArticleViews.objects.get(article=article).views == 3
        assert dict(DailyViews.objects.filter(article=article).values_list("day", "views")) == {
            day: 2,
            date(2026, 11, 26): 1,
        }
        assert not connection.connection.in_transaction

    def test_the_interval_rule(self, settings):
        settings.BYLINE_VIEWS_INTERVAL = 600
        article = ArticleFactory()
        assert _sqlite_raw() is not None
        day = date(2026, 11, 25)
        assert database_backend.record(article_id=article.pk, day=day, visitor="v1") == 1
        assert database_backend.record(article_id=article.pk, day=day, visitor="v1") is None
        assert database_backend.record(article_id=article.pk, day=day, visitor="v2") == 2
        assert ArticleViews.objects.get(article=article).views == 2
