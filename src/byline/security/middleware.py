"""Middleware that guards the whole site before any view runs."""

import codecs
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from byline.security.responses import bad_request_page, request_too_large


class RequestGuardMiddleware:
    """Refuses, before anything reads it, a request the site cannot take: a body declared
    larger than BYLINE_MAX_REQUEST_BYTES (413; form data without files has Django's own,
    smaller limit, DATA_UPLOAD_MAX_MEMORY_SIZE, answered 413 by `views.bad_request`), and
    a body in a character set Python does not know (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        size = int(declared) if declared.isascii() and declared.isdigit() else 0
        if size > settings.BYLINE_MAX_REQUEST_BYTES:
            return request_too_large(request, limit=settings.BYLINE_MAX_REQUEST_BYTES)
        if charset := request.content_params.get("charset"):
            try:
                codecs.lookup(charset)
            except LookupError:
                return bad_request_page(
                    request,
                    reason="The request's body is in a character set this site does not know.",
                )
        return self.get_response(request)
