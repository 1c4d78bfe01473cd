"""The article page's weight (issue 8): with the benchmark peers' 30 comments, at most
20 KB of HTML, and gzip-compressed for a client that accepts it."""

import gzip

import pytest

from byline.demo import seed_demo
from byline.demo.comments import demo_comments_add

LIMIT = 20_000


@pytest.fixture
def reference_article(db):
    article = seed_demo().article
    demo_comments_add(article=article, count=30)
    return article


@pytest.mark.django_db
class TestPageWeight:
    """The reference article with 30 comments weighs at most 20,000 bytes uncompressed."""

    def test_the_peers_comments(self, reference_article):
        comments = list(reference_article.comments.order_by("created_at"))
        assert len(comments) == 30
        assert sum(comment.parent_id is None for comment in comments) == 20
        assert comments[20].parent == comments[0] and comments[29].parent == comments[22]
        assert comments[0].author_name == "Reader 1"
        assert comments[0].body.endswith("another. (comment 1)")
        reference_article.refresh_from_db()
        assert reference_article.comment_count == 30

    def test_at_most_20_kb(self, client, reference_article):
        response = client.get(reference_article.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<li id=comment-") == 30 and "30 Comments" in html
        assert html.count(">Reply</a>") == 30 and html.count(">Report</a>") == 30
        assert len(response.content) <= LIMIT, f"{len(response.content)} bytes"

    def test_gzipped_when_accepted(self, client, reference_article):
        plain = client.get(reference_article.get_absolute_url())
        packed = client.get(reference_article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in plain
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert len(packed.content) < len(plain.content) // 3
        unpacked = gzip.decompress(packed.content)
        assert unpacked.count(b"<li id=comment-") == 30
        assert abs(len(unpacked) - len(plain.content)) <= 2  # one view later, another token

    def test_seeding_twice_changes_nothing(self, reference_article):
        ids = list(reference_article.comments.values_list("pk", flat=True))
        demo_comments_add(article=reference_article, count=30)
        assert list(reference_article.comments.values_list("pk", flat=True)) == ids
