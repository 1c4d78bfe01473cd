"""The page cache, against a running `byline serve`: pages come from the cache for
anonymous readers, every change purges the pages it touches (the very next request shows
it), views on cache hits are counted exactly, and personal requests bypass the cache."""

import gzip
import re
import time
import urllib.parse

import pytest

from byline.pagecache.purge import CLOCK_MARGIN
from tests.live import ARTICLE_PATH, BOT_UA, start_site
from tests.pagecache.http import Reader
from tests.pageviews.live_sites import READER_UA, drained

pytestmark = pytest.mark.timeout(300)

# A second article with a category and a tag, by a second author, for the purge tests.
SETUP = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.models import ModerationSettings
# Every reader here posts from 127.0.0.1: no flood interval between their comments.
ModerationSettings.objects.update_or_create(pk=1, defaults={"flood_interval": 0})
user = get_user_model().objects.create(username="reporter")
author = Author.objects.create(user=user, display_name="Rita Reporter", slug="rita")
article = Article.objects.create(
    title="Cache story one", slug="cache-story", author=author, body="First text.",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1),
)
article.categories.add(Category.objects.create(name="Phones", slug="phones"))
article.tags.add(Tag.objects.create(name="Xiaomi", slug="xiaomi"))
print(article.get_absolute_url())
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = start_site(tmp_path_factory.mktemp("pagecache"), workers=2)
    try:
        site.cache_story = site.shell(SETUP).strip().splitlines()[-1]
        # A first page after the comment settings were made (a change that purges every
        # page); then a second for the servers' clock margin.
        Reader(site.base_url, user_agent=BOT_UA).get(ARTICLE_PATH)
        time.sleep(CLOCK_MARGIN + 0.2)
        yield site
    finally:
        site.stop()


def pages_of_the_story(site) -> list[str]:
    story = site.cache_story
    year, month = story.strip("/").split("/")[:2]
    return [
        story, "/", "/category/phones/", "/tag/xiaomi/", "/author/rita/",
        f"/{year}/{month}/", f"/{year}/", "/feeds/rss/", "/feeds/atom/",
        "/category/phones/rss/", "/author/rita/atom/", "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]  # fmt: skip


def warm(reader: Reader, paths: list[str]) -> None:
    """Fetch each page until it comes from the cache: the second time, or, within a
    second of a purge (the margin for servers' clocks), a little later."""
    for path in paths:
        for _ in range(30):
            if reader.get(path).headers.get("X-Byline-Cache") == "hit":
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"{path} never came from the cache")


class TestHits:
    def test_pages_come_from_the_cache(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        first = reader.get("/")
        assert first.headers["X-Byline-Cache"] == "miss"
        again = reader.get("/")
        assert again.headers["X-Byline-Cache"] == "hit"
        assert again.body == first.body
        assert "s-maxage=" in again.headers["Cache-Control"]
        assert "stale-while-revalidate=" in again.headers["Cache-Control"]
        assert "X-Byline-Cache-Tags" not in again.headers  # internal headers stay inside
        assert "Set-Cookie" not in again.headers  # a page without a form sets no cookie

    def test_views_on_hits_are_counted_exactly(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        reader.get(ARTICLE_PATH)
        before, _, _ = drained(site)
        shown, kinds = [], []
        for _ in range(25):
            answer = reader.get(ARTICLE_PATH)
            kinds.append(answer.headers["X-Byline-Cache"])
            shown.append(int(re.search(r"data-views>(\d+) views<", answer.body).group(1)))
        assert kinds.count("hit") >= 20
        assert shown == list(range(before + 1, before + 26))  # each shows its own view
        bot = Reader(site.base_url, user_agent=BOT_UA)
        assert bot.get(ARTICLE_PATH).headers["X-Byline-Cache"] == "hit"
        assert bot.get(ARTICLE_PATH, method="HEAD").status == 200
        database, _, pending_too = drained(site)
        assert database == pending_too == before + 25  # bots and HEAD are not counted

    def test_compressed_and_revalidated(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        warm(reader, ["/"])
        packed = reader.get("/", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert gzip.decompress(packed.raw).decode() == reader.get("/").body
        etag = reader.get("/").headers["ETag"]
        assert reader.get("/", headers={"If-None-Match": etag}).status == 304

    def test_each_reader_gets_a_form_token_of_their_own(self, site):
        first = Reader(site.base_url, user_agent=READER_UA)
        warm(first, [ARTICLE_PATH])
        second = Reader(site.base_url, user_agent=READER_UA)
        page = second.get(ARTICLE_PATH)
        assert page.headers["X-Byline-Cache"] == "hit"
        assert second.cookie("csrftoken") and second.cookie("csrftoken") != first.cookie(
            "csrftoken"
        )
        posted = second.post_comment(page.body, "A comment from a page out of the cache.")
        assert posted.status == 303, posted.body[:300]  # not a 403 from the CSRF check


class TestPurges:
    """After each change, every page it touches shows it on the very next request."""

    def change(self, site, code: str) -> None:
        site.shell("from byline.articles.models import Article\n" + code)

    def test_editing_an_article(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        warm(reader, pages_of_the_story(site))
        self.change(
            site,
            'a = Article.objects.get(slug="cache-story"); a.title = "Cache story two"; a.save()',
        )
        for path in pages_of_the_story(site):
            answer = reader.get(path)
            assert answer.status == 200, path
            assert answer.headers["X-Byline-Cache"] == "miss", path  # purged, built anew
            if path != "/sitemap-articles.xml":  # addresses and dates only
                assert "Cache story two" in answer.body, path
                assert "Cache story one" not in answer.body, path

    def test_publishing_unpublishing_and_scheduling(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        lists = pages_of_the_story(site)[1:]
        warm(reader, lists)
        self.change(
            site,
            "from django.utils import timezone\n"
            'a = Article.objects.get(slug="cache-story")\n'
            'Article.objects.create(title="Brand new story", slug="brand-new", author=a.author,'
            " status=Article.Status.PUBLISHED, published_at=timezone.now())",
        )
        assert all("Brand new story" in reader.get(path).body for path in ["/", "/feeds/rss/"])
        self.change(
            site,
            'a = Article.objects.get(slug="brand-new"); a.status = Article.Status.DRAFT; a.save()',
        )
        assert "Brand new story" not in reader.get("/").body
        assert "Brand new story" not in reader.get("/feeds/rss/").body
        # Scheduled: it appears by itself at its time, with nothing saved then.
        self.change(
            site,
            "from datetime import timedelta\nfrom django.utils import timezone\n"
            'a = Article.objects.get(slug="cache-story")\n'
            'Article.objects.create(title="Scheduled story", slug="scheduled", author=a.author,'
            " status=Article.Status.SCHEDULED,"
            " published_at=timezone.now() + timedelta(seconds=4))",
        )
        warm(reader, ["/"])
        assert "Scheduled story" not in reader.get("/").body
        time.sleep(4.5)
        assert "Scheduled story" in reader.get("/").body

    def test_a_comment_becoming_visible(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        story = site.cache_story
        paths = [story, "/", "/feeds/comments/rss/", f"{story}comments/rss/"]
        warm(reader, paths)
        comment_id = site.shell(
            "from byline.articles.models import Article\n"
            "from byline.comments.models import Comment\n"
            'a = Article.objects.get(slug="cache-story")\n'
            "c = Comment.objects.create(article=a, author_name='Held Reader',"
            " author_email='held@mail.example', body='Visible at last',"
            " body_html='<p>Visible at last</p>', status=Comment.Status.PENDING)\n"
            "print(c.pk)"
        ).split()[-1]
        assert "Visible at last" not in reader.get(story).body
        site.shell(
            "from byline.comments.services import comment_moderate\n"
            f"comment_moderate(comment_ids=[{comment_id}], status='approved', reason='test')"
        )
        assert "Visible at last" in reader.get(story).body
        assert "1 Comment" in reader.get(story).body
        for path in paths[2:]:
            assert "Visible at last" in reader.get(path).body, path

    def test_an_author_profile_change(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        paths = [site.cache_story, "/", "/author/rita/", "/feeds/rss/"]
        warm(reader, paths)
        site.shell(
            "from byline.authors.models import Author\n"
            'a = Author.objects.get(slug="rita"); a.display_name = "Rita Renamed"; a.save()'
        )
        for path in paths:
            assert "Rita Renamed" in reader.get(path).body, path


class TestBypass:
    def test_a_reader_with_a_held_comment(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        page = reader.get(site.cache_story)
        # A first comment waits for a moderator (the site's default rules).
        posted = reader.post_comment(page.body, "Please hold this one for me.")
        assert posted.status == 303
        assert reader.cookie("byline_held")
        mine = reader.get(site.cache_story)
        assert "X-Byline-Cache" not in mine.headers
        assert "Please hold this one for me." in mine.body
        assert "awaiting moderation" in mine.body
        other = Reader(site.base_url, user_agent=READER_UA)
        assert "Please hold this one for me." not in other.get(site.cache_story).body

    def test_a_logged_in_editor(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        warm(reader, ["/", ARTICLE_PATH])
        editor = Reader(site.base_url, user_agent=READER_UA)
        login = editor.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body).group(1)
        answer = editor.post(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": "editor", "password": site.editor_password},
        )
        assert answer.status == 302 and editor.cookie("sessionid")
        for path in ["/", ARTICLE_PATH]:
            assert "X-Byline-Cache" not in editor.get(path).headers

    def test_other_queries_and_methods_go_to_django(self, site):
        reader = Reader(site.base_url, user_agent=READER_UA)
        warm(reader, ["/"])
        for path in ["/?utm_source=x", "/?before=1&before=2", f"/?q={urllib.parse.quote('é')}"]:
            assert "X-Byline-Cache" not in reader.get(path).headers, path
        assert "X-Byline-Cache" not in reader.get("/search/?q=xiaomi").headers
