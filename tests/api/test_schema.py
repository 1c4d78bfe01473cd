"""Schemathesis over the whole OpenAPI schema, against a real `byline demo` server:
every operation, with an all-scopes token (and every read again without one). No 5xx
answer, and no answer that breaks the schema (status, content type, body, headers).

All of Schemathesis's checks run, with one exception for writes: "positive data
acceptance" expects every schema-valid body to be accepted, but a write may name a slug
that does not exist or is already taken, or a publication time already past, which a
schema cannot express; those are refused with a 422 naming the field."""

import json
import os
import urllib.request

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.live import start_site

SETUP = """
from django.contrib.auth import get_user_model
from byline.api.tokens import token_create
from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.models import Comment
from byline.comments.services import _refresh_comment_counts

editor = get_user_model().objects.get(username="editor")
Author.objects.get_or_create(user=editor, defaults={"display_name": "Ed", "slug": "ed"})
article = Article.objects.get()
article.categories.add(Category.objects.create(name="Phones", slug="phones"))
article.tags.add(Tag.objects.create(name="Xiaomi", slug="xiaomi"))
first = Comment.objects.create(article=article, author_name="Ann", author_email="ann@x.example",
    body="First!", body_html="<p>First!</p>", status="approved")
Comment.objects.create(article=article, parent=first, depth=2, author_name="Bob",
    author_email="bob@x.example", body="Reply", body_html="<p>Reply</p>", status="approved")
Comment.objects.create(article=article, author_name="Cy", author_email="cy@x.example",
    body="Held", body_html="<p>Held</p>", status="pending")
_refresh_comment_counts([article.pk])
scopes = ["read_drafts", "write_articles", "moderate_comments"]
print(token_create(user=editor, name="schemathesis", scopes=scopes).key)
"""
FRONT = "https://front.example"


@pytest.fixture(scope="module")
def fuzzed_site(tmp_path_factory):
    site = start_site(
        tmp_path_factory.mktemp("fuzzed"),
        command="demo",
        workers=2,
        extra_env={"BYLINE_API_CORS_ORIGINS": FRONT},
    )
    try:
        key = site.shell(SETUP).strip().splitlines()[-1]
        yield site, key
    finally:
        site.stop()


def served_schema() -> dict:
    """The schema the server serves at /api/v1/openapi.json, built in this process so
    that pytest can make one test per operation before the server runs (the test below
    checks that the server serves the same)."""
    from byline.api.router import api

    built = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.loads(json.dumps(built, cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(served_schema())
# Fixed examples by default, so that CI is repeatable; for a longer, random hunt:
# BYLINE_API_FUZZ_EXAMPLES=1000 BYLINE_API_FUZZ_RANDOM=1 pytest tests/api/test_schema.py
FUZZ = settings(
    max_examples=int(os.environ.get("BYLINE_API_FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=os.environ.get("BYLINE_API_FUZZ_RANDOM") != "1",
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.live
@schema.parametrize()
@FUZZ
def test_every_operation_with_a_token(case, fuzzed_site):
    site, key = fuzzed_site
    case.call_and_validate(
        base_url=site.base_url,
        headers={"Authorization": f"Bearer {key}"},
        excluded_checks=[] if case.method == "GET" else [positive_data_acceptance],
        timeout=30,
    )


@pytest.mark.live
@schema.include(method="GET").parametrize()
@FUZZ
def test_every_read_without_a_token(case, fuzzed_site):
    site, _ = fuzzed_site
    case.call_and_validate(base_url=site.base_url, timeout=30)


@pytest.mark.live
def test_the_server_serves_this_schema(fuzzed_site):
    site, _ = fuzzed_site
    with urllib.request.urlopen(site.url("/api/v1/openapi.json"), timeout=30) as response:
        assert json.loads(response.read()) == served_schema()


@pytest.mark.live
def test_cors_follows_the_environment(fuzzed_site):
    """BYLINE_API_CORS_ORIGINS reaches a real server's answers."""
    site, _ = fuzzed_site
    request = urllib.request.Request(site.url("/api/v1/articles"), headers={"Origin": FRONT})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == FRONT
        assert json.loads(response.read())["items"]
