"""Tags and their purge times. A kept page is good while every one of its tags was last
purged before the page started to be built; a purge is written when the change's
transaction commits, so a page built from the old data can never look newer than it."""

import time
from collections.abc import Iterable

from django.core.cache import caches
from django.db import transaction

from byline.pagecache.tracking import tracked

# Servers' clocks may differ by this much: a page started within it after a purge is
# rebuilt once more rather than trusted.
CLOCK_MARGIN = 1.0


def pages_cache():
    return caches["pages"]


TAG_PREFIX = "tag:"


def tag_key(tag: str) -> str:
    return f"{TAG_PREFIX}{tag}"


def tag_stamps(keys: list[str]) -> dict:
    """The purge times of the tags' `keys` that have one: from what this process keeps
    while Redis reports no change (`tracking`), else from the cache."""
    cache = pages_cache()
    tracker = tracked(cache, TAG_PREFIX)
    return cache.get_many(keys) if tracker is None else tracker.get_many(keys)


def purge_now(tags: Iterable[str]) -> None:
    stamp = time.time() + CLOCK_MARGIN
    cache = pages_cache()
    stamps = {tag_key(tag): stamp for tag in tags}
    cache.set_many(stamps, timeout=None)
    if tracker := tracked(cache, TAG_PREFIX):
        tracker.forget(list(stamps))


def purge(*tags: str) -> None:
    """Purge every kept page carrying one of `tags`, once the current transaction (if
    any) commits."""
    transaction.on_commit(lambda: purge_now(tags), robust=True)


def tags_current(tags: list[str], *, since: float, stamp_missing: bool = True) -> bool:
    """Whether no tag in `tags` was purged after `since`. A tag with no purge time (new,
    or evicted: its last purge is unknown) counts as purged just now, and is stamped so
    unless `stamp_missing` is False (the caller then looks for the page in the cache,
    where it is checked again, or builds it and registers its tags)."""
    cache = pages_cache()
    keys = [tag_key(tag) for tag in tags]
    stamps = tag_stamps(keys)
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
    for key in set(keys) - tag_stamps(keys).keys():
        cache.add(key, since, timeout=None)


def tag_version(tag: str) -> float:
    """When `tag` was last purged (0 if never): a key part for other caches of what the
    tag covers, so that they change with the pages."""
    key = tag_key(tag)
    return tag_stamps([key]).get(key, 0.0)
