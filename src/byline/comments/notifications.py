"""Who is told of a comment by email, and what they read. Run by the worker (`tasks.py`),
never in a reader's request. Every message carries a signed one-click unsubscribe link,
in the text and in the List-Unsubscribe headers (RFC 8058)."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from byline.comments.models import Comment, EmailOptOut
from byline.comments.selectors import comment_url
from byline.comments.tokens import unsubscribe_token, verification_token

PUBLISHED, HELD = "published", "held"


def absolute(path: str) -> str:
    return settings.BYLINE_SITE_URL + path


def _opted_out(email: str, kind: str) -> bool:
    return EmailOptOut.objects.filter(email__iexact=email, kind=kind).exists()


def _send(*, to: str, kind: str, template: str, context: dict) -> None:
    unsubscribe = absolute(
        reverse("comments:unsubscribe", args=[unsubscribe_token(email=to, kind=kind)])
    )
    context = {
        **context,
        "site_name": settings.BYLINE_SITE_NAME,
        "unsubscribe_url": unsubscribe,
        "kind_label": EmailOptOut.Kind(kind).label,
    }
    subject = " ".join(render_to_string(f"comments/email/{template}.subject.txt", context).split())
    EmailMessage(
        subject=subject,
        body=render_to_string(f"comments/email/{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    ).send()


def _moderators() -> list[str]:
    """Active staff who may moderate comments and have an address."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="change_comment")
            | Q(groups__permissions__codename="change_comment")
        )
        .distinct()
    )
    return sorted({user.email for user in users})


def comment_notifications_send(*, comment_id: int, event: str) -> int:
    """Send what `event` calls for; return how many messages went out. Safe to run twice:
    a publication is announced once, a held comment only while it is still held."""
    comment = (
        Comment.objects.select_related("article__author__user", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_url": absolute(comment_url(comment)),
    }
    sent = 0
    if event == HELD:
        if comment.status != Comment.Status.PENDING:
            return 0
        context["moderate_url"] = absolute(
            reverse("admin:comments_comment_change", args=[comment.pk])
        )
        for email in _moderators():
            if not _opted_out(email, EmailOptOut.Kind.MODERATION):
                _send(to=email, kind=EmailOptOut.Kind.MODERATION, template="held", context=context)
                sent += 1
        return sent

    claimed = Comment.objects.filter(
        pk=comment.pk, status=Comment.Status.APPROVED, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return 0
    commenter = comment.author_email.lower()
    writer = comment.article.author.user.email.lower()
    if writer and writer != commenter and not _opted_out(writer, EmailOptOut.Kind.ARTICLES):
        _send(to=writer, kind=EmailOptOut.Kind.ARTICLES, template="published", context=context)
        sent += 1
    parent = comment.parent
    if (
        parent is not None
        and parent.notify_replies
        and parent.status == Comment.Status.APPROVED
        and parent.author_email
        and parent.author_email.lower() != commenter
        and not _opted_out(parent.author_email, EmailOptOut.Kind.REPLIES)
    ):
        _send(
            to=parent.author_email,
            kind=EmailOptOut.Kind.REPLIES,
            template="reply",
            context={**context, "parent": parent},
        )
        sent += 1
    return sent


def commenter_verification_send(*, email: str, comment_id: int) -> bool:
    """Ask a commenter to confirm their address and their comment (verified trust), at
    most once a day per address, so the form cannot flood someone's mailbox."""
    email = email.lower()
    comment = Comment.objects.filter(
        pk=comment_id, author_email__iexact=email, status=Comment.Status.PENDING
    ).first()
    if comment is None:
        return False
    digest = hashlib.sha256(email.encode()).hexdigest()
    if not cache.add(f"comments:verification-sent:{digest}", 1, timeout=24 * 3600):
        return False
    token = verification_token(email=email, comment_id=comment.pk)
    url = absolute(reverse("comments:verify", args=[token]))
    context = {
        "verify_url": url,
        "site_name": settings.BYLINE_SITE_NAME,
        "comment": comment,
        "article": comment.article,
    }
    subject = " ".join(render_to_string("comments/email/verify.subject.txt", context).split())
    EmailMessage(
        subject=subject,
        body=render_to_string("comments/email/verify.txt", context),
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True
