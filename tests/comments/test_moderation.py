"""WordPress's default moderation rules, each one a setting editors change in the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from byline.comments.models import Comment, ModerationSettings
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory


def rules(**changes) -> ModerationSettings:
    settings = ModerationSettings.current()
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def last_comment() -> Comment:
    return Comment.objects.latest("id")


@pytest.mark.django_db
class TestFirstCommentIsHeld:
    """A comment is held unless its author (name and email) has an approved comment."""

    def test_first_time_commenter_is_held(self, client, article):
        post_comment(client, article)
        assert last_comment().status == Comment.Status.PENDING
        assert last_comment().status_reason == "first comment from this author"

    def test_previously_approved_author_goes_through(self, client, article):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example")
        post_comment(client, article)
        assert last_comment().status == Comment.Status.APPROVED

    def test_same_email_with_another_name_is_held(self, client, article):
        CommentFactory(author_name="Somebody Else", author_email="ada@mail.example")
        post_comment(client, article)
        assert last_comment().status == Comment.Status.PENDING

    def test_a_held_earlier_comment_does_not_count(self, client, article):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example", status="pending")
        post_comment(client, article)
        assert last_comment().status == Comment.Status.PENDING

    def test_rule_switched_off(self, client, article):
        rules(require_previous_approval=False)
        post_comment(client, article)
        assert last_comment().status == Comment.Status.APPROVED

    def test_hold_every_comment(self, client, article):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example")
        rules(hold_all=True)
        post_comment(client, article)
        assert last_comment().status == Comment.Status.PENDING


@pytest.mark.django_db
class TestLinksAreHeld:
    """A comment with 2 or more links is held, even from a trusted author."""

    @pytest.fixture(autouse=True)
    def _trusted(self):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example")

    def test_one_link_goes_through(self, client, article):
        post_comment(client, article, comment="See https://example.com/a for details.")
        assert last_comment().status == Comment.Status.APPROVED

    def test_two_links_are_held(self, client, article):
        post_comment(client, article, comment="See https://example.com/a and http://example.org/b")
        assert last_comment().status == Comment.Status.PENDING
        assert last_comment().status_reason == "2 links"

    def test_anchor_tags_count_once_each(self, client, article):
        body = '<a href="https://a.example">one</a> and <a href="https://b.example">two</a>'
        post_comment(client, article, comment=body)
        assert last_comment().status_reason == "2 links"

    def test_threshold_is_a_setting(self, client, article):
        rules(max_links=3)
        post_comment(client, article, comment="https://a.example https://b.example")
        assert last_comment().status == Comment.Status.APPROVED


@pytest.mark.django_db
class TestModerationWords:
    """A comment containing a word of the moderation list is held."""

    def test_word_in_body_holds(self, client, article):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example")
        rules(moderation_words="casino\nviagra")
        post_comment(client, article, comment="Best CASINO bonuses here")
        assert last_comment().status == Comment.Status.PENDING
        assert last_comment().status_reason == "moderation word: casino"

    def test_ip_in_list_holds(self, client, article):
        CommentFactory(author_name="Ada Reader", author_email="ada@mail.example")
        rules(moderation_words="203.0.113.7")
        post_comment(client, article)
        assert last_comment().status == Comment.Status.PENDING


@pytest.mark.django_db
class TestDisallowedWords:
    """A comment containing a word of the disallowed list goes to the trash, unseen."""

    def test_disallowed_word_trashes(self, client, article):
        rules(disallowed_words="cheap pills")
        response = post_comment(client, article, comment="Buy cheap pills now")
        comment = last_comment()
        assert comment.status == Comment.Status.TRASH
        assert comment.status_reason == "disallowed word: cheap pills"
        page = client.get(response["Location"]).content.decode()
        assert "Buy cheap pills now" not in page

    def test_disallowed_email_trashes(self, client, article):
        rules(disallowed_words="spammer.example")
        post_comment(client, article, email="x@spammer.example")
        assert last_comment().status == Comment.Status.TRASH


@pytest.mark.django_db
class TestFloodInterval:
    """At most one comment per 15 seconds from the same IP or email."""

    def test_second_comment_from_same_ip_is_refused(self, client, article):
        post_comment(client, article, email="first@mail.example")
        response = post_comment(
            client, article, email="second@mail.example", comment="Second thought"
        )
        assert response.status_code == 429
        assert "You are posting comments too quickly" in response.content.decode()
        assert "Second thought" in response.content.decode()
        assert Comment.objects.count() == 1

    def test_second_comment_from_same_email_is_refused(self, client, article):
        post_comment(client, article, ip="198.51.100.1")
        response = post_comment(client, article, ip="198.51.100.2")
        assert response.status_code == 429

    def test_after_the_interval_it_is_accepted(self, client, article):
        post_comment(client, article)
        Comment.objects.update(created_at=timezone.now() - timedelta(seconds=16))
        assert post_comment(client, article, comment="Later").status_code == 303

    def test_other_readers_are_not_slowed(self, client, article):
        post_comment(client, article)
        response = post_comment(client, article, email="bob@mail.example", ip="198.51.100.9")
        assert response.status_code == 303


@pytest.mark.django_db
class TestHoneypot:
    """A bot that fills in the hidden field is caught: its comment is spam."""

    def test_filled_honeypot_is_spam(self, client, article):
        post_comment(client, article, homepage="http://bot.example")
        assert last_comment().status == Comment.Status.SPAM
        assert last_comment().status_reason == "honeypot field filled in"

    def test_honeypot_is_hidden_from_people(self, client, article):
        page = client.get(article.get_absolute_url()).content.decode()
        assert 'class="comment-form-homepage" aria-hidden="true"' in page
        assert 'name="homepage" type="text" value="" tabindex="-1"' in page


@pytest.mark.django_db
class TestThreadDepth:
    """Replies nest 5 levels deep by default; deeper replies are refused."""

    def test_reply_below_max_depth_is_refused(self, client, article):
        parent = None
        for depth in range(1, 6):
            parent = CommentFactory(article=article, parent=parent, depth=depth)
        response = post_comment(client, article, parent=str(parent.pk))
        assert response.status_code == 400
        assert "cannot be nested more than 5 levels" in response.content.decode()

    def test_depth_is_a_setting(self, client, article):
        rules(max_depth=2)
        top = CommentFactory(article=article)
        reply = CommentFactory(article=article, parent=top, depth=2)
        page = client.get(article.get_absolute_url()).content.decode()
        assert f'"?replytocom={top.pk}#respond"' in page
        assert f'"?replytocom={reply.pk}#respond"' not in page
