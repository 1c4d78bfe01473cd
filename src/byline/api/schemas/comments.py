from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from byline.api.pagination import CURSOR_PATTERN
from byline.comments.forms import CommentForm

_form = CommentForm.base_fields


class CommentOut(Schema):
    """An approved comment with its replies. No email address, no IP."""

    id: int
    parent_id: int | None
    author_name: str
    author_url: str | None = Field(description="The commenter's website, if given.")
    html: str = Field(description="The comment, sanitised.")
    created_at: datetime
    replies: list["CommentOut"]


class CommentThreadOut(Schema):
    article_id: int
    count: int = Field(description="Approved comments shown in the thread.")
    comments: list[CommentOut]


class CommentIn(Schema):
    """A reader's comment: the fields of the comment form, checked by the same rules."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=_form["comment"].max_length)
    name: str = Field(min_length=1, max_length=_form["author"].max_length)
    email: str = Field(
        min_length=3,
        max_length=_form["email"].max_length,
        description="Never published; used for moderation and notifications.",
    )
    url: str = Field("", max_length=_form["url"].max_length, description="A website, or empty.")
    parent_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="The approved comment this one replies to."
    )
    notify_replies: bool = Field(False, description="Email the commenter about replies.")


class CommentCreatedOut(Schema):
    id: int
    status: Literal["approved", "pending"] = Field(
        description="`approved`: it is in the thread now; `pending`: it waits for a moderator."
    )
    message: str
    url: str | None = Field(description="Where it is shown, once approved.")


ModerationStatus = Literal["pending", "approved", "spam", "trash"]


class QueueCommentOut(Schema):
    """A comment as a moderator's tool sees it. Still no email address and no IP: those
    stay in the admin."""

    id: int
    article_id: int
    parent_id: int | None
    author_name: str
    author_url: str | None
    html: str
    status: ModerationStatus
    status_reason: str
    created_at: datetime

    @staticmethod
    def resolve_author_url(comment) -> str | None:
        return comment.author_url or None

    @staticmethod
    def resolve_html(comment) -> str:
        return comment.body_html


class QueuePage(Schema):
    items: list[QueueCommentOut]
    next_cursor: str | None


class ModerationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ModerationStatus


class QueueFilters(Schema):
    status: ModerationStatus = Field("pending", description="Which queue.")
    cursor: str | None = Field(
        None, max_length=40, pattern=CURSOR_PATTERN, description="A page's `next_cursor`."
    )
    limit: int = Field(50, ge=1, le=200)
