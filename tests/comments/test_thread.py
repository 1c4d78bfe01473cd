"""The comments a reader sees: approved ones, threaded, and their own held ones."""

import re

import pytest
from django.test import Client

from byline.comments.models import Comment
from byline.comments.services import comment_moderate
from tests.comments.helpers import post_comment
from tests.conftest import BROWSER_UA
from tests.factories import CommentFactory


def comment_ids_in_order(html: str) -> list[int]:
    return [int(found) for found in re.findall(r"<li id=comment-(\d+)", html)]


@pytest.mark.django_db
class TestThreading:
    """Replies are nested under their parent, siblings oldest first."""

    def test_replies_nest_under_their_parent(self, client, article):
        first = CommentFactory(article=article, body_html="<p>first</p>")
        second = CommentFactory(article=article, body_html="<p>second</p>")
        reply = CommentFactory(article=article, parent=first, depth=2)
        deeper = CommentFactory(article=article, parent=reply, depth=3)
        html = client.get(article.get_absolute_url()).content.decode()
        assert comment_ids_in_order(html) == [first.pk, reply.pk, deeper.pk, second.pk]
        first_item = html.split(f"<li id=comment-{first.pk}>")[1].split(
            f"<li id=comment-{second.pk}>"
        )[0]
        assert first_item.count("<ol>") == 2
        assert first_item.count("</ol></li>") == 2

    def test_meta_line_counts_approved_comments_only(
        self, client, article, django_capture_on_commit_callbacks
    ):
        approved = CommentFactory(article=article, status="pending")
        CommentFactory(article=article, status="pending")
        CommentFactory(article=article, status="spam")
        assert "Leave a comment" in client.get(article.get_absolute_url()).content.decode()
        # Once the change commits, the kept parts of the page are purged.
        with django_capture_on_commit_callbacks(execute=True):
            comment_moderate(comment_ids=[approved.pk], status="approved", reason="test")
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<a class="comments-link" href="#comments">1 Comment</a>' in html
        assert "<section id=comments>" in html

    def test_plural_comment_count(self, client, article):
        ids = [CommentFactory(article=article, status="pending").pk for _ in range(3)]
        comment_moderate(comment_ids=ids, status="approved", reason="test")
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<a class="comments-link" href="#comments">3 Comments</a>' in html

    def test_replies_to_hidden_comments_are_not_shown(self, client, article):
        hidden = CommentFactory(article=article, status="trash")
        orphan = CommentFactory(article=article, parent=hidden, depth=2)
        html = client.get(article.get_absolute_url()).content.decode()
        assert f"comment-{orphan.pk}" not in html

    def test_website_link_is_nofollow_ugc(self, client, article):
        CommentFactory(article=article, author_name="Bob", author_url="https://bob.example/")
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<a href="https://bob.example/" rel="nofollow ugc">Bob</a>' in html

    def test_reply_without_javascript(self, client, article):
        parent = CommentFactory(article=article, author_name="Grace")
        html = client.get(f"{article.get_absolute_url()}?replytocom={parent.pk}").content.decode()
        assert "Leave a Reply to Grace" in html
        assert f'name="parent" id="comment_parent" value="{parent.pk}"' in html
        assert "id=cancel-comment-reply-link href=" in html
        assert "hidden>Cancel reply" not in html


@pytest.mark.django_db
class TestHeldCommentsAreSeenByTheirAuthorOnly:
    """A held comment shows to its author, with its status, and to nobody else."""

    def test_author_sees_the_held_comment(self, client, article):
        response = post_comment(client, article, comment="Held for now")
        assert response.status_code == 303
        page = client.get(response["Location"]).content.decode()
        assert "Held for now" in page
        assert "Your comment is awaiting moderation." in page
        assert "Leave a comment" in page  # still no approved comment
        assert "?replytocom=" not in page  # nobody can reply to it yet

    def test_other_readers_do_not(self, client, article):
        post_comment(client, article, comment="Held for now")
        other = Client(HTTP_USER_AGENT=BROWSER_UA)
        page = other.get(article.get_absolute_url()).content.decode()
        assert "Held for now" not in page
        assert "awaiting moderation" not in page

    def test_a_forged_cookie_shows_nothing(self, client, article):
        held = CommentFactory(article=article, status="pending", body_html="<p>secret</p>")
        forger = Client(HTTP_USER_AGENT=BROWSER_UA)
        forger.cookies["byline_held"] = str(held.pk)
        assert "secret" not in forger.get(article.get_absolute_url()).content.decode()

    def test_page_with_held_comment_is_private(self, client, article):
        post_comment(client, article)
        response = client.get(article.get_absolute_url())
        assert response["Cache-Control"] == "private, no-cache"

    def test_once_approved_everyone_sees_it(self, client, article):
        post_comment(client, article, comment="Now public")
        comment_moderate(comment_ids=[Comment.objects.get().pk], status="approved", reason="test")
        page = Client().get(article.get_absolute_url()).content.decode()
        assert "Now public" in page
        assert "awaiting moderation" not in page


@pytest.mark.django_db
class TestRememberMe:
    """Name, email and website go into cookies only when the reader ticks the box."""

    def test_ticked_box_prefills_the_next_form(self, client, article):
        post_comment(client, article, remember="yes", url="https://ada.example/")
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'id=author name=author value="Ada Reader"' in html
        assert 'value="ada@mail.example"' in html
        assert 'value="https://ada.example/"' in html
        assert "name=remember type=checkbox value=yes checked" in html

    def test_unticked_box_stores_nothing(self, client, article):
        response = post_comment(client, article)
        assert "comment_author_email" not in response.cookies
        html = client.get(article.get_absolute_url()).content.decode()
        assert "ada@mail.example" not in html

    def test_unticking_forgets(self, client, article):
        post_comment(client, article, remember="yes")
        response = post_comment(client, article, ip="198.51.100.3", email="new@mail.example")
        assert response.status_code == 429 or response.cookies["comment_author_email"].value == ""

    def test_comment_html_is_sanitised(self, client, article):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example")
        post_comment(
            client,
            article,
            comment="<b>bold</b> <script>alert(1)</script><img src=x onerror=alert(2)>"
            '<a href="javascript:alert(3)">x</a>',
        )
        comment = Comment.objects.latest("id")
        assert comment.body_html == '<p><b>bold</b> <a rel="nofollow ugc noopener">x</a></p>'
