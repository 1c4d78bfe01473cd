"""ETag, Last-Modified and 304 Not Modified for every GET of the API.

The ETag is a hash of the representation itself (Django's `set_response_etag`), so it
changes exactly when the JSON does, whatever the change came from: an edit, a comment
approved, an author renamed, a view counted. Last-Modified is the time this server first
produced the current representation of that address. That time is kept in the "api"
cache (Redis, or files in the data folder, so every server process sees it): a record
per address holding the ETag it was made for, replaced when the ETag changes. Times only
move forward per address, so a client revalidating with If-Modified-Since never gets a
304 for a representation that changed after the one it holds (also when the content
changes back to an older version)."""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date

from byline.api.security import caller_token

RECORD_SECONDS = 7 * 24 * 3600


def _record_key(request: HttpRequest) -> str:
    token = caller_token(request)
    audience = ",".join(sorted(token.scopes)) if token else "public"
    address = f"{request.get_host()}|{request.get_full_path()}|{audience}"
    return "api:since:" + hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()


def representation_since(*, key: str, etag: str) -> tuple[int, bool]:
    """When (Unix seconds) the representation with `etag` first appeared at `key`, and
    whether that second is its own: False when the representation before it appeared in
    the same second, so that an If-Modified-Since of that second cannot tell them apart."""
    cache = caches["api"]
    now = int(time.time())
    record = cache.get(key)
    if record is None:
        since, shared = now, False
    else:
        seen_etag, since, shared = record
        if seen_etag == etag:
            if not shared or now <= since:
                return since, not shared
            since, shared = now, False  # a second of its own, from now on
        else:
            since, shared = max(now, since), since >= now
    cache.set(key, (etag, since, shared), RECORD_SECONDS)
    return since, not shared


def conditional_get(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Validators and 304s for a successful GET; caching rules for every answer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        personal = caller_token(request) is not None
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            response.setdefault("Cache-Control", "no-store")
            return response
        response["Cache-Control"] = "private, no-cache" if personal else "public, no-cache"
        set_response_etag(response)
        key = _record_key(request)
        since, own_second = representation_since(key=key, etag=response["ETag"])
        response["Last-Modified"] = http_date(since)
        if not own_second and "If-None-Match" not in request.headers:
            return response  # an If-Modified-Since of that second proves nothing
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=since, response=response
        )

    return wrapper
