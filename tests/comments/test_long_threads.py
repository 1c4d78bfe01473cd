"""Long threads and old articles: comment pages (50 threads a page by default, oldest or
newest first) at a flat query cost, comments closing on old articles, editors' edits."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.comments.models import Comment
from byline.pagecache.marks import article_comments
from byline.pagecache.purge import purge_now
from tests.comments.helpers import post_comment, set_rules, staff_client
from tests.factories import ArticleFactory, CommentFactory


def ids_on(html: str) -> list[int]:
    return [int(found) for found in re.findall(r"<li id=comment-(\d+)", html)]


def threads(article, count: int) -> list[Comment]:
    """`count` top-level comments, one minute apart, each with a reply."""
    start = timezone.now() - timedelta(days=1)
    tops = []
    for index in range(count):
        top = CommentFactory(article=article, created_at=start + timedelta(minutes=index))
        CommentFactory(
            article=article, parent=top, depth=2,
            created_at=start + timedelta(minutes=index, seconds=30),
        )  # fmt: skip
        tops.append(top)
    return tops


@pytest.mark.django_db
class TestCommentPages:
    """50 top-level comments a page, each with its replies."""

    def test_pages_oldest_first(self, client, article):
        tops = threads(article, 120)
        first = client.get(article.get_absolute_url()).content.decode()
        shown = ids_on(first)
        assert len(shown) == 100  # 50 threads, each with its reply
        assert shown[0] == tops[0].pk and tops[49].pk in shown and tops[50].pk not in shown
        assert '<a class="comment-page-next" href="?cpage=2#comments">Newer comments</a>' in first
        assert "comment-page-previous" not in first

        third = client.get(f"{article.get_absolute_url()}?cpage=3").content.decode()
        assert [pk for pk in ids_on(third) if pk in {t.pk for t in tops}] == [
            top.pk for top in tops[100:]
        ]
        assert "Older comments</a>" in third and "comment-page-next" not in third
        assert client.get(f"{article.get_absolute_url()}?cpage=4").status_code == 404
        assert client.get(f"{article.get_absolute_url()}?cpage=abc").status_code == 200

    def test_newest_first(self, client, article):
        tops = threads(article, 60)
        set_rules(comment_order="newest")
        html = client.get(article.get_absolute_url()).content.decode()
        shown = ids_on(html)
        assert shown[0] == tops[-1].pk
        assert tops[10].pk in shown and tops[9].pk not in shown
        assert "Older comments</a>" in html

    def test_page_size_is_a_setting(self, client, article):
        threads(article, 6)
        set_rules(comments_per_page=5)
        assert len(ids_on(client.get(article.get_absolute_url()).content.decode())) == 10
        set_rules(comments_per_page=0)
        html = client.get(article.get_absolute_url()).content.decode()
        assert len(ids_on(html)) == 12
        assert "comment-navigation" not in html

    def test_a_new_comment_is_found_on_its_page(self, client, article):
        threads(article, 120)
        set_rules(require_previous_approval=False)
        response = post_comment(client, article, comment="Late to the party")
        comment = Comment.objects.latest("id")
        assert response["Location"] == f"{article.get_absolute_url()}?cpage=3#comment-{comment.pk}"
        page = client.get(response["Location"]).content.decode()
        assert "Late to the party" in page

    def test_queries_stay_flat_on_every_page(self, client, article):
        client.get(article.get_absolute_url())  # the rules are now cached
        purge_now([article_comments(article.pk)])  # each page below is built, not kept
        with CaptureQueriesContext(connection) as empty:
            client.get(article.get_absolute_url())
        threads(article, 150)
        for page in (1, 2, 3):
            client.get(article.get_absolute_url())  # the rules' 5 s cache, fresh again
            purge_now([article_comments(article.pk)])
            with CaptureQueriesContext(connection) as full:
                response = client.get(f"{article.get_absolute_url()}?cpage={page}")
            assert response.status_code == 200
            assert len(full) == len(empty) <= 8


@pytest.mark.django_db
class TestClosingOldArticles:
    """Comments close on articles older than N days (a setting, off by default)."""

    def test_old_article_is_closed(self, client):
        old = ArticleFactory(published_at=timezone.now() - timedelta(days=40))
        recent = ArticleFactory(published_at=timezone.now() - timedelta(days=10))
        assert "Post Comment" in client.get(old.get_absolute_url()).content.decode()
        set_rules(close_after_days=30)
        html = client.get(old.get_absolute_url()).content.decode()
        assert "Comments are closed." in html and "Post Comment" not in html
        response = post_comment(client, old, comment="Too late?")
        assert response.status_code == 403
        assert "Comments are closed on this article." in response.content.decode()
        assert "Too late?</textarea>" in response.content.decode()  # kept, to copy
        assert post_comment(client, recent, ip="198.51.100.3").status_code == 303
        assert Comment.objects.count() == 1


@pytest.mark.django_db
class TestEditorsEdit:
    """Editors edit a comment in the admin; the page shows the new text, safely."""

    def test_edit_body(self, client, article):
        comment = CommentFactory(article=article, body="Teh typo", body_html="<p>Teh typo</p>")
        editor = staff_client()
        form = editor.get(f"/admin/comments/comment/{comment.pk}/change/")
        assert form.status_code == 200
        response = editor.post(
            f"/admin/comments/comment/{comment.pk}/change/",
            {
                "author_name": comment.author_name,
                "author_email": comment.author_email,
                "author_url": "",
                "body": "The fix <script>x</script>",
                "status": "approved",
            },
        )
        assert response.status_code == 302
        comment.refresh_from_db()
        assert comment.body_html == "<p>The fix </p>"
        assert comment.edited_at is not None
        assert "The fix" in client.get(article.get_absolute_url()).content.decode()
