"""The answers to requests the site refuses or cannot serve: a clear page at the right
status code, rendered without touching the database."""

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat

RETRY_AFTER_SECONDS = 5


def request_too_large(request: HttpRequest, *, limit: int) -> HttpResponse:
    html = loader.render_to_string(
        "security/413.html", {"limit": filesizeformat(limit)}, request=request
    )
    return HttpResponse(html, status=413)


def bad_request_page(request: HttpRequest, *, reason: str) -> HttpResponse:
    html = loader.render_to_string("400.html", {"reason": reason}, request=request)
    return HttpResponse(html, status=400)


def service_unavailable() -> HttpResponse:
    """The database is down: a page that needs neither it nor the request's session."""
    response = HttpResponse(loader.render_to_string("security/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
