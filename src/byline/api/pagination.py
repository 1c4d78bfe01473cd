"""Cursor pagination for the API's lists: newest first by (a date, id). The cursor is
the position of the last item of a page, so walking a large archive costs the same on
every page and an article published meanwhile never shifts a page (no OFFSET).

A cursor reads `<microseconds since 0001-01-01 UTC>-<id>`; clients pass it back as given.
Any string of that shape is a valid position (a date past the year 9999 counts as the
end of time), so the schema's pattern says exactly which cursors are accepted."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

from byline.api.errors import invalid

CURSOR_PATTERN = r"^[0-9]{1,18}-[0-9]{1,18}$"
_START = datetime(1, 1, 1, tzinfo=UTC)
_END = datetime.max.replace(tzinfo=UTC)


@dataclass
class CursorPage:
    items: list
    next_cursor: str | None


def encode_cursor(moment: datetime, pk: int) -> str:
    return f"{(moment - _START) // timedelta(microseconds=1)}-{pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        micros, pk = (int(part) for part in cursor.split("-"))
    except ValueError as error:
        raise invalid(
            {"cursor": "Not a cursor from this API: pass the `next_cursor` of a page."}
        ) from error
    try:
        moment = _START + timedelta(microseconds=micros)
    except OverflowError:
        moment = _END
    return moment, pk


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
