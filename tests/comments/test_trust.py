"""Trust that cannot be copied (verified addresses), bans, and reader reports."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from byline.comments.models import Ban, Comment, CommentReport, VerifiedEmail
from byline.comments.services import comment_moderate
from byline.comments.tokens import verification_token
from byline.comments.worker import run_task_worker
from tests.comments.helpers import post_comment, set_rules, staff_client
from tests.conftest import BROWSER_UA
from tests.factories import CommentFactory

ADA = {"author": "Ada Reader", "email": "ada@mail.example"}


def verify_path(message) -> str:
    return re.search(r"http://localhost:8000(/comments/verify/[^/\s]+/)", message.body)[1]


@pytest.mark.django_db
class TestVerifiedTrust:
    """With verified trust, an author's comments go through once they confirmed their
    address from their browser; typing their name and email is not enough."""

    @pytest.fixture(autouse=True)
    def _verified_trust(self):
        set_rules(trust_by="verification", flood_interval=0)

    def first_comment(self, client, article, mailoutbox, capture):
        with capture(execute=True):
            post_comment(client, article, comment="My first words here.", **ADA)
        run_task_worker(batch=True)
        return [message for message in mailoutbox if message.to == [ADA["email"]]]

    def test_first_comment_is_held_and_a_confirmation_is_mailed(
        self, client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        sent = self.first_comment(client, article, mailoutbox, django_capture_on_commit_callbacks)
        assert Comment.objects.get().status == Comment.Status.PENDING
        assert len(sent) == 1
        assert "Please confirm your email address" in sent[0].subject
        assert "My first words here." in sent[0].body

    def test_confirming_publishes_and_trusts_this_browser(
        self, client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        sent = self.first_comment(client, article, mailoutbox, django_capture_on_commit_callbacks)
        path = verify_path(sent[0])
        page = client.get(path)
        assert page.status_code == 200
        assert "My first words here." in page.content.decode()
        assert Comment.objects.get().status == Comment.Status.PENDING  # a GET changes nothing
        response = client.post(path)
        assert response.status_code == 200
        assert "Your comment is published." in response.content.decode()
        assert Comment.objects.get().status == Comment.Status.APPROVED
        assert VerifiedEmail.objects.filter(email=ADA["email"]).exists()

        post_comment(client, article, comment="Second thought.", **ADA)
        second = Comment.objects.latest("id")
        assert second.status == Comment.Status.APPROVED
        assert second.status_reason.startswith("confirmed email address")

    def test_typing_a_trusted_name_and_email_is_not_enough(self, client, article):
        CommentFactory(article=article, author_name=ADA["author"], author_email=ADA["email"])
        VerifiedEmail.objects.create(email=ADA["email"])
        impostor = Client(HTTP_USER_AGENT=BROWSER_UA)
        post_comment(impostor, article, comment="Buy my stuff", ip="198.51.100.66", **ADA)
        latest = Comment.objects.latest("id")
        assert latest.status == Comment.Status.PENDING
        assert latest.status_reason.startswith("first comment from this author")

    def test_approval_mode_is_copyable_which_is_why_verification_exists(self, client, article):
        set_rules(trust_by="approval")
        CommentFactory(article=article, author_name=ADA["author"], author_email=ADA["email"])
        impostor = Client(HTTP_USER_AGENT=BROWSER_UA)
        post_comment(impostor, article, comment="Buy my stuff", ip="198.51.100.66", **ADA)
        assert Comment.objects.latest("id").status == Comment.Status.APPROVED

    def test_only_one_confirmation_mail_a_day(
        self, client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        self.first_comment(client, article, mailoutbox, django_capture_on_commit_callbacks)
        sent = self.first_comment(client, article, mailoutbox, django_capture_on_commit_callbacks)
        assert len(sent) == 1

    def test_tampered_or_expired_links_are_refused(self, client, article, monkeypatch):
        comment = CommentFactory(
            article=article, author_email=ADA["email"], status="pending",
            status_reason="first comment from this author",
        )  # fmt: skip
        good = verification_token(email=ADA["email"], comment_id=comment.pk)
        other = verification_token(email="eve@mail.example", comment_id=comment.pk)
        for bad in (good[:-3] + "xyz", other):
            response = client.post(f"/comments/verify/{bad}/")
            assert response.status_code == 400
        real_time = time.time
        monkeypatch.setattr(signing.time, "time", lambda: real_time() - 8 * 24 * 3600)
        old = verification_token(email=ADA["email"], comment_id=comment.pk)
        monkeypatch.undo()
        assert client.post(f"/comments/verify/{old}/").status_code == 400
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert not VerifiedEmail.objects.exists()


@pytest.mark.django_db
class TestBans:
    """Moderators ban by email, domain, IP or network: the comment is refused, with a
    message, and nothing is stored."""

    @pytest.mark.parametrize(
        ("kind", "value", "fields"),
        [
            ("email", "ada@mail.example", {}),
            ("email", "@mail.example", {}),
            ("ip", "203.0.113.7", {}),
            ("ip", "203.0.113.0/24", {"ip": "203.0.113.200"}),
            ("ip", "2001:db8::/48", {"ip": "2001:db8:0:5::1"}),
        ],
    )
    def test_banned_sender_is_refused(self, client, article, kind, value, fields):
        Ban.objects.create(kind=kind, value=value)
        response = post_comment(client, article, comment="Still here", **fields)
        assert response.status_code == 403
        assert "not accepted on this site" in response.content.decode()
        assert "Still here</textarea>" in response.content.decode()
        assert not Comment.objects.exists()

    def test_others_are_not_affected(self, client, article):
        Ban.objects.create(kind="ip", value="203.0.113.0/24")
        response = post_comment(client, article, ip="198.51.100.1")
        assert response.status_code == 303

    def test_admin_actions_ban_email_and_ip(self, client, article):
        comment = CommentFactory(article=article, author_ip="198.51.100.9", status="spam")
        editor = staff_client()
        for action in ("ban_emails", "ban_ips"):
            editor.post(
                "/admin/comments/comment/", {"action": action, "_selected_action": [comment.pk]}
            )
        assert set(Ban.objects.values_list("kind", "value")) == {
            ("email", comment.author_email), ("ip", "198.51.100.9"),
        }  # fmt: skip
        response = post_comment(client, article, ip="198.51.100.9", email="new@mail.example")
        assert response.status_code == 403

    def test_admin_form_checks_the_value(self):
        editor = staff_client()
        response = editor.post("/admin/comments/ban/add/", {"kind": "ip", "value": "300.1.1.1"})
        assert response.status_code == 200
        assert "Enter an IP address (203.0.113.7) or a network" in response.content.decode()
        editor.post("/admin/comments/ban/add/", {"kind": "ip", "value": "203.0.113.9/24"})
        assert Ban.objects.get().value == "203.0.113.0/24"


@pytest.mark.django_db
class TestReports:
    """Readers report approved comments; enough reports send one back to the queue, and
    reports never pull spam or trash back into it."""

    def report(self, comment, ip: str):
        return Client(REMOTE_ADDR=ip).post(f"/comments/{comment.pk}/report/")

    def test_report_page_asks_first(self, article):
        comment = CommentFactory(article=article, body_html="<p>rude words</p>")
        page = Client().get(f"/comments/{comment.pk}/report/")
        assert page.status_code == 200
        assert "Report this comment?" in page.content.decode()
        assert "rude words" in page.content.decode()
        assert not CommentReport.objects.exists()

    def test_three_readers_send_it_back_to_the_queue(self, article):
        comment = CommentFactory(article=article)
        for ip in ("198.51.100.1", "198.51.100.2"):
            assert self.report(comment, ip).status_code == 200
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        self.report(comment, "198.51.100.3")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert comment.status_reason == "3 reader reports"
        article.refresh_from_db()
        assert article.comment_count == 0

    def test_one_reader_counts_once(self, article):
        comment = CommentFactory(article=article)
        for _ in range(3):
            self.report(comment, "198.51.100.1")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert CommentReport.objects.count() == 1
        assert "198.51.100.1" not in CommentReport.objects.get().reporter

    @pytest.mark.parametrize("status", ["spam", "trash", "pending"])
    def test_reports_never_pull_hidden_comments_into_the_queue(self, article, status):
        comment = CommentFactory(article=article, status=status)
        for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
            assert self.report(comment, ip).status_code == 404
        comment.refresh_from_db()
        assert comment.status == status
        assert not CommentReport.objects.exists()

    def test_a_moderator_can_approve_it_again(self, article):
        comment = CommentFactory(article=article)
        set_rules(report_threshold=1)
        self.report(comment, "198.51.100.1")
        comment_moderate(comment_ids=[comment.pk], status="approved", reason="fine")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED

    def test_reports_switched_off(self, article):
        set_rules(report_threshold=0)
        comment = CommentFactory(article=article)
        self.report(comment, "198.51.100.1")
        assert not CommentReport.objects.exists()

    def test_report_link_on_the_page(self, client, article):
        comment = CommentFactory(article=article)
        html = client.get(article.get_absolute_url()).content.decode()
        assert f"<a href=/comments/{comment.pk}/report/>Report</a>" in html
