"""Bad input on the comment form: a clear message at the right status, the reader's text
kept in the form, and nothing saved."""

import pytest
from django.test import Client

from byline.comments.models import Comment
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory

TEXT = "My carefully written thoughts about Xiaomi & Facebook <3"


def assert_rejected(response, status: int, message: str) -> None:
    body = response.content.decode()
    assert response.status_code == status
    assert message in body
    assert Comment.objects.count() == 0 or not Comment.objects.filter(body=TEXT).exists()


@pytest.mark.django_db
class TestRejectedComments:
    """Every rejected comment comes back with a message and the reader's text."""

    def test_empty_comment(self, client, article):
        response = post_comment(client, article, comment="   ", author="Ada")
        assert_rejected(response, 400, "Please type your comment.")
        assert 'value="Ada"' in response.content.decode()

    def test_missing_name(self, client, article):
        response = post_comment(client, article, comment=TEXT, author="")
        assert_rejected(response, 400, "Please enter your name.")
        assert "My carefully written thoughts about Xiaomi &amp; Facebook &lt;3" in (
            response.content.decode()
        )

    def test_invalid_email(self, client, article):
        response = post_comment(client, article, comment=TEXT, email="not-an-address")
        assert_rejected(response, 400, "Please enter a valid email address")
        assert "Xiaomi &amp; Facebook" in response.content.decode()
        assert 'value="not-an-address"' in response.content.decode()

    def test_comment_too_long(self, client, article):
        long_text = "x" * 65526
        response = post_comment(client, article, comment=long_text)
        assert_rejected(response, 400, "Your comment is too long: at most 65525 characters")
        assert long_text in response.content.decode()

    def test_comment_of_maximum_length_is_accepted(self, client, article):
        response = post_comment(client, article, comment="y" * 65525)
        assert response.status_code == 303
        assert Comment.objects.get().body == "y" * 65525

    def test_website_must_be_http(self, client, article):
        response = post_comment(client, article, comment=TEXT, url="javascript:alert(1)")
        assert_rejected(response, 400, "starting with http:// or https://")

    def test_reply_to_missing_comment(self, client, article):
        response = post_comment(client, article, comment=TEXT, parent="999999")
        assert_rejected(response, 400, "The comment you are replying to is not available")
        assert "Xiaomi &amp; Facebook" in response.content.decode()

    def test_reply_to_unapproved_comment(self, client, article):
        held = CommentFactory(article=article, status=Comment.Status.PENDING)
        response = post_comment(client, article, comment=TEXT, parent=str(held.pk))
        assert_rejected(response, 400, "The comment you are replying to is not available")
        assert Comment.objects.count() == 1

    def test_reply_to_comment_of_another_article(self, client, article):
        elsewhere = CommentFactory()
        response = post_comment(client, article, comment=TEXT, parent=str(elsewhere.pk))
        assert_rejected(response, 400, "The comment you are replying to is not available")
        assert Comment.objects.count() == 1

    def test_rejected_reply_falls_back_to_a_new_comment(self, client, article):
        """After a refused reply, the form no longer points at the bad parent."""
        response = post_comment(client, article, comment=TEXT, parent="999999")
        assert 'name="parent" id="comment_parent" value=""' in response.content.decode()
        assert "Leave a Reply</span>" in response.content.decode()

    def test_unknown_article(self, client, article):
        response = client.post(
            "/comments/post/",
            {"comment": TEXT, "author": "A", "email": "a@b.example", "article": "424242"},
        )
        assert response.status_code == 400
        assert "not attached to a published article" in response.content.decode()
        assert not Comment.objects.exists()

    def test_missing_csrf_token_is_refused(self, article):
        strict = Client(enforce_csrf_checks=True)
        response = post_comment(strict, article, comment=TEXT)
        assert response.status_code == 403
        assert "security token" in response.content.decode()
        assert not Comment.objects.exists()

    def test_get_is_not_allowed(self, client):
        assert client.get("/comments/post/").status_code == 405

    def test_closed_comments(self, client, article):
        article.allow_comments = False
        article.save()
        response = post_comment(client, article, comment=TEXT)
        assert_rejected(response, 403, "Comments are closed on this article.")
        assert "Comments are closed." in client.get(article.get_absolute_url()).content.decode()
