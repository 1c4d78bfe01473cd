"""The per-IP limit on comment posting: a counter per address and time window in the
cache, so that every app server shares it when the cache is Redis (and each process keeps
its own with the in-process cache)."""

import ipaddress
import time

from django.core.cache import cache


def client_key(ip: str | None) -> str:
    """The address a limit applies to: an IPv4 address, or the /64 network of an IPv6
    one (one household or server gets a whole /64, so single addresses are free)."""
    if not ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address) + "/64"
    return str(address)


def rate_limit_hit(*, ip: str | None, limit: int, window: int) -> bool:
    """Count one comment from `ip`; True when it is over `limit` in the current window."""
    if not limit or not window:
        return False
    bucket = int(time.time() // window)
    key = f"comments:rate:{client_key(ip)}:{window}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit


def rate_limit_retry_after(*, window: int) -> int:
    """Seconds until the current window ends."""
    return max(1, window - int(time.time()) % window) if window else 1
