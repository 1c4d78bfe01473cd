"""Each GET of an article page by a reader counts one view, atomically, and the page
shows the count including it. HEAD requests, prefetches and bots are not counted."""

import re

import pytest
from django.db.models import Sum

from byline.pageviews.models import ArticleViews, DailyViews
from byline.pageviews.policy import is_bot
from byline.pageviews.services import article_views, article_views_add, views_by_article


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

    def test_per_day_counts_add_up_to_the_total(self, client, article):
        article_views_add(article_id=article.pk, views=10, day=article.published_at.date())
        for _ in range(3):
            client.get(article.get_absolute_url())
        total = ArticleViews.objects.get(article=article).views
        assert total == 13
        assert DailyViews.objects.filter(article=article).aggregate(n=Sum("views"))["n"] == total

    def test_views_for_many_articles(self, article):
        article_views_add(article_id=article.pk, views=5)
        assert views_by_article([article.pk, 987654]) == {article.pk: 5, 987654: 0}


@pytest.mark.django_db
class TestNotCounted:
    """What is not a reader's view is not counted."""

    def test_head_is_not_counted(self, client, article):
        client.head(article.get_absolute_url())
        assert article_views(article_id=article.pk) == 0

    @pytest.mark.parametrize(
        "user_agent",
        [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
            "Mozilla/5.0 (compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "curl/8.5.0",
            "python-requests/2.32.3",
        ],
    )
    def test_bots_are_not_counted(self, article, user_agent):
        from django.test import Client

        response = Client(HTTP_USER_AGENT=user_agent).get(article.get_absolute_url())
        assert response.status_code == 200
        assert article_views(article_id=article.pk) == 0

    @pytest.mark.parametrize(
        "header",
        [
            {"HTTP_SEC_PURPOSE": "prefetch"},
            {"HTTP_PURPOSE": "prefetch"},
            {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        ],
    )
    def test_prefetch_is_not_counted(self, client, article, header):
        client.get(article.get_absolute_url(), **header)
        assert article_views(article_id=article.pk) == 0

    def test_browsers_are_not_bots(self):
        assert not is_bot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
        )
        assert not is_bot("")

    def test_failed_comment_post_is_not_a_view(self, client, article):
        client.post("/comments/post/", {"article": article.pk, "comment": ""})
        assert article_views(article_id=article.pk) == 0
