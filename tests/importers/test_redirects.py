"""Old WordPress addresses answer with a 301 to the new ones: /?p=ID, dated permalinks,
nested categories, changed slugs, authors, feeds and uploads."""

import pytest

from byline.articles.models import Article, Category, Tag
from byline.importers.models import WordPressItem
from tests.importers.helpers import run_import, write_wxr, wxr_post


def location(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


@pytest.fixture
def site(db, tmp_path):
    path = write_wxr(
        tmp_path / "site.xml",
        wxr_post(
            101,
            slug="big-phone-launch",
            date_gmt="2014-12-18 09:30:00",
            extra='<category domain="category" nicename="android"><![CDATA[Android]]></category>'
            '<category domain="post_tag" nicename="%e6%97%a5%e6%9c%ac"><![CDATA[日本]]></category>',
        ),
        wxr_post(102, slug="a-draft", status="draft"),
        wxr_post(103, slug="about", post_type="page", link="https://news.example/about/"),
        wxr_post(104, slug="legacy", link="https://news.example/archives/104"),
    )
    run_import(path)
    return Article.objects.get(slug="big-phone-launch")


class TestPostLinks:
    """/?p=ID, /YYYY/MM/DD/slug/ and any other old permalink reach the article."""

    def test_query_string_ids(self, client, site):
        assert location(client, "/?p=101") == "/2014/12/big-phone-launch/"
        assert location(client, "/?page_id=103") == "/about/"
        assert location(client, "/?p=103") == "/about/"
        assert client.get("/?p=102").status_code == 200  # a draft: the home page, no leak
        assert client.get("/?p=999").status_code == 200

    def test_dated_and_custom_permalinks(self, client, site):
        assert location(client, "/2014/12/18/big-phone-launch/") == site.get_absolute_url()
        legacy = Article.objects.get(slug="legacy")
        assert location(client, "/archives/104") == legacy.get_absolute_url()
        assert location(client, "/2014/12/18/") == "/2014/12/"
        assert client.get("/2014/12/18/a-draft/").status_code == 404
        assert client.get("/2014/12/18/no-such-post/").status_code == 404

    def test_new_addresses_are_served_not_redirected(self, client, site):
        assert client.get(site.get_absolute_url()).status_code == 200
        assert client.get("/about/").status_code == 200
        assert client.get("/category/android/").status_code == 200


class TestArchiveLinks:
    """Categories (nested paths too), tags with changed slugs and authors."""

    def test_category_tag_author(self, client, site):
        assert location(client, "/category/phones/android/") == "/category/android/"
        assert location(client, "/?cat=4") == "/category/android/"
        tag = Tag.objects.get(name="日本")
        assert tag.slug != "日本"  # Byline's addresses are ASCII: the slug was rebuilt
        assert location(client, "/tag/日本/") == tag.get_absolute_url()
        assert location(client, "/tag/%E6%97%A5%E6%9C%AC/") == tag.get_absolute_url()
        assert location(client, "/?tag=日本") == tag.get_absolute_url()
        assert client.get("/author/jane/").status_code == 200
        assert location(client, "/?author=7") == "/author/jane/"
        assert client.get("/category/nothing-here/").status_code == 404


class TestFeeds:
    """The old feed addresses point at Byline's feeds (discovery:* URL names, or their
    paths while that app is not installed)."""

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("/feed/", "/feeds/rss/"),
            ("/feed/rss2/", "/feeds/rss/"),
            ("/feed/atom/", "/feeds/atom/"),
            ("/wp-rss2.php", "/feeds/rss/"),
            ("/?feed=rss2", "/feeds/rss/"),
            ("/?feed=atom", "/feeds/atom/"),
            ("/comments/feed/", "/feeds/comments/rss/"),
            ("/?feed=comments-rss2", "/feeds/comments/rss/"),
            ("/category/phones/android/feed/", "/category/android/rss/"),
            ("/category/android/feed/atom/", "/category/android/rss/"),
            ("/author/jane/feed/", "/author/jane/rss/"),
            ("/2014/12/18/big-phone-launch/feed/", "/2014/12/big-phone-launch/comments/rss/"),
        ],
    )
    def test_feed(self, client, site, old, new):
        assert location(client, old) == new

    def test_tag_feed_with_changed_slug(self, client, site):
        tag = Tag.objects.get(name="日本")
        assert location(client, "/tag/日本/feed/") == f"/tag/{tag.slug}/rss/"


class TestUploads:
    """An old upload address reaches the copied file."""

    def test_upload(self, client, site, tmp_path, settings):
        copied = settings.MEDIA_ROOT / "uploads" / "2014" / "12"
        copied.mkdir(parents=True)
        (copied / "a.jpg").write_bytes(b"jpeg")
        assert location(client, "/wp-content/uploads/2014/12/a.jpg") == (
            "/media/uploads/2014/12/a.jpg"
        )
        assert client.get("/wp-content/uploads/2014/12/b.jpg", follow=True).status_code == 404
        assert client.get("/wp-content/uploads/../../secret/").status_code == 404


def test_only_public_things_are_redirected_to(client, site):
    Category.objects.filter(slug="android").delete()
    assert client.get("/category/phones/android/").status_code == 404
    assert WordPressItem.objects.filter(kind="category").exists()
