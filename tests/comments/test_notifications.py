"""Notification emails: queued by the request (after its transaction commits), sent by the
worker, each with a signed one-click unsubscribe link."""

import re
import socketserver
import subprocess
import sys
import threading

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from byline.comments.models import Comment, EmailOptOut
from byline.comments.services import comment_moderate
from byline.comments.tokens import unsubscribe_token
from byline.comments.worker import run_task_worker
from byline.mailers import mailer_from_environ
from tests.comments.helpers import post_comment, set_rules
from tests.factories import CommentFactory, UserFactory

WRITER = "writer@newsroom.example"


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True, is_superuser=True, email="mod@newsroom.example")


@pytest.fixture
def writer_article(article):
    article.author.user.email = WRITER
    article.author.user.save()
    return article


def post_and_commit(client, article, capture, **fields):
    with capture(execute=True):
        return post_comment(client, article, **fields)


def unsubscribe_path(message) -> str:
    return re.search(r"http://localhost:8000(/comments/unsubscribe/[^/\s]+/)", message.body)[1]


@pytest.mark.django_db
class TestQueuedThenSent:
    """The request only queues; the worker sends."""

    def test_held_comment_is_queued_and_mailed_to_moderators(
        self, client, writer_article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        post_and_commit(client, writer_article, django_capture_on_commit_callbacks)
        assert mailoutbox == []  # nothing sent during the request
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "byline.comments.tasks.comment_notify"
        assert queued.args_kwargs["args"][1] == "held"

        assert run_task_worker(batch=True) >= 1
        assert [message.to for message in mailoutbox] == [[moderator.email]]
        message = mailoutbox[0]
        assert "Please moderate" in message.subject
        assert "first comment from this author" in message.body
        assert f"/admin/comments/comment/{Comment.objects.get().pk}/change/" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith(
            "<http://localhost:8000/comments/unsubscribe/"
        )

    def test_visible_comment_is_mailed_to_the_articles_author(
        self, client, writer_article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        set_rules(require_previous_approval=False)
        post_and_commit(client, writer_article, django_capture_on_commit_callbacks)
        run_task_worker(batch=True)
        assert [message.to for message in mailoutbox] == [[WRITER]]
        assert "New comment on" in mailoutbox[0].subject
        assert "Xiaomi's growth is remarkable." in mailoutbox[0].body
        assert "ada@mail.example" not in mailoutbox[0].body

    def test_approval_by_a_moderator_is_announced_once(
        self, writer_article, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = CommentFactory(article=writer_article, status="pending")
        with django_capture_on_commit_callbacks(execute=True):
            comment_moderate(comment_ids=[comment.pk], status="approved", reason="test")
            comment_moderate(comment_ids=[comment.pk], status="pending", reason="test")
            comment_moderate(comment_ids=[comment.pk], status="approved", reason="test")
        run_task_worker(batch=True)
        assert [message.to for message in mailoutbox] == [[WRITER]]

    def test_a_comment_spammed_before_the_worker_runs_is_not_announced(
        self, writer_article, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = CommentFactory(article=writer_article, status="pending")
        with django_capture_on_commit_callbacks(execute=True):
            comment_moderate(comment_ids=[comment.pk], status="approved", reason="test")
        comment_moderate(comment_ids=[comment.pk], status="spam", reason="test")
        run_task_worker(batch=True)
        assert mailoutbox == []

    def test_nothing_queued_when_the_transaction_fails(
        self, client, writer_article, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_comment(client, writer_article, parent="999999")
        assert response.status_code == 400
        assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
class TestReplies:
    """A commenter who ticked "Notify me of follow-up comments by email" hears of replies."""

    def reply(self, client, article, parent, capture):
        set_rules(require_previous_approval=False)
        return post_and_commit(
            client, article, capture, parent=str(parent.pk), author="Bob Answer",
            email="bob@mail.example", comment="I disagree, politely.", ip="198.51.100.50",
        )  # fmt: skip

    def test_reply_is_mailed_to_a_subscribed_commenter(
        self, client, writer_article, mailoutbox, django_capture_on_commit_callbacks
    ):
        parent = CommentFactory(
            article=writer_article, author_email="ann@mail.example", notify_replies=True
        )
        self.reply(client, writer_article, parent, django_capture_on_commit_callbacks)
        run_task_worker(batch=True)
        to_ann = [message for message in mailoutbox if message.to == ["ann@mail.example"]]
        assert len(to_ann) == 1
        assert "Bob Answer replied to your comment" in to_ann[0].subject
        assert "I disagree, politely." in to_ann[0].body
        assert "bob@mail.example" not in to_ann[0].body

    def test_no_mail_without_the_tick(
        self, client, writer_article, mailoutbox, django_capture_on_commit_callbacks
    ):
        parent = CommentFactory(article=writer_article, author_email="ann@mail.example")
        self.reply(client, writer_article, parent, django_capture_on_commit_callbacks)
        run_task_worker(batch=True)
        assert all(message.to != ["ann@mail.example"] for message in mailoutbox)

    def test_the_tick_is_stored(self, client, writer_article):
        post_comment(client, writer_article, notify="yes")
        assert Comment.objects.get().notify_replies is True
        page = client.get(writer_article.get_absolute_url()).content.decode()
        assert "Notify me of follow-up comments by email." in page


@pytest.mark.django_db
class TestUnsubscribe:
    """Unsubscribe links work, in one click, and cannot be forged."""

    @pytest.fixture
    def message(self, client, writer_article, mailoutbox, django_capture_on_commit_callbacks):
        set_rules(require_previous_approval=False)
        post_and_commit(client, writer_article, django_capture_on_commit_callbacks)
        run_task_worker(batch=True)
        return mailoutbox[0]

    def test_link_asks_then_unsubscribes(self, message, writer_article, mailoutbox, client):
        path = unsubscribe_path(message)
        confirm = Client().get(path)
        assert confirm.status_code == 200
        assert "Stop emails about new comments on my articles to w…@newsroom.example" in (
            confirm.content.decode()
        )
        assert not EmailOptOut.objects.exists()
        done = Client().post(path)
        assert done.status_code == 200
        assert "You are unsubscribed" in done.content.decode()
        assert EmailOptOut.objects.get().email == WRITER

        mailoutbox.clear()
        comment = CommentFactory(article=writer_article, status="pending")
        comment_moderate(comment_ids=[comment.pk], status="approved", reason="test")
        from byline.comments.notifications import comment_notifications_send

        assert comment_notifications_send(comment_id=comment.pk, event="published") == 0
        assert mailoutbox == []

    def test_one_click_post_from_a_mail_program_needs_no_csrf_token(self, message):
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(unsubscribe_path(message), {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert EmailOptOut.objects.filter(email=WRITER, kind="articles").exists()

    def test_tampered_link_is_refused(self, message):
        path = unsubscribe_path(message)
        token = path.split("/")[3]
        forged = unsubscribe_token(email="victim@mail.example", kind="articles")
        bad_tokens = [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged[:-1]]
        for bad in bad_tokens:
            response = Client().post(f"/comments/unsubscribe/{bad}/")
            assert response.status_code == 400
            assert "This link is not valid" in response.content.decode()
        assert not EmailOptOut.objects.exists()

    def test_link_signed_for_another_purpose_is_refused(self):
        from django.core import signing

        other = signing.dumps({"e": WRITER, "k": "articles"}, salt="another.purpose")
        assert Client().post(f"/comments/unsubscribe/{other}/").status_code == 400
        assert not EmailOptOut.objects.exists()


class TestEmailSettings:
    """EMAIL_URL or the usual EMAIL_* variables configure SMTP through MAILERS."""

    def test_console_by_default(self):
        assert mailer_from_environ({}) == {
            "BACKEND": "django.core.mail.backends.console.EmailBackend"
        }

    def test_email_url_submission_port(self):
        found = mailer_from_environ({"EMAIL_URL": "smtp://me%40x.example:p%2Fw@mail.example:587"})
        assert found["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        assert found["OPTIONS"] == {
            "host": "mail.example", "port": 587, "username": "me@x.example",
            "password": "p/w", "use_tls": True, "use_ssl": False,
        }  # fmt: skip

    def test_email_url_smtps(self):
        found = mailer_from_environ({"EMAIL_URL": "smtps://u:p@mail.example"})["OPTIONS"]
        assert (found["port"], found["use_ssl"], found["use_tls"]) == (465, True, False)

    def test_usual_variables(self):
        found = mailer_from_environ(
            {"EMAIL_HOST": "relay.example", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "1",
             "EMAIL_HOST_USER": "u", "EMAIL_HOST_PASSWORD": "p", "EMAIL_TIMEOUT": "5"}
        )["OPTIONS"]  # fmt: skip
        assert found == {
            "host": "relay.example", "port": 2525, "username": "u", "password": "p",
            "use_tls": True, "use_ssl": False, "timeout": 5.0,
        }  # fmt: skip

    def test_unknown_scheme_is_a_clear_error(self):
        with pytest.raises(ValueError, match="unknown scheme 'gopher'"):
            mailer_from_environ({"EMAIL_URL": "gopher://x"})


@pytest.mark.django_db
def test_mail_goes_through_the_configured_mailer_in_the_real_worker(tmp_path):
    """`byline worker --batch`, a real process with EMAIL_URL set, sends what a request
    queued: here to files (file://), as it would to SMTP."""
    outbox = tmp_path / "outbox"
    env = {
        "BYLINE_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_URL": f"file://{outbox}",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    }
    run = [sys.executable, "-m", "byline"]
    subprocess.run([*run, "manage", "migrate", "-v0"], env=env, check=True, timeout=120)
    queue = (
        "from tests.factories import ArticleFactory, UserFactory;"
        "from byline.comments.services import comment_submit;"
        "from byline.comments.models import ModerationSettings as M;"
        "UserFactory(is_staff=True, is_superuser=True, email='mod@newsroom.example');"
        "a = ArticleFactory();"
        "comment_submit(article=a, body='Hello there', name='Ann', email='ann@mail.example')"
    )
    subprocess.run([*run, "manage", "shell", "--no-imports", "-c", queue], env=env, check=True,
                   timeout=120)  # fmt: skip
    result = subprocess.run(
        [*run, "worker", "--batch"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "task(s) run; the queue is empty" in result.stdout
    sent = "".join(path.read_text() for path in outbox.iterdir())
    assert "To: mod@newsroom.example" in sent
    assert "Please moderate" in sent
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in sent


@pytest.mark.django_db
def test_finished_tasks_are_pruned_after_two_weeks(
    client, writer_article, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from byline.comments.worker import periodic_jobs_run

    post_and_commit(client, writer_article, django_capture_on_commit_callbacks)
    post_and_commit(
        client, writer_article, django_capture_on_commit_callbacks,
        email="second@mail.example", ip="198.51.100.8",
    )  # fmt: skip
    run_task_worker(batch=True)
    old, recent = DBTaskResult.objects.filter(task_path__endswith="comment_notify")
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=15))
    cache.clear()  # the daily job is due again
    periodic_jobs_run()
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent.pk).exists()


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages on 127.0.0.1, for the test below."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink ready\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 sink\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                message = b"".join(iter(self.rfile.readline, b".\r\n"))
                self.server.received.append(message.decode())
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.mark.django_db
def test_email_url_sends_through_smtp(writer_article):
    """EMAIL_URL=smtp://… makes the worker's emails go to that SMTP server."""
    from django.test import override_settings

    from byline.comments.notifications import comment_notifications_send
    from byline.mailers import mailers_from_environ

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        mailers = mailers_from_environ({"EMAIL_URL": f"smtp://127.0.0.1:{port}?timeout=10"})
        comment = CommentFactory(article=writer_article, status="approved", body="Over SMTP")
        with override_settings(MAILERS=mailers):
            assert comment_notifications_send(comment_id=comment.pk, event="published") == 1
    finally:
        server.shutdown()
        server.server_close()
    assert len(server.received) == 1
    assert f"To: {WRITER}" in server.received[0]
    assert "Over SMTP" in server.received[0]
