# Run through `byline manage shell -c`: the demo site plus $COMMENTS approved comments,
# two thirds top-level and one third replies, as the peers in ../shared/bench-peers have.
import os
from datetime import timedelta

from byline.comments.models import Comment
from byline.comments.rendering import render_comment
from byline.comments.services import _refresh_comment_counts
from byline.demo import seed_demo

article = seed_demo().article
total = int(os.environ.get("COMMENTS", "0"))
top_level = total - total // 3
parents = []
for index in range(total):
    parent = parents[index % len(parents)] if index >= top_level else None
    body = f"Comment {index + 1}: an opinion about Facebook, Xiaomi and the Chinese market."
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        depth=2 if parent else 1,
        author_name=f"Reader {index + 1}",
        author_email=f"reader{index + 1}@mail.example",
        body=body,
        body_html=render_comment(body),
        status=Comment.Status.APPROVED,
        created_at=article.published_at + timedelta(minutes=10 * (index + 1)),
    )
    if parent is None:
        parents.append(comment)
_refresh_comment_counts([article.pk])
print(f"seeded the demo article with {total} comments")
