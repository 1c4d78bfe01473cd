"""Old WordPress links keep working: a 301 to where the thing lives now."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from byline.importers.redirects import path_target, query_target

_WORDPRESS_QUERY = {"p", "page_id", "cat", "tag", "author", "feed", "m"}


class WordPressRedirectMiddleware:
    """Answers the home page's WordPress query parameters (`/?p=123`) before the view,
    and turns a 404 for an old address into a permanent redirect, as Django's
    `RedirectFallbackMiddleware` does. It costs nothing on pages that exist."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request.method in ("GET", "HEAD")
        wordpress_query = request.path == "/" and _WORDPRESS_QUERY & request.GET.keys()
        target = query_target(request.GET) if reading and wordpress_query else None
        if target:
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        # No old address holds a NUL (and PostgreSQL refuses one in a query).
        if response.status_code == 404 and reading and "\x00" not in request.path:
            target = path_target(request.path)
            if target is None and not request.path.endswith("/"):
                target = path_target(request.path + "/")  # WordPress's links end with one
            if target and target != request.path:
                return HttpResponsePermanentRedirect(target)
        return response
