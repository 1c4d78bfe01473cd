"""Which requests are views: the definition of a view, in one place.

A view is a reader's browser asking for a public article page: a GET in the `server`
counting mode, the page's POST beacon in the `beacon` mode. Not counted: HEAD requests,
prefetches and prerenders, bots (crawlerdetect's maintained list, plus the few AI fetchers
it misses), logged-in editors when BYLINE_VIEWS_EXCLUDE_EDITORS is on, and addresses in
BYLINE_VIEWS_EXCLUDED_IPS. `definition()` states it in words for the admin."""

import ipaddress
import re
from functools import cache, lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.http import HttpRequest

MODES = ("server", "beacon")
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")

# AI fetchers and crawlers that crawlerdetect 0.4 does not recognise (checked against it;
# tests/pageviews/test_policy.py keeps this list honest). Each token as it appears in the
# User-Agent, matched case-insensitively as a word.
AI_FETCHERS = (
    "anthropic-ai",
    "cohere-ai",
    "Perplexity-User",
    "meta-externalagent",
    "MistralAI-User",
    "img2dataset",
    "Cotoyogi",
    "Webzio-Extended",
    "bigsur.ai",
    "Amzn-User",
)
_AI_FETCHER = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(token) for token in AI_FETCHERS) + r")(?![\w-])",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Bots by their User-Agent: crawlerdetect's maintained list, then our short list of
    AI fetchers it misses. An empty User-Agent is no evidence either way."""
    if not user_agent:
        return False
    return bool(_AI_FETCHER.search(user_agent)) or CrawlerDetect(user_agent=user_agent).isCrawler()


def is_prefetch(request: HttpRequest) -> bool:
    return any(
        "prefetch" in request.META.get(header, "").lower()
        or "prerender" in request.META.get(header, "").lower()
        for header in _PREFETCH_HEADERS
    )


@cache
def _excluded_networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def excluded_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """BYLINE_VIEWS_EXCLUDED_IPS as networks (a plain address is a /32 or /128).
    The system check `pageviews.E002` reports an entry that is not an address."""
    return _excluded_networks(tuple(settings.BYLINE_VIEWS_EXCLUDED_IPS))


def is_excluded_ip(address: str | None) -> bool:
    networks = excluded_networks()
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address as the server saw it. As for comments, a reverse proxy must
    set REMOTE_ADDR itself; a client's X-Forwarded-For is never trusted."""
    return request.META.get("REMOTE_ADDR") or None


def is_editor(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def counting_method() -> str:
    """The HTTP method of a view in the mode in force: GET, or the beacon's POST."""
    return "POST" if settings.BYLINE_VIEW_COUNTING == "beacon" else "GET"


def is_countable(request: HttpRequest) -> bool:
    """Whether this request is a view by every rule in force (the interval between two
    views of one visitor is the backend's to check: it needs shared state)."""
    return (
        request.method == counting_method()
        and not is_prefetch(request)
        and not is_bot(request.META.get("HTTP_USER_AGENT", "")[:512])
        and not is_excluded_ip(client_ip(request))
        and not (settings.BYLINE_VIEWS_EXCLUDE_EDITORS and is_editor(request))
    )


def definition() -> list[str]:
    """The definition of a view in force, sentence by sentence, for editors."""
    if settings.BYLINE_VIEW_COUNTING == "beacon":
        how = (
            "A view is counted when an article page, once loaded in a reader's browser, "
            "sends its beacon (counting mode: beacon, for pages cached by a CDN)."
        )
    else:
        how = (
            "A view is counted for every GET of an article page, also when it is served "
            "from a cache (counting mode: server)."
        )
    rules = [
        how,
        "Not counted: HEAD requests, prefetches and prerenders.",
        "Not counted: bots and crawlers, by crawlerdetect's maintained list plus "
        f"{len(AI_FETCHERS)} AI fetchers it misses ({', '.join(AI_FETCHERS)}).",
    ]
    if settings.BYLINE_VIEWS_EXCLUDE_EDITORS:
        rules.append("Not counted: logged-in editors (BYLINE_VIEWS_EXCLUDE_EDITORS is on).")
    else:
        rules.append("Logged-in editors are counted like readers (BYLINE_VIEWS_EXCLUDE_EDITORS).")
    if excluded_networks():
        rules.append(
            "Not counted: visits from "
            + ", ".join(str(network) for network in excluded_networks())
            + " (BYLINE_VIEWS_EXCLUDED_IPS)."
        )
    if settings.BYLINE_VIEWS_INTERVAL > 0:
        rules.append(
            f"One view per visitor and article per {settings.BYLINE_VIEWS_INTERVAL} seconds: "
            "a visitor is recognised by a hash of address and browser with a salt that "
            "changes every day; no cookie is set and no address is stored."
        )
    else:
        rules.append("Every view counts, also repeated views by one visitor.")
    return rules
