"""Commenters' data: IP and browser erased after 30 days, spam and trash deleted after
15 and 30 days, export and erase for one address, and no email hash on public pages
unless Gravatar is on."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from byline.comments.housekeeping import comments_housekeeping
from byline.comments.models import Ban, Comment, CommentStatusCount, EmailOptOut, VerifiedEmail
from byline.comments.privacy import REMOVED_TEXT
from byline.comments.worker import periodic_jobs_run, run_task_worker
from tests.comments.helpers import set_rules, staff_client
from tests.factories import CommentFactory

EMAIL = "private.person@mail.example"


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.mark.django_db
class TestAnonymisation:
    """IP address and User-Agent are kept for moderation, then erased after 30 days."""

    def test_old_comments_lose_ip_and_browser(self, article):
        old = CommentFactory(article=article, author_ip="198.51.100.1", user_agent="Firefox",
                             created_at=days_ago(31))  # fmt: skip
        recent = CommentFactory(article=article, author_ip="198.51.100.2", user_agent="Chrome",
                                created_at=days_ago(29))  # fmt: skip
        assert comments_housekeeping().anonymised == 1
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.author_ip, old.user_agent) == (None, "")
        assert (recent.author_ip, recent.user_agent) == ("198.51.100.2", "Chrome")
        assert old.body == "A thoughtful remark." and old.author_email  # nothing else changes

    def test_period_is_a_setting(self, article):
        set_rules(ip_retention_days=7)
        comment = CommentFactory(article=article, author_ip="198.51.100.1", created_at=days_ago(8))
        comments_housekeeping()
        comment.refresh_from_db()
        assert comment.author_ip is None
        set_rules(ip_retention_days=0)
        kept = CommentFactory(article=article, author_ip="198.51.100.1", created_at=days_ago(900))
        comments_housekeeping()
        kept.refresh_from_db()
        assert kept.author_ip == "198.51.100.1"

    def test_the_worker_schedules_it(self, article):
        comment = CommentFactory(article=article, author_ip="198.51.100.1", created_at=days_ago(40))
        assert run_task_worker(batch=True) == 1  # the hourly clean-up, queued and run
        comment.refresh_from_db()
        assert comment.author_ip is None
        assert periodic_jobs_run() == 0  # not again within the hour


@pytest.mark.django_db
class TestExpiry:
    """Spam is deleted 15 days after it became spam, trash 30 days after, in batches."""

    def test_spam_and_trash_expire(self, article):
        def make(status, days):
            return CommentFactory(article=article, status=status, status_changed_at=days_ago(days))

        expired = [make("spam", 16), make("spam", 20), make("trash", 31)]
        kept = [make("spam", 14), make("trash", 29), make("approved", 400), make("pending", 400)]
        done = comments_housekeeping(batch=1)
        assert (done.spam_deleted, done.trash_deleted) == (2, 1)
        remaining = set(Comment.objects.values_list("pk", flat=True))
        assert remaining == {comment.pk for comment in kept}
        assert not remaining & {comment.pk for comment in expired}
        assert dict(CommentStatusCount.objects.values_list("status", "count")) == {
            "spam": 1, "trash": 1, "approved": 1, "pending": 1,
        }  # fmt: skip

    def test_retention_is_counted_from_the_decision_not_the_comment(self, article):
        comment = CommentFactory(article=article, created_at=days_ago(100))
        from byline.comments.services import comment_moderate

        comment_moderate(comment_ids=[comment.pk], status="trash", reason="test")
        comments_housekeeping()
        assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.django_db
class TestExportAndErase:
    """Everything stored for one address: exported, or erased, and nobody else's."""

    @pytest.fixture
    def data(self, article):
        mine = CommentFactory(
            article=article, author_email=EMAIL, author_name="Pat", author_ip="198.51.100.7",
            user_agent="Firefox", body="Mine",
        )  # fmt: skip
        answered = CommentFactory(article=article, author_email=EMAIL.upper(), author_name="Pat",
                                  body="Answered")  # fmt: skip
        reply = CommentFactory(article=article, parent=answered, depth=2, body="A reply")
        other = CommentFactory(article=article, author_email="other@mail.example", body="Other")
        VerifiedEmail.objects.create(email=EMAIL)
        EmailOptOut.objects.create(email=EMAIL, kind="replies")
        Ban.objects.create(kind="email", value=EMAIL, reason="kept by moderators")
        article.comment_count = 4
        article.save()
        return {"mine": mine, "answered": answered, "reply": reply, "other": other}

    def test_export_has_all_of_it_and_only_it(self, data):
        out = self.command_output("export", EMAIL.upper())
        exported = json.loads(out)
        assert exported["email"] == EMAIL
        assert [comment["text"] for comment in exported["comments"]] == ["Mine", "Answered"]
        first = exported["comments"][0]
        assert (first["ip_address"], first["user_agent"], first["name"]) == (
            "198.51.100.7", "Firefox", "Pat",
        )  # fmt: skip
        assert exported["email_verified_at"]
        assert [item["kind"] for item in exported["email_opt_outs"]] == ["replies"]
        assert "Other" not in out and "A reply" not in out

    def test_erase_does_exactly_what_it_says(self, data, article):
        out = self.command_output("erase", EMAIL, "--yes")
        assert "1 comment(s) deleted, 1 kept as 'Anonymous'" in out
        assert not Comment.objects.filter(pk=data["mine"].pk).exists()
        answered = Comment.objects.get(pk=data["answered"].pk)
        assert (answered.author_name, answered.author_email, answered.author_url) == (
            "Anonymous", "", "",
        )  # fmt: skip
        assert (answered.author_ip, answered.user_agent, answered.body) == (None, "", REMOVED_TEXT)
        assert Comment.objects.get(pk=data["reply"].pk).body == "A reply"
        assert Comment.objects.get(pk=data["other"].pk).body == "Other"
        assert not VerifiedEmail.objects.exists()
        assert not EmailOptOut.objects.exists()
        assert Ban.objects.filter(value=EMAIL).exists()
        assert not Comment.objects.filter(author_email__iexact=EMAIL).exists()
        article.refresh_from_db()
        assert article.comment_count == 3
        assert json.loads(self.command_output("export", EMAIL))["comments"] == []

    def test_erase_asks_first(self, data, monkeypatch):
        from django.core.management import CommandError

        monkeypatch.setattr("builtins.input", lambda prompt: "n")
        with pytest.raises(CommandError, match="Nothing was erased"):
            call_command("comments", "erase", EMAIL)
        assert Comment.objects.filter(author_email__iexact=EMAIL).count() == 2

    def test_bad_address(self):
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="is not an email address"):
            call_command("comments", "export", "nobody")

    def test_admin_export_and_erase(self, data):
        editor = staff_client()
        export = editor.post(
            "/admin/comments/comment/",
            {"action": "export_commenters", "_selected_action": [data["mine"].pk]},
        )
        assert export["Content-Disposition"] == 'attachment; filename="commenters-export.json"'
        assert json.loads(export.content)[0]["email"] == EMAIL
        ask = editor.post(
            "/admin/comments/comment/",
            {"action": "erase_commenters", "_selected_action": [data["mine"].pk]},
        )
        assert ask.status_code == 200 and "Yes, erase their data" in ask.content.decode()
        assert Comment.objects.filter(pk=data["mine"].pk).exists()
        editor.post(
            "/admin/comments/comment/",
            {"action": "erase_commenters", "_selected_action": [data["mine"].pk],
             "confirmed": "yes"},
        )  # fmt: skip
        assert not Comment.objects.filter(author_email__iexact=EMAIL).exists()

    @staticmethod
    def command_output(*args) -> str:
        from io import StringIO

        out = StringIO()
        call_command("comments", *args, stdout=out)
        return out.getvalue()


@pytest.mark.django_db
class TestGravatar:
    """No email hash on public pages unless the operator turns Gravatar on."""

    def hashes(self):
        email = EMAIL.encode()
        return hashlib.sha256(email).hexdigest(), hashlib.md5(email).hexdigest()  # noqa: S324

    def test_off_by_default(self, article):
        CommentFactory(article=article, author_email=EMAIL)
        html = Client().get(article.get_absolute_url()).content.decode()
        assert not any(digest in html for digest in self.hashes())
        assert "gravatar" not in html

    @override_settings(BYLINE_GRAVATAR=True)
    def test_on_shows_the_hash_never_the_address(self, article):
        CommentFactory(article=article, author_email=EMAIL)
        html = Client().get(article.get_absolute_url()).content.decode()
        assert f"https://www.gravatar.com/avatar/{self.hashes()[0]}?s=96&amp;d=identicon" in html
        assert EMAIL not in html
