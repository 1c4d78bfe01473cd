"""HTTP done right: validators and 304 on every GET, caching rules, CORS as configured,
JSON errors everywhere under /api/."""

import pytest
from django.test import override_settings
from django.utils.http import http_date, parse_http_date

from byline.articles.models import Article
from tests.api.crawl import addresses
from tests.factories import CommentFactory


@pytest.mark.django_db
class TestConditionalGet:
    """Every successful GET has an ETag and a Last-Modified, and each gives a 304."""

    def test_every_get_revalidates(self, full_api, article, author):
        CommentFactory(article=article)
        checked = 0
        for address in addresses(full_api):
            first = full_api.get(address)
            if first.status_code != 200:
                continue
            checked += 1
            assert first["ETag"].startswith('"') and first["Last-Modified"], address
            by_etag = full_api.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
            assert by_etag.status_code == 304 and by_etag.content == b"", address
            assert by_etag["ETag"] == first["ETag"]
            by_date = full_api.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
            assert by_date.status_code == 304, address
            stale = full_api.get(address, HTTP_IF_NONE_MATCH='"something-else"')
            assert stale.status_code == 200 and stale.content == first.content
        assert checked >= 12

    def test_a_change_is_a_new_representation(self, api, article):
        url = f"/api/v1/articles/{article.pk}"
        before = api.get(url)
        Article.objects.filter(pk=article.pk).update(title="A new title")
        after = api.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and after.json()["title"] == "A new title"
        assert after["ETag"] != before["ETag"]
        assert parse_http_date(after["Last-Modified"]) >= parse_http_date(before["Last-Modified"])

    def test_if_modified_since_never_hides_a_change(self, api, article):
        """Content A, then B, then A again: a client holding B and revalidating by date
        gets A back, even when all three fall in the same second."""
        url = f"/api/v1/articles/{article.pk}"
        api.get(url)
        Article.objects.filter(pk=article.pk).update(title="B")
        held_b = api.get(url)
        assert held_b.json()["title"] == "B"
        Article.objects.filter(pk=article.pk).update(title="Facebook mulled investing in Xiaomi")
        answer = api.get(url, HTTP_IF_MODIFIED_SINCE=held_b["Last-Modified"])
        assert answer.status_code == 200
        assert answer.json()["title"] == "Facebook mulled investing in Xiaomi"

    def test_an_old_date_gets_the_content(self, api, article):
        url = f"/api/v1/articles/{article.pk}"
        api.get(url)
        old = api.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0))
        assert old.status_code == 200 and old.json()["id"] == article.pk

    def test_caching_rules(self, api, full_api, article):
        public = api.get("/api/v1/articles")
        assert public["Cache-Control"] == "public, no-cache"
        assert "Authorization" in public["Vary"]
        personal = full_api.get("/api/v1/articles")
        assert personal["Cache-Control"] == "private, no-cache"
        error = api.get("/api/v1/articles/999999")
        assert error.status_code == 404 and error["Cache-Control"] == "no-store"
        assert "ETag" not in error

    def test_head(self, api, article):
        get = api.get("/api/v1/articles")
        head = api.head("/api/v1/articles")
        assert head.status_code == 200 and head.content == b""
        assert head["ETag"] == get["ETag"]


@pytest.mark.django_db
class TestJsonErrors:
    """Unknown addresses and methods answer JSON with a message, at the right status."""

    def test_unknown_address(self, api):
        for url in ["/api/v1/nothing", "/api/v2/articles", "/api/", "/api/v1/"]:
            response = api.get(url)
            assert response.status_code == 404, url
            assert response["Content-Type"].startswith("application/json")
            assert "docs" in response.json()["message"]

    def test_wrong_method(self, api, article):
        response = api.send("DELETE", f"/api/v1/articles/{article.pk}")
        assert response.status_code == 405
        assert response["Allow"] and "GET" in response["Allow"] and "PATCH" in response["Allow"]
        assert "DELETE is not allowed" in response.json()["message"]

    def test_a_nameless_query_parameter(self, api, db):
        response = api.get("/api/v1/articles?=true")
        assert response.status_code == 400 and "no name" in response.json()["message"]

    def test_an_unknown_query_parameter_is_named(self, api, article):
        response = api.get("/api/v1/articles?categroy=phones&limit=5")
        assert response.status_code == 422
        assert response.json()["fields"] == {"categroy": "This operation has no such parameter."}
        assert api.get(f"/api/v1/articles/{article.pk}?x=1").status_code == 422
        assert api.get("/api/v1/articles?category=phones&limit=5").status_code == 200

    def test_out_of_range_ids(self, api, db):
        for url in ["/api/v1/articles/0", "/api/v1/articles/99999999999999999999999"]:
            response = api.get(url)
            assert response.status_code == 422, url
            assert "article_id" in response.json()["fields"]

    def test_too_large_a_body(self, full_api, db):
        response = full_api.send(
            "POST", "/api/v1/articles", {"title": "x", "body": "y" * 3_000_000}
        )
        assert response.status_code == 413 and response.json()["message"]


@pytest.mark.django_db
class TestCors:
    """Cross-origin calls are answered for the configured origins, on /api/ only."""

    @override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
    def test_allowed_origin(self, api, article):
        response = api.get("/api/v1/articles", HTTP_ORIGIN="https://front.example")
        assert response["Access-Control-Allow-Origin"] == "https://front.example"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        other = api.get("/api/v1/articles", HTTP_ORIGIN="https://evil.example")
        assert "Access-Control-Allow-Origin" not in other
        page = api.get(article.get_absolute_url(), HTTP_ORIGIN="https://front.example")
        assert "Access-Control-Allow-Origin" not in page

    @override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
    def test_preflight_for_a_write(self, api):
        response = api.options(
            "/api/v1/articles",
            HTTP_ORIGIN="https://front.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-none-match",
        )
        assert response.status_code == 200
        allowed = response["Access-Control-Allow-Headers"]
        assert "authorization" in allowed and "if-none-match" in allowed
        assert "POST" in response["Access-Control-Allow-Methods"]

    def test_none_by_default(self, api, db):
        response = api.get("/api/v1/articles", HTTP_ORIGIN="https://front.example")
        assert "Access-Control-Allow-Origin" not in response
