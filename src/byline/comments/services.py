"""Writes with side effects for comments: submitting, moderating, editing, reporting,
trusting and banning. Every new comment, from the form or the API, goes through
`comment_submit`."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from byline.articles.models import Article
from byline.articles.services import article_comment_count_set
from byline.comments.bans import bans_changed, is_banned
from byline.comments.models import (
    Ban,
    Comment,
    CommentReport,
    ModerationSettings,
    VerifiedEmail,
)
from byline.comments.moderation import moderate
from byline.comments.notifications import HELD, PUBLISHED
from byline.comments.ratelimit import rate_limit_hit, rate_limit_retry_after
from byline.comments.rendering import render_comment
from byline.comments.spam_filter import HAM, SPAM, spam_filter_score, spam_filter_teach
from byline.comments.tasks import comment_notify_on_commit, commenter_verify_on_commit

FIRST_COMMENT = "first comment from this author"


@dataclass
class CommentRejected(Exception):
    """A comment that is not saved; `field` names the form field to show `message` at
    (None for the whole form), `status` the HTTP status of the answer, and `retry_after`
    the seconds to wait for a 429."""

    message: str
    field: str | None = None
    status: int = 400
    retry_after: int | None = None


def comments_open(*, article: Article, rules: ModerationSettings) -> bool:
    """Open unless the editor closed them, or the article is older than the site allows."""
    if not article.allow_comments or not article.is_public:
        return False
    if rules.close_after_days and article.published_at:
        return article.published_at >= timezone.now() - timedelta(days=rules.close_after_days)
    return True


def _reply_parent(*, article: Article, parent_id: int | None, max_depth: int) -> Comment | None:
    if parent_id is None:
        return None
    parent = (
        Comment.objects.approved()
        .filter(pk=parent_id, article=article)
        .only("depth", "root_id")
        .first()
    )
    if parent is None:
        raise CommentRejected(
            "The comment you are replying to is not available: it may have been removed. "
            "You can post your text as a new comment instead."
        )
    if parent.depth >= max_depth:
        raise CommentRejected(
            f"Replies cannot be nested more than {max_depth} levels deep. "
            "You can reply to an earlier comment in this thread instead."
        )
    return parent


def _check_rate(*, ip: str | None, rules: ModerationSettings) -> None:
    if rate_limit_hit(ip=ip, limit=rules.rate_limit, window=rules.rate_window):
        minutes = max(1, round(rules.rate_window / 60))
        raise CommentRejected(
            f"Too many comments from your network: at most {rules.rate_limit} in "
            f"{minutes} minute{'s' if minutes != 1 else ''}. Please wait a little and send "
            "it again: your text is still here.",
            status=429,
            retry_after=rate_limit_retry_after(window=rules.rate_window),
        )


def _check_flood(*, ip: str | None, email: str, interval: int) -> None:
    if not interval:
        return
    since = timezone.now() - timedelta(seconds=interval)
    same_sender = Q(author_email=email) | Q(author_ip=ip) if ip else Q(author_email=email)
    if Comment.objects.filter(same_sender, created_at__gte=since).exists():
        raise CommentRejected(
            "You are posting comments too quickly. Please wait a few seconds and send it "
            "again: your text is still here.",
            status=429,
            retry_after=interval,
        )


def _trust(
    *, rules: ModerationSettings, name: str, email: str, verified_email: str | None
) -> tuple[bool, str]:
    """Is this author trusted, and why? Only asked when first comments are held. Verified
    trust needs the address confirmed and the sender's browser holding the proof."""
    if not rules.require_previous_approval:
        return True, ""
    if rules.trust_by == ModerationSettings.TrustBy.VERIFICATION:
        verified = (
            verified_email is not None
            and verified_email.lower() == email.lower()
            and VerifiedEmail.objects.filter(email=email.lower()).exists()
        )
        return verified, "confirmed email address"
    approved = Comment.objects.approved().filter(author_email=email, author_name=name).exists()
    return approved, "previously approved author"


def comment_submit(
    *,
    article: Article,
    body: str,
    name: str,
    email: str,
    url: str = "",
    parent_id: int | None = None,
    ip: str | None = None,
    user_agent: str = "",
    honeypot: str = "",
    notify_replies: bool = False,
    verified_email: str | None = None,
) -> Comment:
    """Check the sender (open, rate, ban, flood), decide the comment's state with the fixed
    rules and the learning filter, save it, and queue the emails it calls for. Raises
    CommentRejected, and saves nothing, when the comment is refused. `verified_email` is
    the address the sender's browser proved it confirmed (its signed cookie), if any."""
    rules = ModerationSettings.current()
    if not comments_open(article=article, rules=rules):
        raise CommentRejected("Comments are closed on this article.", status=403)
    _check_rate(ip=ip, rules=rules)
    if is_banned(email=email, ip=ip):
        raise CommentRejected(
            "Comments from your email address or network are not accepted on this site.",
            status=403,
        )
    with transaction.atomic():
        parent = _reply_parent(article=article, parent_id=parent_id, max_depth=rules.max_depth)
        _check_flood(ip=ip, email=email, interval=rules.flood_interval)
        trusted, trust_reason = _trust(
            rules=rules, name=name, email=email, verified_email=verified_email
        )
        score = None
        if not honeypot:
            score = spam_filter_score(rules=rules, body=body, name=name, url=url, email=email)
        verdict = moderate(
            rules=rules,
            body=body,
            name=name,
            email=email,
            url=url,
            ip=ip or "",
            user_agent=user_agent,
            honeypot=honeypot,
            trusted=trusted,
            trust_reason=trust_reason,
            spam=score,
        )
        if verdict.discard:
            raise CommentRejected(
                "Your comment looks like spam to this site's filter, so it was not posted. "
                "If it is not spam, please change it a little (fewer links help) and send it "
                "again: your text is still here.",
                status=403,
            )
        now = timezone.now()
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 1,
            author_name=name,
            author_email=email,
            author_url=url,
            author_ip=ip,
            user_agent=user_agent[:255],
            body=body,
            body_html=render_comment(body),
            status=verdict.status,
            status_reason=verdict.reason[:200],
            status_changed_at=now,
            spam_score=score.probability if score else None,
            notify_replies=notify_replies,
            created_at=now,
        )
        if comment.status == Comment.Status.APPROVED:
            comment_counts_refresh([article.pk])
            comment_notify_on_commit(comment_id=comment.pk, event=PUBLISHED)
        elif comment.status == Comment.Status.PENDING:
            comment_notify_on_commit(comment_id=comment.pk, event=HELD)
            if verdict.reason.startswith(FIRST_COMMENT) and (
                rules.trust_by == ModerationSettings.TrustBy.VERIFICATION
            ):
                commenter_verify_on_commit(email=email, comment_id=comment.pk)
    return comment


def comment_moderate(
    *, comment_ids: Iterable[int], status: str, reason: str, teach: bool = False
) -> int:
    """Move comments to `status`; return how many changed. With `teach` (a moderator's
    Approve or Spam), the spam filter learns from each of them, whether or not its state
    changed. Newly approved comments are announced by email, once."""
    ids = list(comment_ids)
    with transaction.atomic():
        changing = list(
            Comment.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(status=status)
            .values_list("pk", "article_id")
        )
        if changing:
            Comment.objects.filter(pk__in=[pk for pk, _ in changing]).update(
                status=status, status_reason=reason[:200], status_changed_at=timezone.now()
            )
            comment_counts_refresh({article_id for _, article_id in changing})
        if status == Comment.Status.APPROVED:
            for pk, _ in changing:
                comment_notify_on_commit(comment_id=pk, event=PUBLISHED)
        label = {Comment.Status.APPROVED: HAM, Comment.Status.SPAM: SPAM}.get(status)
        if teach and label:
            for comment in Comment.objects.filter(pk__in=ids):
                spam_filter_teach(comment=comment, label=label)
    return len(changing)


def comment_edit(*, comment: Comment, body: str) -> None:
    """An editor's change to a comment's text."""
    comment.body = body
    comment.body_html = render_comment(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])


def comment_report(*, comment: Comment, ip: str | None) -> bool:
    """A reader reports an approved comment; at the site's threshold it goes back to the
    moderation queue. Only approved comments can be reported: a report never brings a
    spam or trashed comment back. Returns whether the report counted (one per reader)."""
    rules = ModerationSettings.current()
    if not rules.report_threshold or comment.status != Comment.Status.APPROVED:
        return False
    reporter = salted_hmac(
        "byline.comments.report", ip or "unknown", algorithm="sha256"
    ).hexdigest()
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reporter=reporter)
    except IntegrityError:
        return False
    reports = CommentReport.objects.filter(comment=comment).count()
    if reports >= rules.report_threshold:
        with transaction.atomic():
            held = Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED).update(
                status=Comment.Status.PENDING,
                status_reason=f"{reports} reader reports",
                status_changed_at=timezone.now(),
            )
            if held:
                comment_counts_refresh([comment.article_id])
                comment_notify_on_commit(comment_id=comment.pk, event=HELD)
    return True


def commenter_verify(*, email: str, comment_id: int) -> bool:
    """The owner of `email` confirmed it, and that they wrote comment `comment_id`: record
    the address as confirmed, and publish that comment if it was held only because the
    address was not yet confirmed. Returns whether it was published."""
    email = email.lower()
    with transaction.atomic():
        VerifiedEmail.objects.get_or_create(email=email)
        waiting = Comment.objects.filter(
            pk=comment_id,
            author_email__iexact=email,
            status=Comment.Status.PENDING,
            status_reason__startswith=FIRST_COMMENT,
        ).values_list("pk", flat=True)
        return bool(
            comment_moderate(
                comment_ids=list(waiting), status=Comment.Status.APPROVED, reason="email confirmed"
            )
        )


def ban_add(*, kind: str, value: str, reason: str = "") -> Ban:
    ban, _ = Ban.objects.get_or_create(kind=kind, value=value, defaults={"reason": reason})
    transaction.on_commit(bans_changed)
    return ban


def comment_counts_refresh(article_ids: Iterable[int]) -> None:
    """Recount each article's approved comments rather than add or subtract, so the stored
    count cannot drift."""
    for article_id in article_ids:
        count = Comment.objects.approved().filter(article_id=article_id).count()
        article_comment_count_set(article_id=article_id, count=count)


# The earlier name, which bench/seed_demo.py and other apps' code may still use.
_refresh_comment_counts = comment_counts_refresh
