"""Reads of comments: the visible thread of an article, one page of threads at a time and
flattened for a template that needs no recursion; where a comment's page is; and the
moderation queue's counts."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from byline.comments.models import (
    Comment,
    CommentStatusCount,
    ModerationSettings,
    public_website,
)

PUBLIC_FIELDS = (  # in ThreadComment's order
    "id", "parent_id", "depth", "author_name", "author_url", "body_html", "status",
    "created_at",
)  # fmt: skip


@dataclass(slots=True)
class ThreadComment:
    """A comment as public pages show it: its public fields, read without building a
    model instance (the thread is read as plain rows)."""

    id: int
    parent_id: int | None
    depth: int
    author_name: str
    author_url: str
    body_html: str
    status: str
    created_at: datetime
    avatar_hash: str | None = None  # with Gravatar on: a hash of the address, never the address

    @property
    def pk(self) -> int:
        return self.id

    @property
    def website(self) -> str:
        return public_website(self.author_url)


@dataclass
class ThreadItem:
    comment: ThreadComment
    depth: int
    has_children: bool
    closes: range  # how many nested lists end after this comment
    can_reply: bool
    is_held: bool


@dataclass
class ThreadPage:
    items: list[ThreadItem] = field(default_factory=list)
    number: int = 1
    has_previous: bool = False
    has_next: bool = False

    @property
    def is_paginated(self) -> bool:
        return self.has_previous or self.has_next


def _flatten(
    comments: list[ThreadComment], tops: list[ThreadComment], max_depth: int
) -> list[ThreadItem]:
    children: dict[int | None, list[ThreadComment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[tuple[ThreadComment, int]] = []
    stack = [(comment, 1) for comment in reversed(tops)]
    while stack:
        comment, depth = stack.pop()
        ordered.append((comment, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.pk, [])))

    items = []
    for index, (comment, depth) in enumerate(ordered):
        next_depth = ordered[index + 1][1] if index + 1 < len(ordered) else 1
        has_children = next_depth > depth
        is_held = comment.status == Comment.Status.PENDING
        items.append(
            ThreadItem(
                comment=comment,
                depth=depth,
                has_children=has_children,
                closes=range(0 if has_children else depth - next_depth),
                can_reply=depth < max_depth and not is_held,
                is_held=is_held,
            )
        )
    return items


def comment_thread_page(
    *,
    article_id: int,
    held_ids: list[int],
    max_depth: int,
    page: int = 1,
    per_page: int = 0,
    newest_first: bool = False,
) -> ThreadPage:
    """One page of an article's threads: `per_page` top-level comments (all when 0) in the
    site's order, each with its replies (oldest first), plus the reader's own held
    comments. One query, whatever the number of comments; replies whose parent is not
    visible are left out, as WordPress does."""
    visible = Q(status=Comment.Status.APPROVED)
    if held_ids:
        visible |= Q(pk__in=held_ids, status=Comment.Status.PENDING)
    order = ("-created_at", "-id") if newest_first else ("created_at", "id")
    comments = Comment.objects.filter(visible, article_id=article_id)
    if per_page:
        page = max(page, 1)
        start = (page - 1) * per_page
        tops = (
            Comment.objects.filter(visible, article_id=article_id, parent__isnull=True)
            .order_by(*order)
            .values("pk")[start : start + per_page + 1]
        )
        comments = comments.filter(Q(pk__in=tops) | Q(root__in=tops))
    rows = comments.order_by("created_at", "id")
    if settings.BYLINE_GRAVATAR:
        # The hash is computed here; the address itself goes no further.
        found = [
            ThreadComment(*row, hashlib.sha256(email.strip().lower().encode()).hexdigest())
            for *row, email in rows.values_list(*PUBLIC_FIELDS, "author_email")
        ]
    else:
        found = [ThreadComment(*row) for row in rows.values_list(*PUBLIC_FIELDS)]
    top_level = [comment for comment in found if comment.parent_id is None]
    if newest_first:
        top_level.reverse()
    has_next = bool(per_page) and len(top_level) > per_page
    if has_next:
        top_level = top_level[:per_page]
    return ThreadPage(
        items=_flatten(found, top_level, max_depth),
        number=page if per_page else 1,
        has_previous=bool(per_page) and page > 1,
        has_next=has_next,
    )


def comment_thread(*, article_id: int, held_ids: list[int], max_depth: int) -> list[ThreadItem]:
    """The whole visible thread of an article, on one page."""
    return comment_thread_page(article_id=article_id, held_ids=held_ids, max_depth=max_depth).items


def comment_page_number(comment: Comment, *, rules: ModerationSettings | None = None) -> int:
    """The page of the article's comments that shows `comment` (its thread's page)."""
    rules = rules or ModerationSettings.current()
    if not rules.comments_per_page or comment.status in {Comment.Status.SPAM, Comment.Status.TRASH}:
        return 1  # one page, or a comment no page shows
    root = comment if comment.root_id is None else Comment.objects.get(pk=comment.root_id)
    if rules.comment_order == ModerationSettings.Order.NEWEST:
        before = Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
    else:
        before = Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    earlier = (
        Comment.objects.approved()
        .filter(before, article_id=root.article_id, parent__isnull=True)
        .count()
    )
    return earlier // rules.comments_per_page + 1


def comment_url(comment: Comment) -> str:
    """The address of `comment` on its article's page, on the right page of comments."""
    page = comment_page_number(comment)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


def reply_target(*, article_id: int, comment_id: int) -> Comment | None:
    """The approved comment a no-JavaScript reader chose to reply to (?replytocom=ID)."""
    return (
        Comment.objects.approved()
        .filter(article_id=article_id, pk=comment_id)
        .only("id", "author_name", "depth")
        .first()
    )


def comment_status_counts() -> dict[str, int]:
    """How many comments are in each state, for the moderation queue: read from the
    counters the database keeps (one query of four rows), never counted."""
    found = dict(CommentStatusCount.objects.values_list("status", "count"))
    return {status: max(found.get(status, 0), 0) for status in Comment.Status.values}
