"""A commenter's email address, and IP, appear in no public response."""

import pytest
from django.test import Client

from byline.comments.models import Comment
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory

EMAIL = "private.person@mail.example"
IP = "198.51.100.77"


@pytest.mark.django_db
class TestEmailNeverPublic:
    """Approved or held, a comment's email and IP stay in the database."""

    def test_no_email_or_ip_on_any_page(self, client, article):
        CommentFactory(article=article, author_email=EMAIL, author_ip=IP, author_url="")
        held = CommentFactory(article=article, author_email="held." + EMAIL, status="pending")
        reader = Client()
        pages = [
            article.get_absolute_url(),
            f"{article.get_absolute_url()}?replytocom={Comment.objects.first().pk}",
            "/",
            article.author.get_absolute_url(),
            f"/{article.published_at.year}/",
        ]
        for url in pages:
            response = reader.get(url)
            assert response.status_code == 200, url
            html = response.content.decode().lower()
            assert EMAIL not in html and IP not in html and held.author_email not in html
            assert "mail.example" not in html

    def test_own_submission_does_not_echo_the_email_to_others(self, client, article):
        post_comment(client, article, email=EMAIL, remember="yes")
        html = Client().get(article.get_absolute_url()).content.decode()
        assert EMAIL not in html
