"""Tags and their purge times. A kept page is good while every one of its tags was last
purged before the page started to be built; a purge is written when the change's
transaction commits, so a page built from the old data can never look newer than it."""

import time
from collections.abc import Iterable

from django.core.cache import caches
from django.db import transaction

# Servers' clocks may differ by this much: a page started within it after a purge is
# rebuilt once more rather than trusted.
CLOCK_MARGIN = 1.0


def pages_cache():
    return caches["pages"]


def tag_key(tag: str) -> str:
    return f"tag:{tag}"


def purge_now(tags: Iterable[str]) -> None:
    stamp = time.time() + CLOCK_MARGIN
    pages_cache().set_many({tag_key(tag): stamp for tag in tags}, timeout=None)


def purge(*tags: str) -> None:
    """Purge every kept page carrying one of `tags`, once the current transaction (if
    any) commits."""
    transaction.on_commit(lambda: purge_now(tags), robust=True)


def tags_current(tags: list[str], *, since: float, stamp_missing: bool = True) -> bool:
    """Whether no tag in `tags` was purged after `since`. A tag with no purge time (new,
    or evicted: its last purge is unknown) counts as purged just now, and is stamped so
    unless `stamp_missing` is False (the caller then looks for the page in the cache,
    where it is checked again, or builds it and registers its tags). With Redis, each
    process keeps the purge times it read while Redis reports no change to them
    (byline.security.tracking), so this reads nothing from Redis on most calls."""
    cache = pages_cache()
    keys = [tag_key(tag) for tag in tags]
    stamps = cache.get_many(keys)
    missing = [key for key in keys if key not in stamps]
    if stamp_missing:
        for key in missing:
            cache.add(key, time.time() + CLOCK_MARGIN, timeout=None)
    return not missing and all(since >= stamps[key] for key in keys)


def tags_register(tags: list[str], *, since: float) -> None:
    """Give the tags of a page built from `since` on a purge time if they have none, so
    that the page is good from the next request."""
    cache = pages_cache()
    keys = [tag_key(tag) for tag in tags]
    for key in set(keys) - cache.get_many(keys).keys():
        cache.add(key, since, timeout=None)


def tag_version(tag: str) -> float:
    """When `tag` was last purged (0 if never): a key part for other caches of what the
    tag covers, so that they change with the pages."""
    return pages_cache().get(tag_key(tag), 0.0)
