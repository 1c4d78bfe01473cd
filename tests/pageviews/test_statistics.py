"""The editors' statistics: the admin page (chart data, the same numbers as a table, top
articles, totals, the definition of a view), each article's chart on its admin page, and
`byline stats` in the terminal."""

import itertools
import json
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from byline.pageviews.services import article_views_add
from tests.factories import ArticleFactory, UserFactory

STATS_URL = "/admin/pageviews/sitestatistics/"


@pytest.fixture
def editor_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def history(db):
    """Two articles with views on three recent days and one long ago."""
    today = timezone.localdate()
    first = ArticleFactory(title="First story")
    second = ArticleFactory(title="Second story")
    article_views_add(article_id=first.pk, views=5, day=today)
    article_views_add(article_id=first.pk, views=7, day=today - timedelta(days=2))
    article_views_add(article_id=second.pk, views=11, day=today - timedelta(days=2))
    article_views_add(article_id=second.pk, views=100, day=today - timedelta(days=60))
    return {"first": first, "second": second, "today": today}


def chart_data(html: str, element_id: str) -> list[list[int]]:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))


@pytest.mark.django_db
class TestStatisticsPage:
    """Site views per day (30/90/365) as chart data and as a table; top articles."""

    def test_thirty_days(self, editor_client, history):
        response = editor_client.get(STATS_URL)
        html = response.content.decode()
        assert response.status_code == 200
        timestamps, views = chart_data(html, "site-views-data")
        assert len(timestamps) == len(views) == 30
        assert views[-1] == 5 and views[-3] == 18 and sum(views) == 23
        # The table carries the same numbers, for readers without JavaScript.
        today = history["today"]
        assert f"<td>{today:%Y-%m-%d}</td><td>5</td>" in html
        assert f"<td>{today - timedelta(days=2):%Y-%m-%d}</td><td>18</td>" in html
        assert "Last 30 days<strong>23</strong>" in html
        assert "All time<strong>123</strong>" in html
        assert "Views today<strong>5</strong>" in html
        assert "uPlot.iife.min.js" in html and "views-chart.js" in html
        assert "What counts as a view" in html and "HEAD requests" in html

    def test_ninety_and_365_days(self, editor_client, history):
        for days, total in ((90, 123), (365, 123)):
            html = editor_client.get(f"{STATS_URL}?days={days}").content.decode()
            _, views = chart_data(html, "site-views-data")
            assert len(views) == days and sum(views) == total

    def test_top_articles_by_period(self, editor_client, history):
        week = editor_client.get(f"{STATS_URL}?top=7").content.decode()
        table = week[week.index('id="top-articles"') :]
        assert table.index("First story") < table.index("Second story")  # 12 before 11
        assert re.search(r"First story</a>.*?<td>12</td>", table, re.S)
        today = editor_client.get(f"{STATS_URL}?top=1").content.decode()
        top_today = today[today.index('id="top-articles"') :]
        assert "First story" in top_today and "Second story" not in top_today
        ninety = editor_client.get(f"{STATS_URL}?top=90").content.decode()
        assert re.search(r"Second story</a>.*?<td>111</td>", ninety, re.S)

    def test_bad_parameters_are_explained(self, editor_client, history):
        response = editor_client.get(f"{STATS_URL}?days=7&top=week")
        html = response.content.decode()
        assert response.status_code == 400
        assert "There is no chart for “7” days: choose 30, 90 or 365." in html
        assert "There is no period “week” for the top articles." in html
        assert len(chart_data(html, "site-views-data")[1]) == 30

    def test_readers_cannot_see_it(self, client, db):
        response = client.get(STATS_URL)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_listed_in_the_admin(self, editor_client, db):
        html = editor_client.get("/admin/").content.decode()
        assert f'href="{STATS_URL}"' in html


@pytest.mark.django_db
class TestArticleChart:
    """Each article's admin page has its views per day, as a chart and a table."""

    def test_on_the_change_page(self, editor_client, history):
        first = history["first"]
        html = editor_client.get(f"/admin/articles/article/{first.pk}/change/").content.decode()
        timestamps, views = chart_data(html, f"article-{first.pk}-views-data")
        assert len(views) == 90 and views[-1] == 5 and views[-3] == 7
        assert {b - a for a, b in itertools.pairwise(timestamps)} == {86400}
        assert "Views per day, last 90 days: 12 views" in html
        assert f"<td>{history['today']:%Y-%m-%d}</td><td>5</td>" in html

    def test_not_on_the_add_page(self, editor_client, db):
        html = editor_client.get("/admin/articles/article/add/").content.decode()
        assert "data-views-chart" not in html


@pytest.mark.django_db
class TestStatsCommand:
    """`byline stats` prints the top articles and totals of a period as a table."""

    def test_table(self, history, capsys):
        call_command("stats", period="7d", top=10)
        out = capsys.readouterr().out
        lines = out.splitlines()
        assert lines[0].startswith("Most viewed articles, the last 7 days")
        header = next(line for line in lines if line.startswith("#"))
        assert header.split() == ["#", "views", "article", "author", "published"]
        rows = [line for line in lines if re.match(r"\d+ ", line)]
        assert "First story" in rows[0] and rows[0].split()[1] == "12"
        assert "Second story" in rows[1] and rows[1].split()[1] == "11"
        assert "Views in the last 7 days: 23" in out
        assert "Views today: 5" in out
        assert "Views all time: 123" in out

    def test_all_time_and_top(self, history, capsys):
        call_command("stats", period="all", top=1)
        out = capsys.readouterr().out
        rows = [line for line in out.splitlines() if re.match(r"\d+ ", line)]
        assert len(rows) == 1 and "Second story" in rows[0] and " 111 " in rows[0]

    def test_bad_period(self, db):
        with pytest.raises(CommandError, match="Unknown period 'week'"):
            call_command("stats", period="week", top=10)
