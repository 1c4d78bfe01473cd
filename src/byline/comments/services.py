"""Writes with side effects for comments: submitting and moderating."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from byline.articles.models import Article
from byline.articles.services import article_comment_count_set
from byline.comments.models import Comment, ModerationSettings
from byline.comments.moderation import moderate
from byline.comments.rendering import render_comment


@dataclass
class CommentRejected(Exception):
    """A comment that is not saved; `field` names the form field to show `message` at
    (None for the whole form), `status` the HTTP status of the answer."""

    message: str
    field: str | None = None
    status: int = 400


def _reply_parent(*, article: Article, parent_id: int | None, max_depth: int) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.approved().filter(pk=parent_id, article=article).only("depth").first()
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
        )


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
) -> Comment:
    """Validate against the site's rules, decide the comment's state and save it."""
    if not article.allow_comments or not article.is_public:
        raise CommentRejected("Comments are closed on this article.", status=403)
    rules = ModerationSettings.current()
    with transaction.atomic():
        parent = _reply_parent(article=article, parent_id=parent_id, max_depth=rules.max_depth)
        _check_flood(ip=ip, email=email, interval=rules.flood_interval)
        verdict = moderate(
            rules=rules,
            body=body,
            name=name,
            email=email,
            url=url,
            ip=ip or "",
            user_agent=user_agent,
            honeypot=honeypot,
            approved_before=Comment.objects.approved()
            .filter(author_email=email, author_name=name)
            .exists(),
        )
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            author_name=name,
            author_email=email,
            author_url=url,
            author_ip=ip,
            user_agent=user_agent[:255],
            body=body,
            body_html=render_comment(body),
            status=verdict.status,
            status_reason=verdict.reason,
        )
        if comment.status == Comment.Status.APPROVED:
            _refresh_comment_counts([article.pk])
    return comment


def comment_moderate(*, comment_ids: Iterable[int], status: str, reason: str) -> int:
    """Move comments to `status` (a moderator's decision); return how many changed."""
    with transaction.atomic():
        changing = list(
            Comment.objects.select_for_update()
            .filter(pk__in=list(comment_ids))
            .exclude(status=status)
            .values_list("pk", "article_id")
        )
        if not changing:
            return 0
        Comment.objects.filter(pk__in=[pk for pk, _ in changing]).update(
            status=status, status_reason=reason
        )
        _refresh_comment_counts({article_id for _, article_id in changing})
    return len(changing)


def comment_edit(*, comment: Comment, body: str) -> None:
    comment.body = body
    comment.body_html = render_comment(body)
    comment.save(update_fields=["body", "body_html"])


def _refresh_comment_counts(article_ids: Iterable[int]) -> None:
    """Recount rather than add or subtract, so the stored count cannot drift."""
    for article_id in article_ids:
        count = Comment.objects.approved().filter(article_id=article_id).count()
        article_comment_count_set(article_id=article_id, count=count)
