"""Background work for comments, through Django's tasks framework (stored in the
database by django-tasks-db, run by `byline worker`). Requests only enqueue, after their
transaction commits."""

from functools import partial

from django.db import transaction
from django.tasks import task

from byline.comments.housekeeping import comments_housekeeping
from byline.comments.notifications import comment_notifications_send, commenter_verification_send


@task
def comment_notify(comment_id: int, event: str) -> int:
    return comment_notifications_send(comment_id=comment_id, event=event)


@task
def commenter_verify(email: str, comment_id: int) -> bool:
    return commenter_verification_send(email=email, comment_id=comment_id)


@task
def comments_clean_up() -> dict[str, int]:
    return comments_housekeeping().as_dict()


def comment_notify_on_commit(*, comment_id: int, event: str) -> None:
    transaction.on_commit(partial(comment_notify.enqueue, comment_id, event))


def commenter_verify_on_commit(*, email: str, comment_id: int) -> None:
    transaction.on_commit(partial(commenter_verify.enqueue, email, comment_id))
