"""Sitemaps and robots.txt: well-formed XML with the right addresses and times, and no
email address."""

from datetime import timedelta
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as ET
import pytest
from django.utils import timezone

from byline.articles.models import Article
from tests.factories import ArticleFactory

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BASE = "http://testserver"


def xml(client, url: str) -> tuple[Element, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    return ET.fromstring(response.content), body


def locations(root: Element) -> list[str]:
    return [loc.text for loc in root.findall(".//sm:loc", NS)]


@pytest.mark.django_db
class TestSitemaps:
    """The index lists every section; each section lists its public pages only."""

    def test_index(self, client, newsroom):
        root, _ = xml(client, "/sitemap.xml")
        assert root.tag == f"{{{NS['sm']}}}sitemapindex"
        assert set(locations(root)) == {
            f"{BASE}/sitemap-{section}.xml"
            for section in ("articles", "categories", "tags", "authors", "news")
        }
        lastmods = root.findall(".//sm:lastmod", NS)
        assert len(lastmods) == 5

    def test_articles(self, client, newsroom):
        root, _ = xml(client, "/sitemap-articles.xml")
        assert locations(root) == [
            BASE + newsroom.article.get_absolute_url(),
            BASE + newsroom.elsewhere.get_absolute_url(),
        ]
        lastmod = root.find("sm:url/sm:lastmod", NS).text
        assert lastmod == str(timezone.localdate(newsroom.article.updated_at))

    def test_categories_tags_authors_have_public_articles(self, client, newsroom):
        root, _ = xml(client, "/sitemap-categories.xml")
        assert locations(root) == [f"{BASE}/category/business/"]
        root, _ = xml(client, "/sitemap-tags.xml")
        assert locations(root) == [f"{BASE}/tag/xiaomi/"]
        root, _ = xml(client, "/sitemap-authors.xml")
        assert locations(root) == [f"{BASE}/author/tech-guru/", f"{BASE}/author/ann-other/"]
        lastmod = root.find("sm:url/sm:lastmod", NS).text
        # The author's newest public article, not the scheduled one.
        assert lastmod == str(timezone.localdate(newsroom.article.published_at))

    def test_news_has_the_last_two_days(self, client, newsroom):
        old = ArticleFactory(author=newsroom.guru, published_at=timezone.now() - timedelta(days=3))
        root, body = xml(client, "/sitemap-news.xml")
        assert locations(root) == [BASE + newsroom.article.get_absolute_url()]
        news = root.find("sm:url/news:news", NS)
        assert news.find("news:title", NS).text == "Facebook mulled investing in Xiaomi"
        assert news.find("news:publication/news:name", NS).text == "Byline"
        assert news.find("news:publication/news:language", NS).text == "en"
        assert news.find("news:publication_date", NS).text.startswith(
            str(timezone.localtime(newsroom.article.published_at).date())
        )
        assert old.title not in body

    def test_unknown_section_is_404(self, client, newsroom):
        assert client.get("/sitemap-nope.xml").status_code == 404

    def test_no_private_data(self, client, newsroom):
        for url in [f"/sitemap-{s}.xml" for s in ("articles", "categories", "tags", "authors")]:
            _, body = xml(client, url)
            for email in newsroom.emails:
                assert email not in body
            assert "Draft about tablets" not in body and newsroom.draft.slug not in body
            assert newsroom.scheduled.slug not in body

    def test_xml_special_characters(self, client, newsroom):
        Article.objects.filter(pk=newsroom.article.pk).update(title='Q&A: "Xiaomi" <beats> Apple')
        root, _ = xml(client, "/sitemap-news.xml")
        assert root.find(".//news:title", NS).text == 'Q&A: "Xiaomi" <beats> Apple'


@pytest.mark.django_db
class TestRobots:
    """robots.txt points to the sitemaps and keeps crawlers out of private paths."""

    def test_robots(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Disallow: /admin/" in lines
        assert f"Sitemap: {BASE}/sitemap.xml" in lines
        assert f"Sitemap: {BASE}/sitemap-news.xml" in lines
