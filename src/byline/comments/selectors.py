"""Reads of comments for the article page: the visible thread, flattened for a template
that needs no recursion."""

from dataclasses import dataclass

from django.db.models import Count, Q

from byline.comments.models import Comment

PUBLIC_FIELDS = (
    "id", "parent_id", "depth", "author_name", "author_url", "body_html", "status",
    "created_at",
)  # fmt: skip


@dataclass
class ThreadItem:
    comment: Comment
    depth: int
    has_children: bool
    closes: range  # how many nested lists end after this comment
    can_reply: bool
    is_held: bool


def comment_thread(*, article_id: int, held_ids: list[int], max_depth: int) -> list[ThreadItem]:
    """Approved comments of an article, plus the reader's own held ones, in thread order
    (each reply right after its parent, siblings oldest first). One query. Replies whose
    parent is not visible are left out, as WordPress does."""
    visible = Q(status=Comment.Status.APPROVED)
    if held_ids:
        visible |= Q(pk__in=held_ids, status=Comment.Status.PENDING)
    comments = list(
        Comment.objects.filter(visible, article_id=article_id)
        .only(*PUBLIC_FIELDS)
        .order_by("created_at", "id")
    )
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)

    ordered: list[tuple[Comment, int]] = []
    stack = [(comment, 1) for comment in reversed(children.get(None, []))]
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


def reply_target(*, article_id: int, comment_id: int) -> Comment | None:
    """The approved comment a no-JavaScript reader chose to reply to (?replytocom=ID)."""
    return (
        Comment.objects.approved()
        .filter(article_id=article_id, pk=comment_id)
        .only("id", "author_name", "depth")
        .first()
    )


def comment_status_counts() -> dict[str, int]:
    """How many comments are in each state, for the moderation queue."""
    found = dict(
        Comment.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in Comment.Status.values}
