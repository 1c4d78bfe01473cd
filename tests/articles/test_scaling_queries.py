"""Reader pages cost the same on a site of a hundred articles and of a hundred thousand:
none reads past rows with OFFSET, none counts a big table (articles, comments, views).

Only the SQL is checked here; bench/scaling.sh measures the pages themselves. Two OFFSETs
are bounded by design and allowed: a search result page's (within the last CANDIDATES
matches, search.py) and a comment page's within one article (?cpage=, not tested here).
One aggregate is too: related articles count the tags they share with the article among
their newest CANDIDATES (related.py), not among every article sharing a category."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.articles.pagination import encode_cursor
from byline.discovery.related import CANDIDATES as RELATED_CANDIDATES
from byline.discovery.search import CANDIDATES as SEARCH_CANDIDATES
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    TagFactory,
)

BIG_TABLES = re.compile(r"\b(articles_article\w*|comments_comment|pageviews_\w+)\b")
OFFSET = re.compile(r"\bOFFSET\s+(\d+)", re.IGNORECASE)
COUNT = re.compile(r"\bCOUNT\s*\(", re.IGNORECASE)
COUNT_ALL = re.compile(r"\bCOUNT\s*\(\s*\*\s*\)", re.IGNORECASE)


def offending(sql: str) -> list[str]:
    problems = []
    offsets = [int(value) for value in OFFSET.findall(sql)]
    bounded_search = f"LIMIT {SEARCH_CANDIDATES}" in sql
    if any(offsets) and not bounded_search:
        problems.append("OFFSET scan")
    # Related articles count shared tags among their bounded candidates only.
    bounded_related = f"LIMIT {RELATED_CANDIDATES}" in sql and not COUNT_ALL.search(sql)
    if COUNT.search(sql) and BIG_TABLES.search(sql) and not bounded_related:
        problems.append("COUNT over a big table")
    return problems


def page_sql(client, url: str, data: dict | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def site(db):
    author = AuthorFactory(slug="tech-guru")
    category, tag = CategoryFactory(slug="phones"), TagFactory(slug="xiaomi")
    articles = [
        ArticleFactory(author=author, title=f"Xiaomi phone story {n}", body="Xiaomi phones.")
        for n in range(45)
    ]
    for found in articles:
        found.categories.add(category)
        found.tags.add(tag)
    first = articles[0]
    parent = None
    for index in range(12):
        parent = CommentFactory(
            article=first,
            parent=parent if index % 3 else None,
            depth=index % 3 + 1,
        )
    first.comment_count = 12
    first.save()
    from byline.discovery.search import search_index_rebuild

    search_index_rebuild()
    newest_first = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    return {"article": first, "newest_first": newest_first}


READER_PAGES = [
    "/",
    "/category/phones/",
    "/tag/xiaomi/",
    "/author/tech-guru/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/comments/rss/",
    "/feeds/comments/atom/",
    "/category/phones/rss/",
    "/tag/xiaomi/atom/",
    "/author/tech-guru/rss/",
]


@pytest.mark.django_db
class TestNoOffsetNoCount:
    """No reader page reads past rows with OFFSET or counts a big table."""

    @pytest.mark.parametrize("url", READER_PAGES)
    def test_lists_and_feeds(self, client, site, url):
        for sql in page_sql(client, url):
            assert not offending(sql), (offending(sql), sql)

    def test_article_page_and_its_comment_feed(self, client, site):
        url = site["article"].get_absolute_url()
        for page in (url, url + "comments/rss/"):
            for sql in page_sql(client, page):
                assert not offending(sql), (offending(sql), sql)

    @pytest.mark.parametrize("archive", ["/", "/category/phones/", "/tag/xiaomi/"])
    def test_deep_pages_by_cursor(self, client, site, archive):
        # The page after the 30th article, and the one before it: as the links give them.
        cursor = encode_cursor(site["newest_first"][29])
        for name in ("before", "after"):
            sqls = page_sql(client, archive, {name: cursor})
            for sql in sqls:
                assert not offending(sql), (offending(sql), sql)
            assert any(
                "published_at" in sql and "articles_article" in sql for sql in sqls
            )  # the cursor's range, not a skip

    def test_search_pages(self, client, site):
        for data in ({"q": "xiaomi"}, {"q": "xiaomi", "page": "2"}, {"q": "xiaomy"}):
            for sql in page_sql(client, "/search/", data):
                assert not offending(sql), (offending(sql), sql)


class TestTheCheckItself:
    """The checker sees what it must, and only that."""

    def test_flags(self):
        assert offending('SELECT * FROM "articles_article" LIMIT 11 OFFSET 10000')
        assert offending('SELECT COUNT(*) AS "__count" FROM "comments_comment"')
        assert not offending('SELECT * FROM "articles_article" LIMIT 11')
        assert not offending('SELECT * FROM "articles_article" LIMIT 11 OFFSET 0')
        assert not offending('SELECT COUNT(*) FROM "comments_commentstatuscount"')
        related = 'SELECT COUNT(DISTINCT "articles_article_tags"."tag_id") FROM "articles_article"'
        assert offending(related)
        assert not offending(f"{related} WHERE id IN (SELECT id LIMIT {RELATED_CANDIDATES})")
