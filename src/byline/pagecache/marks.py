"""What views say about their responses: whether the page cache may keep one, and what
it shows (its tags). The WSGI layer reads these headers and never sends them on."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TAGS_HEADER = "X-Byline-Cache-Tags"
ARTICLE_HEADER = "X-Byline-Cache-Article"
SECONDS_HEADER = "X-Byline-Cache-Seconds"
INTERNAL_HEADERS = (TAGS_HEADER, ARTICLE_HEADER, SECONDS_HEADER)

# Every page shows articles, authors and the site's settings; any change to one of them
# purges every page. Comments are finer: a page listing comment counts carries
# COMMENTS, an article page only its own article's comments.
EVERYTHING = "all"
COMMENTS = "comments"


def article_comments(article_id: int) -> str:
    return f"comments:{article_id}"


def cdn_cache_control(*, counted: bool = False) -> str:
    """Cache-Control for a public page. A shared cache (a CDN) may keep it briefly and
    serve it stale while it revalidates, unless each view must reach the server to be
    counted (an article page with counting in the server): then it must revalidate."""
    if counted and settings.BYLINE_VIEW_COUNTING == "server":
        return "public, max-age=0, no-cache"
    seconds = settings.BYLINE_CDN_SECONDS
    return f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}"


def cacheable(
    response: HttpResponse, *tags: str, article_id: int | None = None, seconds: int | None = None
) -> None:
    """Let the page cache keep `response` (a 200 for anyone), tagged with `tags`; with
    `article_id`, each answer from the cache counts a view of that article. A page that
    shows no view counts may be kept longer (`seconds`): purges keep it current."""
    if response.status_code != 200 or "private" in response.get("Cache-Control", ""):
        return
    response[TAGS_HEADER] = " ".join((EVERYTHING, *tags))
    if article_id is not None:
        response[ARTICLE_HEADER] = str(article_id)
    if seconds is not None:
        response[SECONDS_HEADER] = str(seconds)
    response.setdefault("Cache-Control", cdn_cache_control(counted=article_id is not None))


def cached_page(*tags: str, seconds: int | None = None) -> Callable:
    """View decorator: its 200 responses may be kept by the page cache with `tags`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            cacheable(response, *tags, seconds=seconds)
            return response

        return wrapper

    return decorate
