"""Which requests are views. A view is a GET of a public article page by a reader's
browser: HEAD requests, prefetches and prerenders, and bots are not views."""

from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.http import HttpRequest

_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Bots by their User-Agent, from crawlerdetect's maintained list. An empty
    User-Agent is not treated as a bot: it is no evidence either way."""
    return bool(user_agent) and CrawlerDetect(user_agent=user_agent).isCrawler()


def is_prefetch(request: HttpRequest) -> bool:
    return any(
        "prefetch" in request.META.get(header, "").lower()
        or "prerender" in request.META.get(header, "").lower()
        for header in _PREFETCH_HEADERS
    )


def is_countable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not is_prefetch(request)
        and not is_bot(request.META.get("HTTP_USER_AGENT", "")[:512])
    )
