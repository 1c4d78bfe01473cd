from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from byline.articles.models import Article
from byline.pageviews.selectors import PERIODS, most_viewed
from byline.pageviews.services import article_view_for_request

POPULAR_DEFAULT = "7d"


@require_safe
def popular(request: HttpRequest, period: str = POPULAR_DEFAULT) -> HttpResponse:
    """The most viewed articles of a period; the period is part of the path, so an
    unknown one is a 404 by the URL patterns."""
    label, _ = PERIODS[period]
    return render(
        request,
        "pageviews/popular.html",
        {
            "ranked": most_viewed(period=period, limit=20),
            "period": period,
            "period_label": label,
            "periods": [(key, name) for key, (name, _) in PERIODS.items()],
        },
    )


def _refuse(message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # a count, not a change a reader could be tricked into; checked below
@require_POST
@never_cache
def beacon(request: HttpRequest, article_id: int) -> JsonResponse:
    """The beacon of the `beacon` counting mode: counts the view (by every rule of the
    policy) and answers the count to show, {"views": N}."""
    if settings.BYLINE_VIEW_COUNTING != "beacon":
        return _refuse(
            "This site counts views on the server (BYLINE_VIEW_COUNTING=server); "
            "view beacons are not used.",
            404,
        )
    # A browser says where a request comes from; a beacon from another site's page is
    # not a view of ours.
    if request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none"):
        return _refuse("A view beacon must come from this site's own page.", 403)
    if not Article.objects.published().filter(pk=article_id).exists():
        return _refuse("No published article has this id.", 404)
    views = article_view_for_request(request=request, article_id=article_id)
    return JsonResponse({"views": views})
