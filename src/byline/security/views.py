"""Error handlers (wired in byline/urls.py) and the CSP violation report endpoint."""

import json
import logging
import sys
import time

from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    SuspiciousFileOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.defaults import server_error as django_server_error

from byline.security.responses import bad_request_page, request_too_large, service_unavailable

logger = logging.getLogger("byline.security")

REASONS = {
    TooManyFieldsSent: "The form sent too many fields.",
    TooManyFilesSent: "The form sent too many files.",
    DisallowedHost: "This server does not serve the host name in the request.",
    SuspiciousFileOperation: "This address does not name a file this site serves.",
}
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORTS_LOGGED_PER_MINUTE = 30
_csp_log_window = {"started": 0.0, "logged": 0}


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: every SuspiciousOperation and bad request, with the reason in words."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    reason = next(
        (text for kind, text in REASONS.items() if isinstance(exception, kind)),
        "The server could not understand this request.",
    )
    return bad_request_page(request, reason=reason)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that is down or restarting is a 503 with Retry-After (the
    site recovers by itself when it is back); anything else is Django's 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return service_unavailable()
    return django_server_error(request)


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Browsers report Content Security Policy violations here (`report-uri`). Each one
    is logged as a warning (at most a few a minute per process); nothing is stored."""
    if len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse("A CSP report is at most 16 KB.", status=413)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponse("A CSP report is a JSON document.", status=400)
    reports = payload if isinstance(payload, list) else [payload]
    for report in reports:
        if not isinstance(report, dict):
            continue
        body = report.get("csp-report") or report.get("body") or {}
        if isinstance(body, dict) and _may_log():
            logger.warning(
                "CSP violation: %s blocked %s on %s",
                str(body.get("effective-directive") or body.get("effectiveDirective"))[:80],
                str(body.get("blocked-uri") or body.get("blockedURL"))[:200],
                str(body.get("document-uri") or body.get("documentURL"))[:200],
            )
    return HttpResponse(status=204)


def _may_log() -> bool:
    now = time.monotonic()
    if now - _csp_log_window["started"] > 60:
        _csp_log_window.update(started=now, logged=0)
    _csp_log_window["logged"] += 1
    return _csp_log_window["logged"] <= CSP_REPORTS_LOGGED_PER_MINUTE
