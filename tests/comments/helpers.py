import os
from pathlib import Path

import pytest
from django.test import Client

from byline.articles.models import Article
from byline.comments.models import ModerationSettings


def post_comment(client: Client, article: Article, **fields) -> object:
    """POST the comment form as a browser would, with its hidden fields."""
    ip = fields.pop("ip", "203.0.113.7")
    data = {
        "comment": "Xiaomi's growth is remarkable.",
        "author": "Ada Reader",
        "email": "ada@mail.example",
        "url": "",
        "article": str(article.pk),
        "parent": "",
        "homepage": "",
        **fields,
    }
    return client.post("/comments/post/", data, REMOTE_ADDR=ip)


def set_rules(**changes) -> ModerationSettings:
    """Change the site's comment rules as an editor would in the admin."""
    rules = ModerationSettings.current()
    for name, value in changes.items():
        setattr(rules, name, value)
    rules.save()
    return rules


SPAM_CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "spam-youtube"


def spam_corpus() -> Path:
    """The YouTube Spam Collection, read in place; skipped with the reason when absent,
    a failure when BYLINE_REQUIRE_CORPUS=1 (as in CI)."""
    if not (SPAM_CORPUS / "Youtube01-Psy.csv").exists():
        if os.environ.get("BYLINE_REQUIRE_CORPUS") == "1":
            pytest.fail(f"BYLINE_REQUIRE_CORPUS=1 but no spam corpus at {SPAM_CORPUS}")
        pytest.skip(f"no spam corpus at {SPAM_CORPUS.resolve()}; corpus tests skipped")
    return SPAM_CORPUS


def staff_client(*, superuser: bool = True, email: str = "editor@newsroom.example") -> Client:
    """A logged-in editor's browser."""
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, is_superuser=superuser, email=email)
    browser = Client()
    browser.force_login(user)
    return browser
