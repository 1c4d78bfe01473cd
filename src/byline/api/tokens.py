"""Personal API tokens: created, checked and revoked here, nowhere else.

A token is `byline_` and 43 random URL-safe characters (256 bits). Only its SHA-256 hash
is stored: a token this random needs no slow password hash, and a lookup by hash costs
one indexed query. A token works while it is not revoked and its user is active, and a
scope works only while the user still has the Django permissions behind it, so taking an
editor's rights away in the admin also narrows their tokens at once."""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from byline.api.models import ApiToken

KEY_PREFIX = "byline_"
DISPLAY_PREFIX_LENGTH = 12
# last_used_at is refreshed at most this often, so that a busy tool costs no write per call
LAST_USED_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class Scope:
    field: str
    label: str
    permissions: tuple[str, ...]


SCOPES = {
    "read_drafts": Scope("can_read_drafts", "read drafts", ("articles.view_article",)),
    "write_articles": Scope(
        "can_write_articles",
        "write articles",
        ("articles.view_article", "articles.add_article", "articles.change_article"),
    ),
    "moderate_comments": Scope(
        "can_moderate_comments", "moderate comments", ("comments.change_comment",)
    ),
}


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the secret: shown to its owner once, stored nowhere


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def token_issue(*, token: ApiToken) -> str:
    """Give a new, unsaved token (user, name and scopes set) its key, save it, and return
    the key: the only time it exists outside the caller's hands."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token.prefix, token.key_hash = key[:DISPLAY_PREFIX_LENGTH], key_hash(key)
    token.save()
    return key


def token_create(*, user: AbstractBaseUser, name: str, scopes: Iterable[str]) -> NewToken:
    """A new token for `user` with `scopes` (names from SCOPES); its key is returned once."""
    wanted = set(scopes)
    if unknown := wanted - SCOPES.keys():
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    token = ApiToken(user=user, name=name)
    for scope_name, scope in SCOPES.items():
        setattr(token, scope.field, scope_name in wanted)
    return NewToken(token=token, key=token_issue(token=token))


def token_revoke(*, token_ids: Iterable[int]) -> int:
    """Revoke tokens now; return how many were still active."""
    return ApiToken.objects.filter(pk__in=list(token_ids), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this key, with its user, or None. Checked on every request:
    a revoked token or a deactivated user stops working at once."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def token_scope_refusal(*, token: ApiToken, scope: str) -> str | None:
    """Why `token` may not act within `scope`, or None when it may."""
    needed = SCOPES[scope]
    if not getattr(token, needed.field):
        return f"This token does not have the “{needed.label}” scope."
    if not token.user.has_perms(needed.permissions):
        return (
            f"This token's user is no longer allowed to {needed.label}: ask an "
            "administrator for the permission, or use another token."
        )
    return None


def scopes_refused_for_user(*, user: AbstractBaseUser, scopes: Iterable[str]) -> list[str]:
    """The scopes (labels) among `scopes` that `user` lacks the permissions for."""
    return [SCOPES[name].label for name in scopes if not user.has_perms(SCOPES[name].permissions)]
