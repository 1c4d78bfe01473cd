"""Who is calling: `Authorization: Bearer <token>` with a personal API token, or nobody.

Reads are open to everyone; a token with the "read drafts" scope also sees drafts and
scheduled articles. Writes need a token with the operation's scope. A request that sends
an Authorization header is never treated as anonymous: a wrong, malformed or revoked
token is a 401, so a tool with a broken token learns it at once."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from byline.api.errors import ApiError
from byline.api.models import ApiToken
from byline.api.tokens import token_authenticate, token_scope_refusal


class Anonymous:
    """A reader without a token."""

    scopes: frozenset[str] = frozenset()


ANONYMOUS = Anonymous()


class BearerToken(HttpBearer):
    openapi_bearerFormat = "byline_…"
    openapi_description = (
        "A personal API token, created in the admin under API → API tokens and shown "
        "once. Reads need none; drafts and writes need a token with the right scope."
    )

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, key = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError(401, "The Authorization header must read `Bearer <token>`.")
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = token_authenticate(key=token)
        if found is None:
            raise AuthenticationError(
                401,
                "This API token is not valid: it is mistyped, revoked, or its user is "
                "no longer active.",
            )
        return found


def allow_anonymous(request: HttpRequest) -> Anonymous:
    return ANONYMOUS


TOKEN = BearerToken()
# For reads: a token if one is sent (and then it must be valid), else anonymous.
TOKEN_OR_ANONYMOUS = [TOKEN, allow_anonymous]
OPTIONAL_SECURITY = {"security": [{}]}  # openapi_extra: the token is optional


def caller_token(request: HttpRequest) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def has_scope(request: HttpRequest, scope: str) -> bool:
    token = caller_token(request)
    return token is not None and token_scope_refusal(token=token, scope=scope) is None


def require_scope(request: HttpRequest, scope: str) -> ApiToken:
    """The caller's token if it may act within `scope`; else a 401 or 403 error."""
    token = caller_token(request)
    if token is None:
        raise AuthenticationError()
    if refusal := token_scope_refusal(token=token, scope=scope):
        raise ApiError(403, refusal)
    return token
