"""Middleware that guards the whole site before any view runs."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from byline.security.responses import request_too_large


class RequestSizeLimitMiddleware:
    """A request whose declared body is larger than BYLINE_MAX_REQUEST_BYTES is answered
    413 before anything reads it. Form data without files has Django's own, smaller limit
    (DATA_UPLOAD_MAX_MEMORY_SIZE), answered 413 as well by `views.bad_request`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        size = int(declared) if declared.isascii() and declared.isdigit() else 0
        if size > settings.BYLINE_MAX_REQUEST_BYTES:
            return request_too_large(request, limit=settings.BYLINE_MAX_REQUEST_BYTES)
        return self.get_response(request)
