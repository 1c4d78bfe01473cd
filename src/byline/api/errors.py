"""Every error of the API is JSON of one shape, `{"message": ..., "fields": {...}}`: a
sentence for people, and for a request that did not validate, one message per field."""

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("byline.api")

CONTENT_TYPE = "application/json; charset=utf-8"
# Where pydantic's messages are not what a person would write.
_FRIENDLY = {
    "missing": "This field is required.",
    "extra_forbidden": "This field is not part of this operation: check its spelling.",
    "json_invalid": "The request body is not valid JSON.",
}


class ApiError(HttpError):
    """An error answered as JSON with `status`, `message` and per-field messages."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message)
        self.fields = fields or {}
        self.headers = headers or {}


def invalid(fields: dict[str, str]) -> ApiError:
    """A 422 for a request whose fields do not validate."""
    count = len(fields)
    noun = "field is" if count == 1 else "fields are"
    return ApiError(422, f"{count} {noun} not valid: see “fields”.", fields=fields)


def error_response(
    status: int,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = json.dumps({"message": message, "fields": fields or {}}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(location: tuple[Any, ...]) -> str:
    # ("body", "payload", "email") -> "email"; ("query", "limit") -> "limit"
    source, *rest = location
    if source == "body" and len(rest) > 1:
        rest = rest[1:]
    return ".".join(str(part) for part in rest) or str(source)


def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for item in error.errors:
        name = _field_name(tuple(item.get("loc", ("body",))))
        message = _FRIENDLY.get(item.get("type", ""), item.get("msg", "Not valid."))
        fields.setdefault(name, message.removeprefix("Value error, "))
    raised = invalid(fields)
    return error_response(raised.status_code, raised.message, raised.fields)


def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return error_response(error.status_code, error.message, error.fields, error.headers)


def _authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    message = error.message
    if message == "Unauthorized":  # ninja's own: no Authorization header at all
        message = "This operation needs an API token: send `Authorization: Bearer <token>`."
    return error_response(401, message, headers={"WWW-Authenticate": 'Bearer realm="api"'})


def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return error_response(error.status_code, error.message)


def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(404, str(error) or "Not found.")


def _too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(413, f"The request body is larger than the {limit} bytes allowed.")


def _suspicious(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
    return error_response(400, "This request cannot be read.")


def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=error)
    return error_response(500, "The server failed to answer this request; it has been logged.")


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(AuthenticationError, _authentication_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(RequestDataTooBig, _too_big)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(Exception, _server_error)


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a URL pattern's view so that the answers ninja gives outside its operations
    (405 for a method the path does not have) are JSON too, HEAD works wherever GET
    does, and a query parameter without a name (`?=x`) is refused as malformed."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "" in request.GET:
            return error_response(400, "A query parameter has no name: check the address.")
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's view of the bare /api/v1/ address
            response = not_found_view(request)
        if head:
            request.method = "HEAD"
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            if "GET" in allowed:
                allowed += ", HEAD"
            response = error_response(
                405,
                f"{request.method} is not allowed here; allowed: {allowed}.",
                headers={"Allow": allowed},
            )
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's own views
    return wrapper


def reject_unknown_query(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For every operation (applied to ninja's `Operation.run`): a query parameter the
    operation does not have is a 422 naming it, so that a mistyped filter
    (`?categroy=phones`) is an error and not a silently unfiltered list."""
    operation = run.__self__  # type: ignore[attr-defined]
    known = {
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in model.__ninja_flatten_map__
    }

    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if unknown := sorted(set(request.GET) - known):
            raised = invalid({name: "This operation has no such parameter." for name in unknown})
            return error_response(raised.status_code, raised.message, raised.fields)
        return run(request, **kwargs)

    return wrapper


@csrf_exempt  # a POST to an unknown address is a 404, not a CSRF failure
def not_found_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(
        404, "There is no such API address. The operations are listed at /api/v1/docs."
    )
