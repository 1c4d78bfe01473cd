"""Archives: keyset pagination at its boundaries, with neither OFFSET nor COUNT in any
archive query, and related articles under each article."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.articles.pagination import encode_cursor
from tests.factories import ArticleFactory, CategoryFactory, TagFactory


def titles_and_links(client, url: str) -> tuple[list[str], str | None, str | None]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    titles = [
        part.split("</a></h2>")[0].split(">")[-1]
        for part in html.split('<h2 class="entry-title">')[1:]
    ]

    def link(rel: str) -> str | None:
        marker = f'rel="{rel}"' + (' class="older"' if rel == "next" else "") + ' href="?'
        if marker not in html:
            return None
        return html.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&")

    return titles, link("prev"), link("next")


@pytest.fixture
def category_with_seven(author):
    category = CategoryFactory(name="Phones", slug="phones")
    now = timezone.now()
    articles = []
    for n in range(7):
        article = ArticleFactory(
            author=author, title=f"Phone story {n}", published_at=now - timedelta(hours=n + 1)
        )
        article.categories.add(category)
        articles.append(article)
    # Two more with the same publication time, told apart by their id.
    for n in (7, 8):
        twin = ArticleFactory(
            author=author, title=f"Phone story {n}", published_at=now - timedelta(hours=8)
        )
        twin.categories.add(category)
        articles.append(twin)
    ArticleFactory(author=author, title="Unrelated story")
    return articles


ARCHIVES = ["/category/phones/", "/author/tech-guru/", "/"]


@pytest.mark.django_db
class TestPaginationBoundaries:
    """First page has no "Newer" link, last page no "Older" link; walking both ways
    visits every article once, including ties on the publication time."""

    @pytest.fixture(autouse=True)
    def _three_per_page(self, settings):
        settings.BYLINE_ARTICLES_PER_PAGE = 3

    def test_walk_older_then_newer(self, client, category_with_seven):
        expected = [f"Phone story {n}" for n in (0, 1, 2, 3, 4, 5, 6)]
        twins = sorted(category_with_seven[7:], key=lambda a: a.pk, reverse=True)
        expected += [a.title for a in twins]
        pages, url, seen = [], "/category/phones/", []
        while url:
            titles, newer, older = titles_and_links(client, url)
            pages.append((titles, newer is not None, older is not None))
            seen += titles
            url = f"/category/phones/?{older}" if older else None
        assert seen == expected
        assert [len(t) for t, _, _ in pages] == [3, 3, 3]
        assert [(has_newer, has_older) for _, has_newer, has_older in pages] == [
            (False, True),
            (True, True),
            (True, False),
        ]

    def test_newer_from_the_last_page(self, client, category_with_seven):
        titles, _, older = titles_and_links(client, "/category/phones/")
        _, _, older = titles_and_links(client, f"/category/phones/?{older}")
        _, newer, none = titles_and_links(client, f"/category/phones/?{older}")
        assert none is None
        middle, newer2, _ = titles_and_links(client, f"/category/phones/?{newer}")
        assert middle == [f"Phone story {n}" for n in (3, 4, 5)]
        first, newest, _ = titles_and_links(client, f"/category/phones/?{newer2}")
        assert first == titles and newest is None

    def test_exact_multiple_has_no_empty_last_page(self, client, author):
        for _ in range(6):
            ArticleFactory(author=author)
        _, _, older = titles_and_links(client, "/author/tech-guru/")
        titles, _, older = titles_and_links(client, f"/author/tech-guru/?{older}")
        assert len(titles) == 3 and older is None

    def test_single_page_has_no_links(self, client, author):
        ArticleFactory(author=author)
        titles, newer, older = titles_and_links(client, "/author/tech-guru/")
        assert len(titles) == 1 and newer is None and older is None

    def test_cursor_from_another_archive_still_filters(self, client, category_with_seven):
        outsider = ArticleFactory(title="Outsider", published_at=timezone.now())
        titles, _, _ = titles_and_links(
            client, f"/category/phones/?before={encode_cursor(outsider)}"
        )
        assert "Outsider" not in titles and titles[0] == "Phone story 0"

    @pytest.mark.parametrize("url", ARCHIVES)
    def test_no_offset_and_no_count(self, client, category_with_seven, url):
        _, _, older = titles_and_links(client, url)
        for page_url in (url, f"{url}?{older}"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page_url).status_code == 200
            for query in captured.captured_queries:
                sql = query["sql"].upper()
                assert " OFFSET " not in sql, sql
                assert "COUNT(" not in sql, sql


@pytest.mark.django_db
class TestRelatedArticles:
    """Related articles share the most tags and categories; otherwise, similar text."""

    def related(self, client, article) -> list[str]:
        html = client.get(article.get_absolute_url()).content.decode()
        if 'id="related-title"' not in html:
            return []
        section = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
        return [part.split("</a>")[0].split(">")[-1] for part in section.split("<li>")[1:]]

    def test_most_shared_first(self, client, author):
        phones, china = CategoryFactory(), CategoryFactory()
        xiaomi, huawei = TagFactory(), TagFactory()
        article = ArticleFactory(author=author, title="Main story")
        article.categories.add(phones, china)
        article.tags.add(xiaomi, huawei)
        three = ArticleFactory(author=author, title="Shares three")
        three.categories.add(phones, china)
        three.tags.add(xiaomi)
        one_new = ArticleFactory(
            author=author, title="Shares one, newer", published_at=timezone.now()
        )
        one_new.tags.add(huawei)
        two = ArticleFactory(author=author, title="Shares two")
        two.categories.add(phones)
        two.tags.add(huawei)
        ArticleFactory(author=author, title="Shares nothing")
        # (Nothing is in the search index here: no text similarity fills the fourth place.)
        assert self.related(client, article) == ["Shares three", "Shares two", "Shares one, newer"]

    def test_drafts_and_itself_are_never_related(self, client, author):
        tag = TagFactory()
        article = ArticleFactory(author=author, title="Main story")
        draft = ArticleFactory(author=author, title="A draft", status="draft", published_at=None)
        for a in (article, draft):
            a.tags.add(tag)
        assert self.related(client, article) == []

    def test_similar_text_fills_in(self, client, author, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            article = ArticleFactory(author=author, title="Xiaomi launches a tablet")
            ArticleFactory(author=author, title="Tablet sales fall")
            ArticleFactory(author=author, title="Routers reviewed")
        assert self.related(client, article) == ["Tablet sales fall"]

    def test_new_article_shows_up_after_a_save(
        self, client, author, django_capture_on_commit_callbacks
    ):
        tag = TagFactory()
        article = ArticleFactory(author=author, title="Main story")
        article.tags.add(tag)
        assert self.related(client, article) == []  # now cached
        newer = ArticleFactory(author=author, title="Newer related")
        newer.tags.add(tag)
        assert self.related(client, article) == []  # still cached: its save has not committed yet
        with django_capture_on_commit_callbacks(execute=True):
            newer.save()
        assert self.related(client, article) == ["Newer related"]


@pytest.mark.django_db
class TestCursorBoundComesFirst:
    """A deep page's query starts its WHERE with the cursor's bound on `published_at`:
    SQLite walks the index from the first of two upper bounds, so a cursor placed after
    published()'s `<= now` would make it read every newer article first."""

    def test_where_starts_with_the_cursor(self, client, author):
        old = ArticleFactory(author=author, published_at=timezone.now().replace(year=2014))
        ArticleFactory(author=author, published_at=timezone.now().replace(year=2013))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/?before={encode_cursor(old)}").status_code == 200
        (listing,) = [
            q["sql"]
            for q in captured.captured_queries
            if "ORDER BY" in q["sql"] and '"summary"' in q["sql"]  # the list, not other blocks
        ]
        where = listing.split(" WHERE ", 1)[1]
        first_bound = where.split('"published_at" <= ', 1)[1][:40]
        assert "2014-" in first_bound, where
