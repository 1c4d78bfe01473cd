"""Keyset pagination for article lists: "Older articles" and "Newer articles" links carry
the position of the last article shown, so page 1,000 costs what page 1 costs (no OFFSET
scan, no COUNT over the table)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict


@dataclass
class CursorPage:
    items: list
    older: str | None  # cursor for the next page back in time
    newer: str | None  # cursor for the page before this one

    @property
    def older_query(self) -> str:
        return _query("before", self.older)

    @property
    def newer_query(self) -> str:
        return _query("after", self.newer)


def _query(name: str, cursor: str | None) -> str:
    params = QueryDict(mutable=True)
    if cursor:
        params[name] = cursor
    return params.urlencode()


def encode_cursor(article) -> str:
    return f"{int(article.published_at.timestamp() * 1_000_000)}-{article.pk}"


def decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        micros, pk = (int(part) for part in value.split("-", 1))
        moment = datetime.fromtimestamp(micros / 1_000_000, tz=UTC).replace(
            microsecond=micros % 1_000_000
        )
    except (ValueError, OverflowError, OSError) as error:
        raise Http404("No such page of articles.") from error
    return moment, pk


def cursor_page(
    queryset: QuerySet, *, before: str | None, after: str | None, per_page: int
) -> CursorPage:
    """One page of `queryset`, newest first. `before` and `after` are cursors from the
    links of a neighbouring page; without them, the newest page.

    The cursor is a range on `published_at` (`<= moment`) plus the tie-break on the id,
    not `< moment OR (= moment AND id < pk)`: with that OR, the database cannot start its
    index walk at the cursor; it would read every newer article first, and page 1,000
    would cost what OFFSET 10,000 costs."""
    if after:
        moment, pk = decode_cursor(after)
        newer_first = _cursor_first(
            queryset, Q(published_at__gte=moment) & (Q(published_at__gt=moment) | Q(pk__gt=pk))
        ).order_by("published_at", "id")
        rows = list(newer_first[: per_page + 1])
        has_newer = len(rows) > per_page
        items = list(reversed(rows[:per_page]))
        has_older = True
    else:
        if before:
            moment, pk = decode_cursor(before)
            queryset = _cursor_first(
                queryset, Q(published_at__lte=moment) & (Q(published_at__lt=moment) | Q(pk__lt=pk))
            )
        rows = list(queryset.order_by("-published_at", "-id")[: per_page + 1])
        has_older = len(rows) > per_page
        items = rows[:per_page]
        has_newer = bool(before)
    return CursorPage(
        items=items,
        older=encode_cursor(items[-1]) if has_older and items else None,
        newer=encode_cursor(items[0]) if has_newer and items else None,
    )


def _cursor_first(queryset: QuerySet, condition: Q) -> QuerySet:
    """`queryset` filtered by `condition`, with `condition` first in the WHERE clause.
    An archive's queryset already bounds `published_at` (published: `<= now`); given two
    upper bounds on an indexed column, SQLite walks the index from the first one only, so
    the cursor's bound must come first for the walk to start at the cursor. (PostgreSQL
    uses the tighter bound whatever the order.)"""
    narrowed = queryset.filter(condition)
    kept = len(queryset.query.where.children)
    children = narrowed.query.where.children  # the clone's: `queryset` is left as it was
    narrowed.query.where.children = children[kept:] + children[:kept]
    return narrowed
