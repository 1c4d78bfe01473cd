"""Editors' tools create, change, schedule and publish articles, and moderate comments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from byline.articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, TagFactory


@pytest.mark.django_db
class TestArticles:
    """Writes go through the model's rules; the public sees an article once published."""

    def test_create_a_draft(self, full_api, api, editor):
        payload = {"title": "Xiaomi's new phone, tested", "body": "It is *fast*.\n\nAnd cheap."}
        response = full_api.send("POST", "/api/v1/articles", payload)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "draft" and body["url"] is None
        assert body["slug"] == "xiaomis-new-phone-tested"
        assert body["html"] == "<p>It is <em>fast</em>.</p>\n<p>And cheap.</p>\n"
        assert (
            body["markdown"] == "It is *fast*.\n\nAnd cheap." and body["excerpt"] == "It is fast."
        )
        assert body["author"]["slug"] == "ed-itor"
        assert api.get(f"/api/v1/articles/{body['id']}").status_code == 404
        assert api.get("/api/v1/articles").json()["items"] == []

    def test_create_published_with_terms(self, full_api, api, author):
        CategoryFactory(slug="phones")
        TagFactory(slug="xiaomi")
        response = full_api.send("POST", "/api/v1/articles", {
            "title": "Out now", "slug": "out-now", "body": "Text.", "status": "published",
            "author": "tech-guru", "categories": ["phones"], "tags": ["xiaomi"],
            "allow_comments": False})  # fmt: skip
        assert response.status_code == 201, response.content
        public = api.get("/api/v1/articles").json()["items"]
        assert [a["slug"] for a in public] == ["out-now"]
        assert public[0]["author"]["slug"] == "tech-guru"
        assert [c["slug"] for c in public[0]["categories"]] == ["phones"]
        assert public[0]["allow_comments"] is False

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"title": "A", "body": "B", "slug": "taken"}, "slug"),
            ({"title": "A", "body": "B", "categories": ["nope"]}, "categories"),
            ({"title": "A", "body": "B", "author": "nobody"}, "author"),
            ({"title": "A", "body": "B", "status": "scheduled"}, "published_at"),
            ({"title": "A", "body": "B", "status": "live"}, "status"),
            ({"title": "A", "body": "B", "published_at": "0001-01-01T00:00:00Z"}, "published_at"),
            ({"title": "A", "body": "B", "colour": "red"}, "colour"),
            ({"title": "A", "body": "nul\x00"}, "body"),
            ({"title": "!!!", "body": "B"}, "slug"),
            ({"body": "B"}, "title"),
        ],
    )
    def test_invalid_writes_name_the_field(self, full_api, author, payload, field):
        ArticleFactory(author=author, slug="taken")
        response = full_api.send("POST", "/api/v1/articles", payload)
        assert response.status_code == 422, response.content
        assert field in response.json()["fields"], response.json()
        assert Article.objects.count() == 1

    def test_update_changes_only_what_is_sent(self, full_api, article):
        tag = TagFactory(slug="xiaomi")
        article.tags.add(tag)
        response = full_api.send(
            "PATCH", f"/api/v1/articles/{article.pk}", {"body": "New **body**."}
        )
        assert response.status_code == 200, response.content
        article.refresh_from_db()
        assert article.body_html == "<p>New <strong>body</strong>.</p>\n"
        assert article.title == "Facebook mulled investing in Xiaomi"
        assert list(article.tags.values_list("slug", flat=True)) == ["xiaomi"]
        assert response.json()["html"] == article.body_html

    def test_schedule_then_publish(self, full_api, api, author):
        draft = ArticleFactory(author=author, status=Article.Status.DRAFT, published_at=None)
        later = timezone.now() + timedelta(days=2)
        response = full_api.send("POST", f"/api/v1/articles/{draft.pk}/schedule",
                                 {"published_at": later.isoformat()})  # fmt: skip
        assert response.status_code == 200 and response.json()["status"] == "scheduled"
        assert api.get(f"/api/v1/articles/{draft.pk}").status_code == 404
        past = full_api.send("POST", f"/api/v1/articles/{draft.pk}/schedule",
                             {"published_at": "2001-01-01T00:00:00Z"})  # fmt: skip
        assert past.status_code == 422 and "future" in past.json()["fields"]["published_at"]

        published = full_api.send("POST", f"/api/v1/articles/{draft.pk}/publish")
        assert published.status_code == 200 and published.json()["status"] == "published"
        public = api.get(f"/api/v1/articles/{draft.pk}").json()
        assert public["url"].endswith(Article.objects.get(pk=draft.pk).get_absolute_url())
        moment = public["published_at"]
        again = full_api.send("POST", f"/api/v1/articles/{draft.pk}/publish")
        assert again.json()["published_at"] == moment  # already published: keeps its date


@pytest.mark.django_db
class TestModeration:
    """Moderation through the API is the admin queue's: counts follow, no email shown."""

    def test_queue_and_approve(self, full_api, api, article):
        held = CommentFactory(article=article, status="pending", author_email="held@mail.example",
                              author_ip="198.51.100.9", status_reason="first comment")  # fmt: skip
        queue = full_api.get("/api/v1/comments?status=pending")
        assert queue.status_code == 200
        assert [c["id"] for c in queue.json()["items"]] == [held.pk]
        assert queue.json()["items"][0]["status_reason"] == "first comment"
        assert "held@mail.example" not in queue.content.decode()
        assert "198.51.100.9" not in queue.content.decode()
        assert queue["Cache-Control"] == "private, no-cache"

        response = full_api.send("POST", f"/api/v1/comments/{held.pk}/moderation",
                                 {"status": "approved"})  # fmt: skip
        assert response.status_code == 200 and response.json()["status"] == "approved"
        assert "(API)" in response.json()["status_reason"]
        thread = api.get(f"/api/v1/articles/{article.pk}/comments").json()
        assert [c["id"] for c in thread["comments"]] == [held.pk]
        assert api.get(f"/api/v1/articles/{article.pk}").json()["comment_count"] == 1

        spam = full_api.send("POST", f"/api/v1/comments/{held.pk}/moderation", {"status": "spam"})
        assert spam.json()["status"] == "spam"
        assert api.get(f"/api/v1/articles/{article.pk}/comments").json()["count"] == 0
        bad = full_api.send("POST", f"/api/v1/comments/{held.pk}/moderation", {"status": "gone"})
        assert bad.status_code == 422 and "status" in bad.json()["fields"]
