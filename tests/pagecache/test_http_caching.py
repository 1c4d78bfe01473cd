"""HTTP caching of public pages through Django (the page cache's layer is not in the
test client's path): validators, 304s, and Cache-Control a CDN can follow."""

import pytest

from tests.pageviews.live_sites import READER_UA


@pytest.mark.django_db
class TestPublicPages:
    def test_lists_have_an_etag_and_a_cdn_lifetime(self, client, article):
        first = client.get("/")
        assert first["ETag"]
        assert first["Cache-Control"] == (
            "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
        )
        again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert "X-Byline-Cache-Tags" in first  # read and removed by the page cache's layer

    def test_an_article_counted_in_the_server_must_reach_it(self, client, article):
        page = client.get(article.get_absolute_url(), HTTP_USER_AGENT=READER_UA)
        assert page["Cache-Control"] == "public, max-age=0, no-cache"
        assert page["ETag"]

    def test_behind_a_cdn_with_beacon_counting(self, client, article, settings):
        settings.BYLINE_VIEW_COUNTING = "beacon"
        page = client.get(article.get_absolute_url(), HTTP_USER_AGENT=READER_UA)
        assert "s-maxage=60" in page["Cache-Control"]

    def test_search_and_personal_pages_are_not_public(self, client, article):
        assert "public" not in client.get("/search/?q=xiaomi").get("Cache-Control", "")
        reply = client.get(f"{article.get_absolute_url()}?replytocom=1")
        assert "X-Byline-Cache-Tags" not in reply
