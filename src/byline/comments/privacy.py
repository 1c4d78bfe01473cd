"""Everything Byline stores about one commenter's email address: exported on request,
and erased on request (the admin's actions and `byline comments export|erase EMAIL`)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from byline.comments.models import Comment, EmailOptOut, VerifiedEmail
from byline.comments.services import comment_counts_refresh

REMOVED_TEXT = "This comment was removed at its author's request."
ANONYMOUS = "Anonymous"


def commenter_export(*, email: str) -> dict:
    """All we hold for `email`, as a JSON-ready dict."""
    email = email.strip().lower()
    comments = (
        Comment.objects.filter(author_email__iexact=email)
        .select_related("article")
        .order_by("created_at", "id")
    )
    verified = VerifiedEmail.objects.filter(email__iexact=email).first()
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.title,
                "article_url": comment.article.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "name": comment.author_name,
                "email": comment.author_email,
                "website": comment.author_url,
                "ip_address": comment.author_ip,
                "user_agent": comment.user_agent,
                "text": comment.body,
                "status": comment.status,
                "status_reason": comment.status_reason,
                "notify_of_replies": comment.notify_replies,
            }
            for comment in comments
        ],
        "email_verified_at": verified.verified_at.isoformat() if verified else None,
        "email_opt_outs": [
            {"kind": kind, "since": created_at.isoformat()}
            for kind, created_at in EmailOptOut.objects.filter(email__iexact=email)
            .order_by("kind")
            .values_list("kind", "created_at")
        ],
    }


@dataclass
class Erased:
    comments_deleted: int
    comments_anonymised: int
    records_deleted: int


def commenter_erase(*, email: str) -> Erased:
    """Erase `email`'s data: their comments are deleted, except those that others replied
    to, which keep their place in the thread with the text removed, as "Anonymous", with
    no email, website, IP or browser; their address confirmation and email preferences
    are deleted. Bans are the moderators' records and stay."""
    email = email.strip().lower()
    theirs = Comment.objects.filter(author_email__iexact=email)
    with_replies = Exists(Comment.objects.filter(parent=OuterRef("pk")))
    with transaction.atomic():
        keep = list(theirs.filter(with_replies).values_list("pk", flat=True))
        approved_articles = set(
            theirs.filter(status=Comment.Status.APPROVED).values_list("article_id", flat=True)
        )
        anonymised = Comment.objects.filter(pk__in=keep).update(
            author_name=ANONYMOUS,
            author_email="",
            author_url="",
            author_ip=None,
            user_agent="",
            body=REMOVED_TEXT,
            body_html=f"<p>{REMOVED_TEXT}</p>",
            notify_replies=False,
            edited_at=timezone.now(),
        )
        _, per_model = theirs.exclude(pk__in=keep).delete()
        deleted = per_model.get(Comment._meta.label, 0)
        records = VerifiedEmail.objects.filter(email__iexact=email).delete()[0]
        records += EmailOptOut.objects.filter(email__iexact=email).delete()[0]
        comment_counts_refresh(approved_articles)
    return Erased(comments_deleted=deleted, comments_anonymised=anonymised, records_deleted=records)
