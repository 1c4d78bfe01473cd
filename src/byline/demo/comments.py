"""The benchmark peers' comments (../shared/bench-peers: WordPress's seed.php, Wagtail's
seed_article): 30 approved comments on the reference article, 20 top-level and 10
replies, with the same names, texts, threading and dates, so that Byline's page is
measured with the same content as theirs."""

from datetime import UTC, datetime, timedelta

from django.db import transaction

from byline.articles.models import Article
from byline.comments.models import Comment
from byline.comments.rendering import render_comment
from byline.comments.services import comment_counts_refresh

LINES = (
    "Interesting move. Facebook clearly wants a foothold in China one way or another.",
    "Xiaomi at $45 billion after only four years of phones is remarkable.",
    "I doubt Beijing would ever have allowed this deal to go through.",
    "The Google relationship point is the key one here, Android is everything for Xiaomi.",
    "Calling Xiaomi the Apple of China never sat right with me.",
    "Would love to see a Facebook phone built by Xiaomi, honestly.",
    "Political fallout is a very real risk for any Chinese company dealing with US tech.",
    "Lei Jun is playing the long game, smart not to sell a stake now.",
    "Number one smartphone maker in five to ten years? Bold claim.",
    "Great write-up, thanks for the context on the funding round.",
)
FIRST_AT = datetime(2015, 1, 12, 10, 0, tzinfo=UTC)


def peer_parents(count: int) -> list[int | None]:
    """For comment i (1-based, at index i-1), the number of the comment it replies to.
    Two thirds are top-level; of the replies, the first 70% answer every other top-level
    comment (1, 3, 5 …) and the rest answer the first replies. For 30 this is the peers'
    threading exactly: 21..27 reply to 1, 3 … 13, and 28..30 to 21..23."""
    top_level = count - count // 3
    replies = count - top_level
    to_top = -(-replies * 7 // 10)  # ceil(0.7 * replies)
    parents: list[int | None] = [None] * top_level
    for j in range(replies):
        if j < to_top:
            parents.append((2 * j) % top_level + 1)
        else:
            parents.append(top_level + 1 + (j - to_top) % to_top)
    return parents


@transaction.atomic
def demo_comments_add(*, article: Article, count: int = 30) -> list[Comment]:
    """Give `article` exactly the peers' `count` approved comments ("Reader i", their
    texts cycled, ten minutes apart from 2015-01-12 10:10 UTC), replacing any comments it
    had, and refresh its comment count. Idempotent: a second run changes nothing."""
    existing = list(article.comments.order_by("created_at", "id"))
    bodies = [f"{LINES[(i - 1) % len(LINES)]} (comment {i})" for i in range(1, count + 1)]
    if [(c.body, c.status) for c in existing] == [(b, Comment.Status.APPROVED) for b in bodies]:
        return existing
    article.comments.all().delete()
    created: list[Comment] = []
    for i, parent_number in enumerate(peer_parents(count), start=1):
        parent = created[parent_number - 1] if parent_number else None
        created.append(
            Comment.objects.create(
                article=article,
                parent=parent,
                depth=parent.depth + 1 if parent else 1,
                author_name=f"Reader {i}",
                author_email=f"reader{i}@example.invalid",
                body=bodies[i - 1],
                body_html=render_comment(bodies[i - 1]),
                status=Comment.Status.APPROVED,
                created_at=FIRST_AT + timedelta(minutes=10 * i),
            )
        )
    comment_counts_refresh([article.pk])
    return created
