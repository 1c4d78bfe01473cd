"""RSS 2.0 and Atom feeds: each parses cleanly with feedparser and holds the right items
only, without any email address."""

import feedparser
import pytest

from byline.discovery.feeds import ARTICLES_IN_FEED
from tests.factories import ArticleFactory


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed, body, response["Content-Type"]


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


FEEDS = [
    # (url, version, expected titles)
    ("/feeds/rss/", "rss20", ["Facebook mulled investing in Xiaomi", "Routers reviewed"]),
    ("/feeds/atom/", "atom10", ["Facebook mulled investing in Xiaomi", "Routers reviewed"]),
    ("/category/business/rss/", "rss20", ["Facebook mulled investing in Xiaomi"]),
    ("/category/business/atom/", "atom10", ["Facebook mulled investing in Xiaomi"]),
    ("/tag/xiaomi/rss/", "rss20", ["Facebook mulled investing in Xiaomi"]),
    ("/tag/xiaomi/atom/", "atom10", ["Facebook mulled investing in Xiaomi"]),
    ("/author/tech-guru/rss/", "rss20", ["Facebook mulled investing in Xiaomi"]),
    ("/author/ann-other/atom/", "atom10", ["Routers reviewed"]),
    (
        "/feeds/comments/rss/",
        "rss20",
        [
            "Comment on Routers reviewed by Router Fan",
            "Comment on Facebook mulled investing in Xiaomi by Careful Reader",
        ],
    ),
    (
        "/feeds/comments/atom/",
        "atom10",
        [
            "Comment on Routers reviewed by Router Fan",
            "Comment on Facebook mulled investing in Xiaomi by Careful Reader",
        ],
    ),
]


@pytest.mark.django_db
class TestFeeds:
    """Published articles and approved comments only; drafts, scheduled articles,
    held and spam comments never appear; no email address anywhere."""

    @pytest.mark.parametrize(("url", "version", "expected"), FEEDS)
    def test_feed(self, client, newsroom, url, version, expected):
        feed, body, content_type = parse(client, url)
        assert feed.version == version
        assert sorted(titles(feed)) == sorted(expected)
        for text in ("Draft about tablets", "Embargoed chip launch", "Pending", "Spammer"):
            assert text not in body
        for email in newsroom.emails:
            assert email not in body
        assert "@" not in body.replace("http://www.w3.org", "")
        assert ("rss" if version == "rss20" else "atom") in content_type

    def test_article_comments_feed(self, client, newsroom):
        base = newsroom.article.get_absolute_url()
        for kind, version in (("rss", "rss20"), ("atom", "atom10")):
            feed, body, _ = parse(client, f"{base}comments/{kind}/")
            assert feed.version == version
            assert titles(feed) == ["By: Careful Reader"]
            entry = feed.entries[0]
            assert entry.link.endswith(f"{base}#comment-{newsroom.approved.pk}")
            assert "Approved words." in entry.summary
            assert entry.author == "Careful Reader"
            assert "Pending" not in body and "Spammer" not in body
            for email in newsroom.emails:
                assert email not in body

    def test_article_entry_details(self, client, newsroom):
        feed, _, _ = parse(client, "/feeds/rss/")
        entry = next(e for e in feed.entries if e.title == newsroom.article.title)
        assert entry.link == f"http://testserver{newsroom.article.get_absolute_url()}"
        assert entry.summary == "Mark Zuckerberg met Xiaomi's CEO Lei Jun in Beijing."
        assert entry.author == "Tech Guru"
        assert [tag.term for tag in entry.tags] == ["Business"]
        assert entry.published_parsed is not None
        atom, _, _ = parse(client, "/feeds/atom/")
        assert atom.entries[0].author_detail.href == "http://testserver/author/tech-guru/"

    def test_newest_first_and_bounded(self, client, newsroom):
        for _ in range(ARTICLES_IN_FEED + 3):
            ArticleFactory(author=newsroom.guru)
        feed, _, _ = parse(client, "/feeds/rss/")
        dates = [entry.published_parsed for entry in feed.entries]
        assert len(dates) == ARTICLES_IN_FEED
        assert dates == sorted(dates, reverse=True)

    def test_unknown_and_unpublished_are_404(self, client, newsroom):
        assert client.get("/category/nope/rss/").status_code == 404
        assert client.get("/tag/nope/atom/").status_code == 404
        assert client.get("/author/nope/rss/").status_code == 404
        scheduled = newsroom.scheduled.get_absolute_url()
        assert client.get(f"{scheduled}comments/rss/").status_code == 404
        base = newsroom.article.get_absolute_url()
        wrong_month = base.replace(base.split("/")[2], "01" if "/01/" not in base else "02", 1)
        assert client.get(f"{wrong_month}comments/rss/").status_code == 404

    def test_names_kept_for_redirects(self, newsroom):
        from django.urls import reverse

        article = newsroom.article
        local = article.published_at
        assert reverse("discovery:feed-rss") == "/feeds/rss/"
        assert reverse("discovery:feed-atom") == "/feeds/atom/"
        assert reverse("discovery:comments-rss") == "/feeds/comments/rss/"
        assert reverse("discovery:comments-atom") == "/feeds/comments/atom/"
        for kind in ("category", "tag", "author"):
            assert reverse(f"discovery:{kind}-rss", kwargs={"slug": "x"}) == f"/{kind}/x/rss/"
            assert reverse(f"discovery:{kind}-atom", kwargs={"slug": "x"}) == f"/{kind}/x/atom/"
        kwargs = {"year": local.year, "month": local.month, "slug": article.slug}
        url = article.get_absolute_url()
        assert reverse("discovery:article-comments-rss", kwargs=kwargs) == f"{url}comments/rss/"
        assert reverse("discovery:article-comments-atom", kwargs=kwargs) == f"{url}comments/atom/"


@pytest.mark.django_db
class TestFeedDiscovery:
    """Pages announce their feeds with <link rel="alternate">."""

    def alternates(self, client, url: str) -> set[str]:
        html = client.get(url).content.decode()
        return {
            part.split('href="')[1].split('"')[0]
            for part in html.split("<link ")[1:]
            if part.startswith('rel="alternate"')
        }

    def test_site_feeds_everywhere(self, client, newsroom):
        for url in ("/", "/category/business/", newsroom.article.get_absolute_url()):
            assert {"/feeds/rss/", "/feeds/atom/", "/feeds/comments/rss/"} <= self.alternates(
                client, url
            )

    def test_archive_and_article_feeds(self, client, newsroom):
        assert {"/category/business/rss/", "/category/business/atom/"} <= self.alternates(
            client, "/category/business/"
        )
        assert {"/tag/xiaomi/rss/", "/tag/xiaomi/atom/"} <= self.alternates(client, "/tag/xiaomi/")
        assert {"/author/tech-guru/rss/"} <= self.alternates(client, "/author/tech-guru/")
        url = newsroom.article.get_absolute_url()
        assert f"{url}comments/rss/" in self.alternates(client, url)
