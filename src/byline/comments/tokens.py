"""Signed links sent by email: unsubscribing from one kind of notification, and
confirming a commenter's address. Tamper-proof (signed with SECRET_KEY, each purpose with
its own salt), so that nobody can unsubscribe or verify an address that is not theirs."""

from django.core import signing

UNSUBSCRIBE_SALT = "byline.comments.unsubscribe"
VERIFY_SALT = "byline.comments.verify"
VERIFY_MAX_AGE = 7 * 24 * 3600


def unsubscribe_token(*, email: str, kind: str) -> str:
    return signing.dumps({"e": email.lower(), "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[str, str] | None:
    """(email, kind), or None for a link that was altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return str(data["e"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


def verification_token(*, email: str, comment_id: int) -> str:
    return signing.dumps({"e": email.lower(), "c": comment_id}, salt=VERIFY_SALT, compress=True)


def verification_read(token: str) -> tuple[str, int] | None:
    """(address, comment id), or None for a link that was altered or is older than a week."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        return str(data["e"]), int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
