from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from byline.articles.fragments import (
    KeptArticle,
    article_fragments,
    most_viewed_html,
    published_article,
)
from byline.articles.models import Article, Category, Tag
from byline.articles.pagination import cursor_page
from byline.comments.cookies import held_comment_ids, remembered_identity
from byline.comments.forms import CommentForm
from byline.comments.models import ModerationSettings
from byline.comments.selectors import reply_target
from byline.comments.services import comments_open
from byline.discovery import seo
from byline.pagecache.marks import COMMENTS, article_comments, cacheable, cached_page
from byline.pageviews.services import article_view_for_request, article_views, views_by_article


def render_article_list(
    request: HttpRequest, queryset, template: str, context: dict | None = None
) -> HttpResponse:
    """Any archive: one page of articles, newest first, with their view counts."""
    page = cursor_page(
        queryset.for_listing(),
        before=request.GET.get("before"),
        after=request.GET.get("after"),
        per_page=settings.BYLINE_ARTICLES_PER_PAGE,
    )
    if not page.items and (request.GET.get("before") or request.GET.get("after")):
        raise Http404("No articles on this page.")
    views = views_by_article([article.pk for article in page.items])
    for article in page.items:
        article.views = views[article.pk]
    return render(request, template, {"page": page, **(context or {})})


@require_safe
@cached_page(COMMENTS)
def home(request: HttpRequest) -> HttpResponse:
    return render_article_list(
        request,
        Article.objects.published(),
        "articles/home.html",
        {"meta": seo.home_meta(request=request)},
    )


@require_safe
@cached_page(COMMENTS)
def category_archive(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Category, slug=slug)
    articles = Article.objects.published().filter(categories=found)
    meta = seo.category_meta(request=request, category=found)
    return render_article_list(
        request, articles, "articles/archive.html", {"category": found, "meta": meta}
    )


@require_safe
@cached_page(COMMENTS)
def tag_archive(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=found)
    meta = seo.tag_meta(request=request, tag=found)
    return render_article_list(
        request, articles, "articles/archive.html", {"tag": found, "meta": meta}
    )


@require_safe
@cached_page(COMMENTS)
def month_archive(request: HttpRequest, year: int, month: int) -> HttpResponse:
    try:
        start = timezone.make_aware(datetime(year, month, 1))
        end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
    except (ValueError, OverflowError) as error:
        raise Http404("No such month.") from error
    articles = Article.objects.published().filter(published_at__gte=start, published_at__lt=end)
    meta = seo.date_meta(request=request, label=date_format(start, "F Y"))
    return render_article_list(
        request, articles, "articles/archive.html", {"month": start, "meta": meta}
    )


@require_safe
@cached_page(COMMENTS)
def year_archive(request: HttpRequest, year: int) -> HttpResponse:
    try:
        start = timezone.make_aware(datetime(year, 1, 1))
        end = timezone.make_aware(datetime(year + 1, 1, 1))
    except (ValueError, OverflowError) as error:
        raise Http404("No such year.") from error
    articles = Article.objects.published().filter(published_at__gte=start, published_at__lt=end)
    meta = seo.date_meta(request=request, label=date_format(start, "Y"))
    return render_article_list(
        request, articles, "articles/archive.html", {"year": start, "meta": meta}
    )


@require_safe
def detail(request: HttpRequest, year: int, month: int, slug: str) -> HttpResponse:
    kept = published_article(slug)
    if kept is None:
        raise Http404("No Article matches the given query.")
    article = kept.article
    canonical = article.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    views = article_view_for_request(request=request, article_id=article.pk)
    response = render_article_page(request, article, views=views, kept_article=kept)
    if not request.user.is_authenticated and not request.GET.keys() - {"cpage"}:
        cacheable(response, article_comments(article.pk), article_id=article.pk)
    return response


def render_article_page(
    request: HttpRequest,
    article: Article,
    *,
    views: int | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
    kept_article: KeptArticle | None = None,
) -> HttpResponse:
    """The reference page. Also used by the comments app to answer a comment that could
    not be saved, with the reader's form and its messages in place. What is the same for
    every reader comes from byline.articles.fragments; only the reader's own parts are
    rendered here."""
    rules = ModerationSettings.current()
    held_ids = held_comment_ids(request)
    cpage = request.GET.get("cpage", "1") if comment_form is None else "1"
    identity = remembered_identity(request) if comment_form is None else {}
    if comment_form is None:
        reply_id = request.GET.get("replytocom", "")
    else:
        reply_id = comment_form.data.get("parent", "")
    # Only a comment one can still reply to becomes the form's parent; otherwise the form
    # falls back to a new top-level comment.
    replying_to = None
    # isdecimal(), not isdigit(): "²" is a digit int() refuses; and ids have 18 digits at most.
    if reply_id.isdecimal() and len(reply_id) <= 18:
        replying_to = reply_target(article_id=article.pk, comment_id=int(reply_id))
        if replying_to and replying_to.depth >= rules.max_depth:
            replying_to = None

    is_open = comments_open(article=article, rules=rules)
    fragments = article_fragments(
        request,
        article,
        rules=rules,
        page=int(cpage) if cpage.isdigit() and 0 < len(cpage) < 7 else 1,
        held_ids=held_ids,
        first_form=comment_form is None and not identity and replying_to is None,
        comments_open=is_open,
        kept_article=kept_article,
    )
    if fragments.thread is None:
        raise Http404("There are no comments on this page.")
    context = {
        "article": article,
        "views": article_views(article_id=article.pk) if views is None else views,
        "fragments": fragments,
        "most_viewed": most_viewed_html(),
    }
    if fragments.form is None:  # this reader's own form: their details, reply or errors
        if comment_form is None:
            initial = {"article": article.pk, **identity}
            initial["remember"] = "email" in initial
            comment_form = CommentForm(initial=initial)
        context |= {"form": comment_form, "replying_to": replying_to, "comments_open": is_open}
    response = render(request, "articles/detail.html", context, status=status)
    if held_ids or request.COOKIES.keys() & {"comment_author_email"}:
        # This answer shows this reader's own data: no shared cache may keep it.
        response["Cache-Control"] = "private, no-cache"
    return response
