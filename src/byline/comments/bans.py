"""Banned commenters: matching an email address (or its domain) and an IP address (or a
network containing it) against the moderators' list, kept in the cache for a few
seconds so that a comment costs no query for it."""

import ipaddress

from django.core.cache import cache

from byline.comments.models import Ban

CACHE_KEY = "comments:bans"


def _ban_lists() -> tuple[set[str], list]:
    found = cache.get(CACHE_KEY)
    if found is None:
        emails, networks = set(), []
        for kind, value in Ban.objects.values_list("kind", "value"):
            if kind == Ban.Kind.EMAIL:
                emails.add(value.strip().lower())
            else:
                try:
                    networks.append(ipaddress.ip_network(value.strip(), strict=False))
                except ValueError:
                    continue  # refused by the admin form; an old bad row is skipped
        found = (emails, networks)
        cache.set(CACHE_KEY, found, 10)
    return found


def bans_changed() -> None:
    cache.delete(CACHE_KEY)


def is_banned(*, email: str, ip: str | None) -> bool:
    emails, networks = _ban_lists()
    email = email.strip().lower()
    if email in emails or ("@" in email and "@" + email.rsplit("@", 1)[1] in emails):
        return True
    if ip and networks:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in network for network in networks if network.version == address.version)
    return False


def ban_value_clean(*, kind: str, value: str) -> str:
    """The canonical form of a ban, or ValueError with a message for the moderator."""
    value = value.strip().lower()
    if kind == Ban.Kind.EMAIL:
        if value.count("@") != 1 or "." not in value.rsplit("@", 1)[1]:
            raise ValueError(
                "Enter an email address (name@example.com) or a domain (@example.com)."
            )
        return value
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(
            "Enter an IP address (203.0.113.7) or a network (203.0.113.0/24, 2001:db8::/48)."
        ) from None
    return str(network.network_address) if network.num_addresses == 1 else str(network)
