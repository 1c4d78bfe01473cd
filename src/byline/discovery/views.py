from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from byline.discovery.query import MAX_QUERY_CHARS, parse_query
from byline.discovery.search import MAX_PAGE, search_articles
from byline.discovery.seo import search_meta
from byline.pageviews.services import views_by_article


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < len(value) < 4 else 1


def _search_query(text: str, page: int = 1) -> str:
    params = QueryDict(mutable=True)
    params["q"] = text
    if page > 1:
        params["page"] = str(page)
    return params.urlencode()


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=…: ranked results with marked snippets; whatever the text, a page."""
    raw = request.GET.get("q", "")
    query = parse_query(raw)
    page = min(_page_number(request.GET.get("page", "")), MAX_PAGE)
    results = search_articles(query=query, page=page, per_page=settings.BYLINE_ARTICLES_PER_PAGE)
    views = views_by_article([hit.article.pk for hit in results.hits])
    for hit in results.hits:
        hit.article.views = views[hit.article.pk]
    return render(
        request,
        "discovery/search.html",
        {
            "results": results,
            "query": query,
            "previous_query": _search_query(query.text, results.page - 1),
            "next_query": _search_query(query.text, results.page + 1),
            "corrected_query": _search_query(results.corrected.text if results.corrected else ""),
            "typed": raw.strip(),
            "max_chars": MAX_QUERY_CHARS,
            "meta": search_meta(request=request, query=query, page=results.page),
        },
    )


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "discovery/robots.txt",
        {"base_url": f"{request.scheme}://{request.get_host()}"},
        content_type="text/plain; charset=utf-8",
    )
