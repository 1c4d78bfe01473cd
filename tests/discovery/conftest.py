from datetime import timedelta

import pytest
from django.utils import timezone

from byline.articles.models import Article
from byline.comments.models import Comment
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    TagFactory,
)


class Newsroom:
    """A small site: two authors, a category and a tag, published, draft and scheduled
    articles, and comments in every moderation state."""

    def __init__(self) -> None:
        now = timezone.now()
        self.guru = AuthorFactory(display_name="Tech Guru", slug="tech-guru", bio="Loves phones.")
        self.other = AuthorFactory(display_name="Ann Other", slug="ann-other")
        self.business = CategoryFactory(name="Business", slug="business")
        self.xiaomi = TagFactory(name="Xiaomi", slug="xiaomi")
        self.article = ArticleFactory(
            author=self.guru,
            title="Facebook mulled investing in Xiaomi",
            slug="facebook-mulled-investing-in-xiaomi",
            excerpt="Mark Zuckerberg met Xiaomi's CEO Lei Jun in Beijing.",
            published_at=now - timedelta(hours=5),
        )
        self.article.categories.add(self.business)
        self.article.tags.add(self.xiaomi)
        self.elsewhere = ArticleFactory(
            author=self.other, title="Routers reviewed", published_at=now - timedelta(days=5)
        )
        self.draft = ArticleFactory(
            author=self.guru, title="Draft about tablets", status=Article.Status.DRAFT,
            published_at=None,
        )  # fmt: skip
        self.scheduled = ArticleFactory(
            author=self.guru, title="Embargoed chip launch", published_at=now + timedelta(days=1)
        )
        self.draft.categories.add(self.business)
        self.scheduled.tags.add(self.xiaomi)
        self.approved = CommentFactory(
            article=self.article,
            author_name="Careful Reader",
            author_email="careful.reader@mail.example",
            body_html="<p>Approved words.</p>",
        )
        self.pending = CommentFactory(
            article=self.article,
            author_name="Pending Reader",
            author_email="pending.reader@mail.example",
            body_html="<p>Pending words.</p>",
            status=Comment.Status.PENDING,
        )
        self.spam = CommentFactory(
            article=self.article,
            author_name="Spammer",
            author_email="spam@mail.example",
            body_html="<p>Buy pills.</p>",
            status=Comment.Status.SPAM,
        )
        self.on_other = CommentFactory(
            article=self.elsewhere,
            author_name="Router Fan",
            author_email="router.fan@mail.example",
            body_html="<p>Nice routers.</p>",
        )
        self.on_scheduled = CommentFactory(
            article=self.scheduled,
            author_name="Time Traveller",
            author_email="time@mail.example",
            body_html="<p>Too early.</p>",
        )
        self.emails = [
            comment.author_email
            for comment in (self.approved, self.pending, self.spam, self.on_other)
        ] + [self.on_scheduled.author_email, self.guru.user.email, self.other.user.email]


@pytest.fixture
def newsroom(db) -> Newsroom:
    return Newsroom()
