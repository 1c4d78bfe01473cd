"""The read API: what a reader's app or a static-site builder gets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from byline.articles.models import Article
from byline.pageviews.services import article_view_record, article_views, article_views_add
from tests.api.conftest import ApiClient
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    TagFactory,
)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.django_db
class TestArticleList:
    """Published articles only, newest first, filtered as asked, in cursor pages."""

    def test_only_published_newest_first(self, api, author):
        old = ArticleFactory(author=author, published_at=timezone.now() - timedelta(days=3))
        new = ArticleFactory(author=author, published_at=timezone.now() - timedelta(days=1))
        ArticleFactory(author=author, status=Article.Status.DRAFT, published_at=None)
        ArticleFactory(author=author, published_at=timezone.now() + timedelta(days=1))
        assert ids(api.get("/api/v1/articles")) == [new.pk, old.pk]

    def test_items_carry_html_excerpt_and_links(self, api, article):
        category, tag = CategoryFactory(name="Phones"), TagFactory(name="Xiaomi")
        article.categories.add(category)
        article.tags.add(tag)
        (item,) = api.get("/api/v1/articles").json()["items"]
        assert item["html"] == article.body_html and "<p>" in item["html"]
        assert item["excerpt"] == "First paragraph of the story."
        assert item["url"] == "http://testserver" + article.get_absolute_url()
        assert item["author"]["name"] == "Tech Guru" and item["author"]["slug"] == "tech-guru"
        assert [c["name"] for c in item["categories"]] == ["Phones"]
        assert [t["name"] for t in item["tags"]] == ["Xiaomi"]
        assert item["status"] == "published" and item["markdown"] is None

    def test_filters(self, api, author):
        phones, xiaomi = CategoryFactory(slug="phones"), TagFactory(slug="xiaomi")
        other_author = AuthorFactory(slug="someone")
        now = timezone.now()
        a = ArticleFactory(
            author=author, title="Xiaomi ships a phone", published_at=now - timedelta(days=40)
        )
        b = ArticleFactory(
            author=other_author,
            body="Talks about **batteries**.",
            published_at=now - timedelta(days=2),
        )
        c = ArticleFactory(author=author, published_at=now - timedelta(days=1))
        a.categories.add(phones)
        b.tags.add(xiaomi)
        assert ids(api.get("/api/v1/articles?category=phones")) == [a.pk]
        assert ids(api.get("/api/v1/articles?tag=xiaomi")) == [b.pk]
        assert ids(api.get("/api/v1/articles?author=tech-guru")) == [c.pk, a.pk]
        after = (now - timedelta(days=3)).isoformat()
        assert ids(api.get("/api/v1/articles", {"published_after": after})) == [c.pk, b.pk]
        before = (now - timedelta(days=1, hours=12)).isoformat()
        assert ids(api.get("/api/v1/articles", {"published_before": before})) == [b.pk, a.pk]
        assert ids(api.get("/api/v1/articles?q=xiaomi+PHONE")) == [a.pk]
        assert ids(api.get("/api/v1/articles?q=batteries")) == [b.pk]
        assert ids(api.get("/api/v1/articles?category=nothing-here")) == []
        # Any RFC 3339 offset works, also those the database would refuse as such.
        far_east = (now - timedelta(days=3)).astimezone(timezone.get_fixed_timezone(23 * 60 + 59))
        assert ids(api.get("/api/v1/articles", {"published_after": far_east.isoformat()})) == [
            c.pk,
            b.pk,
        ]

    def test_cursor_pages_cover_everything_once(self, api, author):
        created = [ArticleFactory(author=author) for _ in range(25)]
        expected = [
            a.pk for a in sorted(created, key=lambda a: (a.published_at, a.pk), reverse=True)
        ]
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 10, **({"cursor": cursor} if cursor else {})}
            page = api.get("/api/v1/articles", params).json()
            seen += [item["id"] for item in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected and pages == 3

    @pytest.mark.parametrize("cursor", ["zzz", "12-x", "-1-2", "1-2-3", "1234567890123456789-1"])
    def test_a_bad_cursor_is_a_field_error(self, api, article, cursor):
        response = api.get("/api/v1/articles", {"cursor": cursor})
        assert response.status_code == 422
        assert "cursor" in response.json()["fields"]

    def test_drafts_need_the_read_drafts_scope(self, api, author, make_token):
        draft = ArticleFactory(author=author, status=Article.Status.DRAFT, published_at=None)
        later = ArticleFactory(author=author, published_at=timezone.now() + timedelta(days=2))
        assert api.get("/api/v1/articles?status=draft").status_code == 401
        writer_only = ApiClient(make_token("moderate_comments"))
        refused = writer_only.get("/api/v1/articles?status=draft")
        assert refused.status_code == 403 and "read drafts" in refused.json()["message"]
        reader = ApiClient(make_token("read_drafts"))
        assert ids(reader.get("/api/v1/articles?status=draft")) == [draft.pk]
        assert ids(reader.get("/api/v1/articles?status=scheduled")) == [later.pk]
        drafts = reader.get("/api/v1/articles?status=draft").json()["items"]
        assert drafts[0]["markdown"] == draft.body and drafts[0]["url"] is None


@pytest.mark.django_db
class TestOneArticle:
    """By id or by permalink; a draft is not found without the right token."""

    def test_by_id(self, api, article):
        response = api.get(f"/api/v1/articles/{article.pk}")
        assert response.status_code == 200
        assert response.json()["title"] == "Facebook mulled investing in Xiaomi"

    @pytest.mark.parametrize("form", ["path", "url", "no-slash"])
    def test_by_permalink(self, api, article, form):
        path = article.get_absolute_url()
        value = {"path": path, "url": f"https://news.example{path}?utm=x", "no-slash": path[:-1]}
        response = api.get("/api/v1/articles/by-url", {"url": value[form]})
        assert response.status_code == 200 and response.json()["id"] == article.pk

    def test_a_wrong_permalink_is_not_found(self, api, article):
        wrong_month = article.get_absolute_url().replace(f"/{article.published_at:%m}/", "/01/")
        for url in [wrong_month, "/", "/category/phones/", "/no/such/thing/"]:
            response = api.get("/api/v1/articles/by-url", {"url": url})
            assert response.status_code == 404, url
            assert response.json()["message"]

    def test_a_draft_is_hidden_unless_the_token_may_read_drafts(self, api, author, make_token):
        draft = ArticleFactory(author=author, status=Article.Status.DRAFT, published_at=None)
        assert api.get(f"/api/v1/articles/{draft.pk}").status_code == 404
        assert api.get(f"/api/v1/articles/{draft.pk}/comments").status_code == 404
        reader = ApiClient(make_token("read_drafts"))
        found = reader.get(f"/api/v1/articles/{draft.pk}").json()
        assert found["status"] == "draft" and found["markdown"] == draft.body

    def test_unknown_id(self, api, db):
        response = api.get("/api/v1/articles/123456")
        assert response.status_code == 404
        assert response.json() == {
            "message": "There is no published article with this id.",
            "fields": {},
        }


@pytest.mark.django_db
class TestViews:
    """Counts come from the pageviews services: the number the page shows."""

    def test_an_articles_count(self, api, article):
        for _ in range(3):
            article_view_record(article_id=article.pk)
        response = api.get(f"/api/v1/articles/{article.pk}/views")
        assert response.json() == {"article_id": article.pk, "views": 3}
        assert article_views(article_id=article.pk) == 3

    def test_most_viewed_by_period(self, api, author):
        today = timezone.localdate()
        evergreen, fresh, hidden = (ArticleFactory(author=author) for _ in range(3))
        article_views_add(article_id=evergreen.pk, views=100, day=today - timedelta(days=20))
        article_views_add(article_id=fresh.pk, views=5, day=today)
        article_views_add(article_id=fresh.pk, views=3, day=today - timedelta(days=3))
        article_views_add(article_id=hidden.pk, views=1000, day=today)
        Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)

        def ranking(period: str) -> list[tuple[int, int]]:
            body = api.get(f"/api/v1/articles/most-viewed?period={period}").json()
            assert body["period"] == period
            return [(item["article"]["id"], item["views"]) for item in body["items"]]

        assert ranking("24h") == [(fresh.pk, 5)]
        assert ranking("7d") == [(fresh.pk, 8)]
        assert ranking("30d") == [(evergreen.pk, 100), (fresh.pk, 8)]
        assert ranking("all") == [(evergreen.pk, 100), (fresh.pk, 8)]


@pytest.mark.django_db
class TestCommentThread:
    """Approved comments only, replies nested under their parents, oldest first."""

    def test_thread(self, api, article):
        first = CommentFactory(article=article, author_name="Ann", author_url="https://ann.example")
        reply = CommentFactory(article=article, parent=first, depth=2, author_name="Bob")
        CommentFactory(article=article, parent=reply, depth=3, status="pending")
        CommentFactory(article=article, status="spam")
        second = CommentFactory(article=article, author_name="Cy")
        body = api.get(f"/api/v1/articles/{article.pk}/comments").json()
        assert body["count"] == 3
        top = body["comments"]
        assert [c["id"] for c in top] == [first.pk, second.pk]
        assert top[0]["author_url"] == "https://ann.example" and top[1]["author_url"] is None
        assert [c["id"] for c in top[0]["replies"]] == [reply.pk]
        assert top[0]["replies"][0]["replies"] == []
        assert top[0]["html"] == "<p>A thoughtful remark.</p>"


@pytest.mark.django_db
class TestAuthorsAndTerms:
    """Public profiles and names only."""

    def test_lists(self, api, article):
        CategoryFactory(name="Phones", slug="phones", description="Pocket computers.")
        TagFactory(name="Xiaomi", slug="xiaomi")
        (author,) = api.get("/api/v1/authors").json()
        assert author == {
            "id": article.author.pk,
            "name": "Tech Guru",
            "slug": "tech-guru",
            "bio": "Loves phones.",
            "avatar_url": None,
            "url": "http://testserver/author/tech-guru/",
        }
        assert api.get(f"/api/v1/authors/{article.author.pk}").json() == author
        (category,) = api.get("/api/v1/categories").json()
        assert category["description"] == "Pocket computers." and category["parent_id"] is None
        assert [tag["slug"] for tag in api.get("/api/v1/tags").json()] == ["xiaomi"]


@pytest.mark.django_db
class TestQueryBudget:
    """A page of the list costs the same few queries with 2 articles or 40."""

    def queries(self, api, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    def test_flat(self, api, author):
        for _ in range(2):
            ArticleFactory(author=author).tags.add(TagFactory())
        few = self.queries(api, "/api/v1/articles?limit=100")
        for _ in range(38):
            article = ArticleFactory(author=AuthorFactory())
            article.tags.add(TagFactory(), TagFactory())
            article.categories.add(CategoryFactory())
        assert self.queries(api, "/api/v1/articles?limit=100") == few <= 3
