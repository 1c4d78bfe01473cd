import json

import pytest
from django.core.cache import caches
from django.test import Client

from byline.api.tokens import token_create
from tests.factories import AuthorFactory, UserFactory

ALL_SCOPES = ("read_drafts", "write_articles", "moderate_comments")


@pytest.fixture(autouse=True)
def _fresh_api_cache():
    """The API's Last-Modified records start empty in each test."""
    caches["api"].clear()
    yield
    caches["api"].clear()


class ApiClient(Client):
    """A tool calling the API: JSON in, JSON out, optionally with a token."""

    def __init__(self, token: str | None = None, **defaults) -> None:
        if token:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(**defaults)

    def send(self, method: str, path: str, data=None, **extra):
        body = json.dumps(data) if data is not None and not isinstance(data, str) else data
        return self.generic(method, path, body or "", content_type="application/json", **extra)


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def editor(db):
    """An editor with every permission and an author profile."""
    user = UserFactory(username="ed", is_staff=True, is_superuser=True)
    user.set_password("correct horse battery staple")
    user.save()
    AuthorFactory(user=user, display_name="Ed Itor", slug="ed-itor")
    return user


@pytest.fixture
def make_token(editor):
    def make(*scopes: str, user=None) -> str:
        return token_create(user=user or editor, name="newsroom tool", scopes=scopes).key

    return make


@pytest.fixture
def full_api(make_token) -> ApiClient:
    return ApiClient(make_token(*ALL_SCOPES))
