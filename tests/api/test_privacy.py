"""A crawl of every GET of the API, anonymous and with an all-scopes token, over a site
with many commenters, finds none of their email addresses or IPs, no account email, no
password hash and no token."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from byline.api.models import ApiToken
from byline.articles.models import Article
from tests.api.conftest import ALL_SCOPES, ApiClient
from tests.api.crawl import crawl
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory

COMMENTERS = 300


@pytest.fixture
def crowded_site(editor, make_token):
    rng = random.Random(6)
    authors = [editor.author, *(AuthorFactory() for _ in range(2))]
    for user in get_user_model().objects.all():
        user.set_password(f"password for {user.username}")
        user.save()
    now = timezone.now()
    articles = [
        ArticleFactory(author=authors[0]),
        ArticleFactory(author=authors[1]),
        ArticleFactory(author=authors[2], status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(author=authors[1], published_at=now + timedelta(days=3)),
    ]
    secrets = set()
    parents = {article.pk: [] for article in articles}
    for index in range(COMMENTERS):
        article = articles[index % 2] if index % 7 else rng.choice(articles)
        status = rng.choice(["approved", "approved", "approved", "pending", "spam", "trash"])
        parent = rng.choice(parents[article.pk]) if parents[article.pk] and index % 3 else None
        email = f"commenter.{index}@private-mail.example"
        ip = f"198.51.{index // 250}.{index % 250 + 1}" if index % 2 else f"2001:db8::{index:x}"
        comment = CommentFactory(
            article=article,
            parent=parent if parent and parent.status == "approved" else None,
            depth=parent.depth + 1 if parent and parent.status == "approved" else 1,
            author_email=email,
            author_ip=ip,
            author_url=f"https://blog{index}.example" if index % 4 == 0 else "",
            status=status,
            user_agent="Mozilla/5.0 secret-agent",
        )
        if comment.depth < 5:
            parents[article.pk].append(comment)
        secrets |= {email, ip}
    key = make_token(*ALL_SCOPES)
    token = ApiToken.objects.get()
    for user in get_user_model().objects.all():
        secrets |= {user.email, user.password, user.password.split("$")[-1]}
    secrets |= {key, key[len("byline_") :], token.key_hash}
    return secrets, key


@pytest.mark.django_db
class TestNothingPrivateLeaves:
    """No email, IP, password hash or token in any answer of any GET operation."""

    def test_crawl(self, crowded_site):
        secrets, key = crowded_site
        secrets = {secret.lower() for secret in secrets if secret}
        for client in (ApiClient(), ApiClient(key)):
            bodies = crawl(client)
            assert len(bodies) > 20
            assert sum(body.count('"author_name"') for body in bodies.values()) > 100
            for address, body in bodies.items():
                text = body.lower()
                leaked = [secret for secret in secrets if secret in text]
                assert not leaked, (address, leaked[:3])
                assert "private-mail.example" not in text and "secret-agent" not in text
                assert "pbkdf2" not in text and "argon2" not in text
