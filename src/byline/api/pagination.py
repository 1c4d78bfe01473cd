"""Cursor pagination for the API's lists: newest first by (a date, id). The cursor is
the position of the last item of a page, so walking a large archive costs the same on
every page and an article published meanwhile never shifts a page (no OFFSET)."""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

from byline.api.errors import invalid

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class CursorPage:
    items: list
    next_cursor: str | None


def encode_cursor(moment: datetime, pk: int) -> str:
    micros = (moment - _EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{micros}:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        micros, pk = (int(part) for part in raw.split(":"))
        return _EPOCH + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as error:
        raise invalid(
            {"cursor": "Not a cursor from this API: pass the `next_cursor` of a page."}
        ) from error


def cursor_page(queryset: QuerySet, *, field: str, cursor: str | None, limit: int) -> CursorPage:
    """One page of `queryset`, newest `field` first, after `cursor` if given."""
    if cursor:
        moment, pk = decode_cursor(cursor)
        before = Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk})
        queryset = queryset.filter(before)
    rows = list(queryset.order_by(f"-{field}", "-pk")[: limit + 1])
    items = rows[:limit]
    last = items[-1] if len(rows) > limit else None
    return CursorPage(
        items=items,
        next_cursor=encode_cursor(getattr(last, field), last.pk) if last else None,
    )
