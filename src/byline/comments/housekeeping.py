"""The scheduled clean-up (run by the worker about once an hour, as a task): spam and
trash deleted after their retention periods, and commenters' IP addresses and
User-Agents erased once moderation no longer needs them. In batches, so that a large
backlog never holds a long lock."""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from byline.comments.models import Comment, ModerationSettings

BATCH = 1000


@dataclass
class Cleaned:
    spam_deleted: int = 0
    trash_deleted: int = 0
    anonymised: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _delete_older(*, status: str, days: int, batch: int) -> int:
    if not days:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            Comment.objects.filter(status=status, status_changed_at__lt=cutoff).values_list(
                "pk", flat=True
            )[:batch]
        )
        if not ids:
            return deleted
        with transaction.atomic():
            # Replies to a deleted comment go with it (they were hidden with it already).
            Comment.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def comments_anonymise(*, days: int, batch: int = BATCH) -> int:
    """Erase the IP address and User-Agent of comments older than `days`."""
    if not days:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    identifying = Q(author_ip__isnull=False) | ~Q(user_agent="")
    done = 0
    while True:
        ids = list(
            Comment.objects.filter(identifying, created_at__lt=cutoff).values_list("pk", flat=True)[
                :batch
            ]
        )
        if not ids:
            return done
        done += Comment.objects.filter(pk__in=ids).update(author_ip=None, user_agent="")


def comments_housekeeping(*, batch: int = BATCH) -> Cleaned:
    rules = ModerationSettings.current()
    return Cleaned(
        spam_deleted=_delete_older(
            status=Comment.Status.SPAM, days=rules.spam_retention_days, batch=batch
        ),
        trash_deleted=_delete_older(
            status=Comment.Status.TRASH, days=rules.trash_retention_days, batch=batch
        ),
        anonymised=comments_anonymise(days=rules.ip_retention_days, batch=batch),
    )
