"""The `beacon` counting mode, for pages cached whole by a CDN: the page's GET counts
nothing; its beacon (a POST from the page's script) counts once per beacon, never for a
bot, and answers the fresh count."""

import pytest
from django.test import Client, override_settings

from byline.articles.models import Article
from byline.pageviews.services import article_views, article_views_add
from tests.conftest import BROWSER_UA
from tests.factories import ArticleFactory
from tests.pageviews.conftest import flush_pending

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def beacon_url(article) -> str:
    return f"/views/{article.pk}/"


def views_of(article) -> int:
    flush_pending()
    return article_views(article_id=article.pk)


@pytest.mark.django_db
class TestBeaconMode:
    """In beacon mode, views come from beacons only."""

    @pytest.fixture(autouse=True)
    def _beacon_mode(self):
        with override_settings(BYLINE_VIEW_COUNTING="beacon"):
            yield

    def test_page_carries_the_script_and_counts_nothing(self, client, article):
        article_views_add(article_id=article.pk, views=1820)
        html = client.get(article.get_absolute_url()).content.decode()
        assert "1820 views" in html
        assert f'data-url="{beacon_url(article)}"' in html and "views-beacon.js" in html
        assert views_of(article) == 1820

    def test_each_beacon_counts_once_and_answers_the_count(self, client, article):
        article_views_add(article_id=article.pk, views=1820)
        for expected in (1821, 1822, 1823):
            response = client.post(beacon_url(article), HTTP_SEC_FETCH_SITE="same-origin")
            assert response.status_code == 200
            assert response.json() == {"views": expected}
            assert "no-store" in response["Cache-Control"]
        assert views_of(article) == 1823

    def test_csrf_is_not_needed(self, article):
        strict = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA)
        assert strict.post(beacon_url(article)).json() == {"views": 1}

    @pytest.mark.parametrize(
        "user_agent",
        [GOOGLEBOT, "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0.0.0 Safari/537.36"],
    )
    def test_never_for_a_bot(self, article, user_agent):
        response = Client(HTTP_USER_AGENT=user_agent).post(beacon_url(article))
        assert response.status_code == 200 and response.json() == {"views": 0}
        assert views_of(article) == 0

    def test_prerendered_page_does_not_count(self, client, article):
        client.post(beacon_url(article), HTTP_SEC_PURPOSE="prefetch;prerender")
        assert views_of(article) == 0

    def test_get_of_the_beacon_is_refused(self, client, article):
        assert client.get(beacon_url(article)).status_code == 405
        assert views_of(article) == 0

    def test_from_another_site_is_refused(self, client, article):
        response = client.post(beacon_url(article), HTTP_SEC_FETCH_SITE="cross-site")
        assert response.status_code == 403
        assert response.json() == {"error": "A view beacon must come from this site's own page."}
        assert views_of(article) == 0

    def test_unknown_or_unpublished_article(self, client, db):
        draft = ArticleFactory(status=Article.Status.DRAFT)
        for url in (beacon_url(draft), "/views/987654/"):
            response = client.post(url)
            assert response.status_code == 404
            assert response.json() == {"error": "No published article has this id."}
        assert views_of(draft) == 0


@pytest.mark.django_db
class TestServerMode:
    """In the default mode there is no beacon, and the page has no beacon script."""

    def test_no_beacon(self, client, article):
        response = client.post(beacon_url(article))
        assert response.status_code == 404
        assert "BYLINE_VIEW_COUNTING=server" in response.json()["error"]
        assert "views-beacon.js" not in client.get(article.get_absolute_url()).content.decode()
        assert views_of(article) == 1  # the GET above
