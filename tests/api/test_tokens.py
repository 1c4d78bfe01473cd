"""Personal API tokens: stored hashed, shown once, scoped, and stopped at once."""

import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from byline.api.models import ApiToken
from tests.api.conftest import ApiClient
from tests.factories import CommentFactory, UserFactory

WRITES = [
    ("POST", "/api/v1/articles", {"title": "T", "body": "B"}),
    ("PATCH", "/api/v1/articles/{article}", {"title": "New"}),
    ("POST", "/api/v1/articles/{article}/publish", None),
    ("POST", "/api/v1/articles/{article}/schedule", {"published_at": "2199-01-01T00:00:00Z"}),
    ("POST", "/api/v1/comments/{comment}/moderation", {"status": "approved"}),
    ("GET", "/api/v1/comments", None),
]
SCOPE_OF = {
    "/api/v1/articles": "write_articles",
    "/api/v1/articles/{article}": "write_articles",
    "/api/v1/articles/{article}/publish": "write_articles",
    "/api/v1/articles/{article}/schedule": "write_articles",
    "/api/v1/comments/{comment}/moderation": "moderate_comments",
    "/api/v1/comments": "moderate_comments",
}


def call(client, method, template, data, article, comment):
    path = template.format(article=article.pk, comment=comment.pk)
    return client.send(method, path, data) if method != "GET" else client.get(path)


@pytest.mark.django_db
class TestStorage:
    """Only a hash is kept; the token itself appears once, on the page that created it."""

    def test_only_the_hash_is_stored(self, make_token):
        key = make_token("write_articles")
        token = ApiToken.objects.get()
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        stored = " ".join(str(value) for value in ApiToken.objects.values().get().values())
        assert key not in stored and key[12:] not in stored
        assert token.prefix == key[:12]

    def test_the_admin_shows_the_token_once(self, editor):
        browser = Client()
        browser.force_login(editor)
        response = browser.post(
            "/admin/api/apitoken/add/",
            {"name": "Newsroom app", "can_write_articles": "on"},
        )
        assert response.status_code == 200
        page = response.content.decode()
        token = ApiToken.objects.get()
        key = next(word for word in page.split('"') if word.startswith("byline_"))
        assert "shown only this once" in page and "no-store" in response["Cache-Control"]
        assert token.user == editor and token.can_write_articles and not token.can_read_drafts
        # The key works, and no admin page shows it again.
        assert (
            ApiClient(key).send("POST", "/api/v1/articles", {"title": "T", "body": "B"}).status_code
            == 201
        )
        for url in ["/admin/api/apitoken/", f"/admin/api/apitoken/{token.pk}/change/"]:
            again = browser.get(url)
            assert again.status_code == 200 and key not in again.content.decode()
            assert token.prefix in again.content.decode()

    def test_an_editor_cannot_grant_a_token_more_than_they_may_do(self, db):
        user = UserFactory(is_staff=True)
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["add_apitoken", "view_apitoken"])
        )
        browser = Client()
        browser.force_login(user)
        response = browser.post(
            "/admin/api/apitoken/add/", {"name": "x", "can_moderate_comments": "on"}
        )
        assert response.status_code == 200
        assert "Your account may not moderate comments" in response.content.decode()
        assert not ApiToken.objects.exists()


@pytest.mark.django_db
class TestRevocation:
    """A revoked token, or one whose user was deactivated, fails on its next request."""

    def test_revoked_in_the_admin_stops_at_once(self, editor, make_token, article):
        key = make_token("read_drafts")
        tool = ApiClient(key)
        assert tool.get("/api/v1/articles?status=draft").status_code == 200
        browser = Client()
        browser.force_login(editor)
        token = ApiToken.objects.get()
        browser.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
        token.refresh_from_db()
        assert token.revoked_at is not None
        response = tool.get("/api/v1/articles?status=draft")
        assert response.status_code == 401
        assert "revoked" in response.json()["message"]
        # Even a public read with a revoked token is refused: the tool must learn of it.
        assert tool.get("/api/v1/articles").status_code == 401

    def test_deleted_token_and_inactive_user(self, editor, make_token):
        deleted, kept = make_token("read_drafts"), make_token("read_drafts")
        ApiToken.objects.get(prefix=deleted[:12]).delete()
        assert ApiClient(deleted).get("/api/v1/articles?status=draft").status_code == 401
        assert ApiClient(kept).get("/api/v1/articles?status=draft").status_code == 200
        editor.is_active = False
        editor.save()
        assert ApiClient(kept).get("/api/v1/articles?status=draft").status_code == 401

    def test_last_use_is_recorded(self, make_token):
        ApiClient(make_token()).get("/api/v1/articles")
        assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
class TestWritesNeedTheRightToken:
    """Without a token: 401. With a token lacking the scope, or whose user lost the
    permission: 403. Nothing changes either way."""

    @pytest.mark.parametrize(("method", "path", "data"), WRITES)
    def test_no_or_bad_token_is_401(self, article, method, path, data):
        comment = CommentFactory(article=article, status="pending")
        for client in [
            ApiClient(),
            ApiClient("byline_wrong"),
            ApiClient(HTTP_AUTHORIZATION="Basic eDp5"),
        ]:
            response = call(client, method, path, data, article, comment)
            assert response.status_code == 401, (path, response.content)
            assert response["WWW-Authenticate"].startswith("Bearer")
            assert response.json()["message"]
        comment.refresh_from_db()
        article.refresh_from_db()
        assert (
            comment.status == "pending" and article.title == "Facebook mulled investing in Xiaomi"
        )

    @pytest.mark.parametrize(("method", "path", "data"), WRITES)
    def test_under_scoped_token_is_403(self, article, make_token, method, path, data):
        comment = CommentFactory(article=article, status="pending")
        needed = SCOPE_OF[path]
        others = [s for s in ("read_drafts", "write_articles", "moderate_comments") if s != needed]
        response = call(ApiClient(make_token(*others)), method, path, data, article, comment)
        assert response.status_code == 403, response.content
        assert "scope" in response.json()["message"]
        comment.refresh_from_db()
        assert comment.status == "pending"

    def test_a_user_without_the_permission_is_403(self, article, make_token):
        user = UserFactory(is_staff=True)
        key = make_token("write_articles", "moderate_comments", user=user)
        comment = CommentFactory(article=article, status="pending")
        for method, path, data in WRITES:
            response = call(ApiClient(key), method, path, data, article, comment)
            assert response.status_code == 403, path
            assert "no longer allowed" in response.json()["message"]
