from django.http import HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware

from byline.pagecache.marks import TAGS_HEADER


class ConditionalPageMiddleware(ConditionalGetMiddleware):
    """Django's ETag and 304 Not Modified, for the public pages (those the page cache may
    keep, which the cache itself answers the same way). The JSON API decides its own
    conditional answers and is left alone."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if TAGS_HEADER not in response:
            return response
        return super().process_response(request, response)
