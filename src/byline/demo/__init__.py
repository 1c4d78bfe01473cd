"""The demo site: the reference article by "Tech Guru", with its recorded views, and an
editor account. Seeding is idempotent: a second run keeps what is there."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from byline.articles.models import Article
from byline.authors.models import Author
from byline.pageviews.services import article_views_add

SEED_FILE = Path(__file__).with_name("seed-article.md")
PUBLISHED_AT = datetime(2014, 12, 18, 9, 30, tzinfo=UTC)
EDITOR_USERNAME = "editor"


@dataclass
class DemoSeed:
    article: Article
    article_created: bool
    editor_password: str | None  # only when the editor account was created now


def read_seed(path: Path = SEED_FILE) -> tuple[dict[str, str], str]:
    """The seed file's front matter (`key: value` lines between `---`) and its body."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = {}
    for line in front.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta, body.strip() + "\n"


@transaction.atomic
def seed_demo() -> DemoSeed:
    meta, body = read_seed()
    user_model = get_user_model()
    writer, created = user_model.objects.get_or_create(
        username="techguru", defaults={"first_name": "Tech", "last_name": "Guru"}
    )
    if created:
        writer.set_unusable_password()
        writer.save()
    author, _ = Author.objects.get_or_create(
        user=writer,
        defaults={"display_name": meta["author"], "slug": "tech-guru", "bio": meta["author_bio"]},
    )
    article, article_created = Article.objects.get_or_create(
        slug="facebook-mulled-investing-in-xiaomi",
        defaults={
            "title": meta["title"],
            "author": author,
            "body": body,
            "status": Article.Status.PUBLISHED,
            "published_at": PUBLISHED_AT,
        },
    )
    if article_created:
        # The reference page shows "1821 views" to its reader, and the count a reader sees
        # includes their own view: so the views recorded before the first reader are one
        # fewer, and the first reader's view is the 1821st.
        first_reader_sees = int(meta["views"])
        article_views_add(
            article_id=article.pk, views=first_reader_sees - 1, day=PUBLISHED_AT.date()
        )

    password = None
    if not user_model.objects.filter(username=EDITOR_USERNAME).exists():
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(EDITOR_USERNAME, email="", password=password)
    return DemoSeed(article=article, article_created=article_created, editor_password=password)
