"""The article page's SQL queries do not grow with its comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.articles.models import Category, Tag
from byline.pagecache.marks import article_comments
from byline.pagecache.purge import purge_now
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

# The article page with its parts to build (after a change to its comments): its comment
# count, its categories, its tags, the thread, and counting the view (a transaction of two
# upserts: 4 statements); after a change to an article, one more (the article itself).
# With its parts kept (byline.articles.fragments): counting the view, nothing else.
BUDGET = 8
KEPT_BUDGET = 4


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
class TestArticlePageQueries:
    """A fixed number of queries, at most 8 when the page's parts are built and 4 when
    they are kept, with 0 or 500 comments."""

    def test_budget_is_flat(self, client, article):
        url = article.get_absolute_url()
        client.get(url)  # moderation settings now cached
        purge_now([article_comments(article.pk)])  # as a comment's change does
        empty = queries_for(client, url)
        kept = queries_for(client, url)
        parent = None
        for index in range(500):
            parent = CommentFactory(
                article=article,
                parent=parent if index % 5 else None,
                depth=(index % 5) + 1,
            )
        client.get(url)  # the settings' 5 s cache may have expired
        purge_now([article_comments(article.pk)])
        full = queries_for(client, url)
        assert empty == full <= BUDGET
        assert queries_for(client, url) == kept <= KEPT_BUDGET

    def test_home_budget(self, client, article):
        client.get("/")
        assert queries_for(client, "/") <= 3


# Every reader page other than the article: its query count with a few articles, and
# the most it may take. The count must not grow with the site (checked at 30 articles).
PAGE_BUDGETS = {
    "/": 2,
    "/category/phones/": 3,
    "/tag/xiaomi/": 3,
    "/author/{author}/": 3,
    "/{year}/": 2,
    "/{year}/{month:02d}/": 2,
    "/search/?q=xiaomi": 3,
    "/feeds/rss/": 2,
    "/feeds/atom/": 2,
    "/category/phones/rss/": 3,
    "/tag/xiaomi/atom/": 3,
    "/author/{author}/rss/": 3,
    "/feeds/comments/rss/": 1,
    "{article}comments/rss/": 2,
}


def add_articles(author, count: int, *, comments_each: int = 2) -> list:
    category = CategoryFactory(name="Phones", slug="phones") if count == 3 else None
    category = category or Category.objects.get(slug="phones")
    tag = Tag.objects.get_or_create(slug="xiaomi", defaults={"name": "Xiaomi"})[0]
    articles = []
    for _ in range(count):
        article = ArticleFactory(author=author, title="Xiaomi phones, again", body="Xiaomi.")
        article.categories.add(category)
        article.tags.add(tag)
        for _ in range(comments_each):
            CommentFactory(article=article, depth=1)
        articles.append(article)
    return articles


@pytest.mark.django_db
def test_reader_pages_have_a_fixed_budget(client, author):
    """Home, archives, search and feeds: a fixed number of queries, whatever the size."""
    articles = add_articles(author, 3)
    first = articles[0]
    placeholders = {
        "author": author.slug,
        "year": first.published_at.year,
        "month": first.published_at.month,
        "article": first.get_absolute_url(),
    }
    urls = {path.format(**placeholders): budget for path, budget in PAGE_BUDGETS.items()}
    for url in urls:
        client.get(url)  # settings and caches warmed
    small = {url: queries_for(client, url) for url in urls}
    add_articles(author, 30)
    large = {url: queries_for(client, url) for url in urls}
    for url, budget in urls.items():
        assert small[url] <= budget, (url, small[url])
        assert large[url] == small[url], (url, small[url], large[url])
