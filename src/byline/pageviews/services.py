"""Counting views: the one entry point for a page view, and the counts to show.

`article_view_for_request` is what every page view goes through (the article view, and
a page cache on every hit): it counts when the request is a view by every rule of
`policy`, and returns the number to show, which includes this view. Without REDIS_URL a
view is one atomic database write; with it, one atomic Redis call, moved to the database
by the flusher. Counts shown are always database + pending."""

import hashlib
import logging
import time
from datetime import date

import redis
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from byline.pageviews import policy
from byline.pageviews.backends import (
    ADD_TO_DAY,
    ADD_TO_TOTAL,
    database_backend,
    redis_backend,
)

logger = logging.getLogger("byline.pageviews")
_salts: dict[tuple[str, date], str] = {}
_last_warning = 0.0


def _redis_failed(error: Exception) -> None:
    """Redis is down: count in the database instead, and say so (once a minute)."""
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("Redis unavailable (%s): counting views in the database", error)


def article_views_add(*, article_id: int, views: int = 1, day: date | None = None) -> int:
    """Add `views` to an article's total and to its count for `day`, straight in the
    database (demo data, imports); return the database total."""
    day = day or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ADD_TO_TOTAL, [article_id, views])
        (total,) = cursor.fetchone()
        cursor.execute(ADD_TO_DAY, [article_id, day, views])
    return total


def visitor_hash(*, ip: str | None, user_agent: str, day: date) -> str:
    """A visitor for the interval rule: address and browser, hashed with the day's random
    salt. The salt is shared by all server processes and forgotten after the day, so the
    hash cannot be tied back to an address."""
    backend = redis_backend()
    key = (backend.prefix if backend else "", day)
    if key not in _salts:
        try:
            salt = backend.salt(day) if backend else database_backend.salt(day)
        except redis.RedisError as error:
            _redis_failed(error)
            salt = database_backend.salt(day)
            key = ("", day)
        _salts.clear()  # keep only today's
        _salts[key] = salt
    material = f"{ip or ''}\n{user_agent}".encode()
    return hashlib.blake2b(material, key=_salts[key].encode(), digest_size=16).hexdigest()


def article_view_record(*, article_id: int, visitor: str | None = None) -> int:
    """Count one view of an article; return the count to show, which includes it.
    With `visitor`, a view within BYLINE_VIEWS_INTERVAL of that visitor's last counted
    view of the article is not counted (the count is still returned)."""
    day = timezone.localdate()
    if settings.BYLINE_VIEWS_INTERVAL <= 0:
        visitor = None
    backend = redis_backend()
    if backend is not None:
        try:
            return backend.record(article_id=article_id, day=day, visitor=visitor)
        except redis.TimeoutError as error:
            # Sent, but no answer in time: Redis has most likely counted it, so counting
            # it in the database as well could count it twice.
            logger.warning("Redis did not answer in time (%s): view left to Redis", error)
            return database_backend.current([article_id])[article_id]
        except redis.RedisError as error:  # not reached: count in the database instead
            _redis_failed(error)
    shown = database_backend.record(article_id=article_id, day=day, visitor=visitor)
    return shown if shown is not None else article_views(article_id=article_id)


def article_view_for_request(*, request: HttpRequest, article_id: int) -> int:
    """The one entry point for a page view of an article: count it when the request is a
    view (policy.is_countable and the interval rule) and return the number to show."""
    if not policy.is_countable(request):
        return article_views(article_id=article_id)
    visitor = None
    if settings.BYLINE_VIEWS_INTERVAL > 0:
        visitor = visitor_hash(
            ip=policy.client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:512],
            day=timezone.localdate(),
        )
    return article_view_record(article_id=article_id, visitor=visitor)


def article_views(*, article_id: int) -> int:
    """An article's count: database + pending."""
    return views_by_article([article_id])[article_id]


def views_by_article(article_ids: list[int]) -> dict[int, int]:
    """Counts for many articles (database + pending), in one query and, with Redis, one
    Redis call; articles never viewed are 0."""
    article_ids = list(dict.fromkeys(article_ids))
    if not article_ids:
        return {}
    backend = redis_backend()
    if backend is not None:
        try:
            return backend.current(article_ids)
        except redis.RedisError as error:
            _redis_failed(error)
    return database_backend.current(article_ids)
