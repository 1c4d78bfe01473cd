"""The JSON API at /api/v1/: one NinjaAPI, every operation in this module. Reads start
from `Article.objects.published()` (drafts only for a token that may read them), view
counts come from the pageviews services and comments go through `comment_submit`, the
comment form's own code path."""

from urllib.parse import unquote, urlsplit

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Status
from ninja.openapi.docs import Swagger

from byline.api.conditional import conditional_get
from byline.api.errors import ApiError, install_error_handlers, invalid, reject_unknown_query
from byline.api.forms import article_write
from byline.api.pagination import cursor_page
from byline.api.schemas.articles import (
    ArticleCreateIn,
    ArticleFilters,
    ArticleOut,
    ArticlePage,
    ArticleUpdateIn,
    ArticleViewsOut,
    MostViewedOut,
    MostViewedQuery,
    PermalinkQuery,
    ScheduleIn,
)
from byline.api.schemas.authors import AuthorOut
from byline.api.schemas.comments import (
    CommentCreatedOut,
    CommentIn,
    CommentThreadOut,
    ModerationIn,
    QueueCommentOut,
    QueueFilters,
    QueuePage,
)
from byline.api.schemas.common import READ_ERRORS, WRITE_ERRORS, ErrorOut
from byline.api.schemas.taxonomy import CategoryOut, TermOut
from byline.api.security import (
    OPTIONAL_SECURITY,
    TOKEN,
    TOKEN_OR_ANONYMOUS,
    has_scope,
    require_scope,
)
from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.forms import CommentForm
from byline.comments.models import Comment, ModerationSettings
from byline.comments.selectors import comment_thread
from byline.comments.services import CommentRejected, comment_moderate, comment_submit
from byline.comments.views import client_ip
from byline.pageviews.selectors import PERIODS, ranked_articles
from byline.pageviews.services import article_views

MAX_ID = 2**63 - 1
ArticleId = Path(..., ge=1, le=MAX_ID, description="The article's id.", examples=[1])
AuthorId = Path(..., ge=1, le=MAX_ID, description="The author's id.", examples=[1])
CommentId = Path(..., ge=1, le=MAX_ID, description="The comment's id.", examples=[1])
# The comment form's field names, as the API calls them.
COMMENT_FIELDS = {"comment": "body", "author": "name", "parent": "parent_id", "article": "article"}

DESCRIPTION = """Byline's content, as JSON: articles with their rendered HTML, authors,
categories, tags, view counts and approved comments, for apps, static-site front ends and
newsroom tools.

* **Reads** need no token. Every GET answers with `ETag` and `Last-Modified` and honours
  `If-None-Match` / `If-Modified-Since` with `304 Not Modified`.
* **Writes** need a personal API token (admin → API → API tokens), sent as
  `Authorization: Bearer <token>`, with the scope the operation names.
* **Errors** are JSON: `{"message": "…", "fields": {"field": "what is wrong"}}`.
"""


class BylineAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = BylineAPI(
    title="Byline API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False, "deepLinking": True}),
    docs_decorator=conditional_get,
)
install_error_handlers(api)
api.add_decorator(reject_unknown_query, mode="view")  # first: it needs ninja's own run
api.add_decorator(conditional_get, mode="view")

READ = {"auth": TOKEN_OR_ANONYMOUS, "openapi_extra": OPTIONAL_SECURITY}


def _readable_articles(request: HttpRequest) -> QuerySet:
    """Published articles; every article for a token that may read drafts or write."""
    if has_scope(request, "read_drafts") or has_scope(request, "write_articles"):
        return Article.objects.all()
    return Article.objects.published()


def _whole(articles: QuerySet) -> QuerySet:
    return articles.select_related("author").prefetch_related("categories", "tags")


def _article_or_404(queryset: QuerySet, article_id: int) -> Article:
    article = _whole(queryset).filter(pk=article_id).first()
    if article is None:
        raise Http404("There is no published article with this id.")
    return article


def _search(queryset: QuerySet, words: str) -> QuerySet:
    for word in words.split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word)
        )
    return queryset


# Articles: reads


@api.get("/articles", response={200: ArticlePage, **READ_ERRORS}, tags=["articles"], **READ)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    """Articles, newest first, with their HTML: filter by category, tag, author, dates
    and words; walk the pages with `cursor`."""
    order = "published_at"
    if filters.status == "published":
        articles = Article.objects.published()
    else:
        require_scope(request, "read_drafts")
        if filters.status == "draft":
            articles, order = Article.objects.filter(status=Article.Status.DRAFT), "created_at"
        else:
            articles = Article.objects.exclude(status=Article.Status.DRAFT).filter(
                published_at__gt=timezone.now()
            )
    if filters.category:
        articles = articles.filter(categories__slug=filters.category)
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag)
    if filters.author:
        articles = articles.filter(author__slug=filters.author)
    if filters.published_after:
        articles = articles.filter(published_at__gte=filters.published_after)
    if filters.published_before:
        articles = articles.filter(published_at__lt=filters.published_before)
    if filters.q:
        articles = _search(articles, filters.q)
    page = cursor_page(_whole(articles), field=order, cursor=filters.cursor, limit=filters.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@api.get("/articles/by-url", response={200: ArticleOut, **READ_ERRORS}, tags=["articles"], **READ)
def get_article_by_url(request: HttpRequest, query: Query[PermalinkQuery]):
    """One published article by its permalink."""
    try:
        path = unquote(urlsplit(query.url).path)
    except ValueError:
        path = ""
    path = path if path.endswith("/") else path + "/"
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or match.view_name != "articles:detail":
        raise Http404("This is not an article's address.")
    article = _whole(Article.objects.published()).filter(slug=match.kwargs["slug"]).first()
    if article is None or article.get_absolute_url() != path:
        raise Http404("No article is published at this address.")
    return article


@api.get(
    "/articles/most-viewed", response={200: MostViewedOut, **READ_ERRORS}, tags=["views"], **READ
)
def most_viewed_articles(request: HttpRequest, query: Query[MostViewedQuery]):
    """The most viewed published articles of a period, as the site's "Most viewed" lists
    rank them."""
    _, days = PERIODS[query.period]
    published = Article.objects.published().select_related("author")
    ranked = ranked_articles(published, days=days, limit=query.limit)
    return {
        "period": query.period,
        "items": [{"views": views, "article": article} for article, views in ranked],
    }


@api.get(
    "/articles/{int:article_id}",
    response={200: ArticleOut, **READ_ERRORS},
    tags=["articles"],
    **READ,
)
def get_article(request: HttpRequest, article_id: int = ArticleId):
    """One article by its id."""
    return _article_or_404(_readable_articles(request), article_id)


@api.get(
    "/articles/{int:article_id}/views",
    response={200: ArticleViewsOut, **READ_ERRORS},
    tags=["views"],
    **READ,
)
def get_article_views(request: HttpRequest, article_id: int = ArticleId):
    """An article's view count, as its page shows it."""
    if not _readable_articles(request).filter(pk=article_id).exists():
        raise Http404("There is no published article with this id.")
    return {"article_id": article_id, "views": article_views(article_id=article_id)}


@api.get(
    "/articles/{int:article_id}/comments",
    response={200: CommentThreadOut, **READ_ERRORS},
    tags=["comments"],
    **READ,
)
def list_article_comments(request: HttpRequest, article_id: int = ArticleId):
    """An article's approved comments as a thread: each with its replies, oldest first."""
    if not _readable_articles(request).filter(pk=article_id).exists():
        raise Http404("There is no published article with this id.")
    rules = ModerationSettings.current()
    items = comment_thread(article_id=article_id, held_ids=[], max_depth=rules.max_depth)
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for item in items:
        comment = item.comment
        node = {
            "id": comment.pk,
            "parent_id": comment.parent_id,
            "author_name": comment.author_name,
            "author_url": comment.author_url or None,
            "html": comment.body_html,
            "created_at": comment.created_at,
            "replies": [],
        }
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent["replies"] if parent else roots).append(node)
    return {"article_id": article_id, "count": len(items), "comments": roots}


# Comments: a reader's new comment


@api.post(
    "/articles/{int:article_id}/comments",
    response={
        201: CommentCreatedOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    tags=["comments"],
)
def create_comment(request: HttpRequest, payload: CommentIn, article_id: int = ArticleId):
    """Post a reader's comment. It goes through the comment form's checks, the
    moderation rules, the spam filter and the rate limits, exactly as on the page: it is
    published at once, or held for a moderator. The email address is never shown."""
    article = Article.objects.published().select_related("author").filter(pk=article_id).first()
    if article is None:
        raise Http404("There is no published article with this id.")
    form = CommentForm(
        data={
            "comment": payload.body,
            "author": payload.name,
            "email": payload.email,
            "url": payload.url,
            "article": article.pk,
            "parent": payload.parent_id or "",
            "homepage": "",
            "notify": payload.notify_replies,
        }
    )
    if not form.is_valid():
        raise invalid(
            {COMMENT_FIELDS.get(name, name): errors[0] for name, errors in form.errors.items()}
        )
    data = form.cleaned_data
    try:
        comment = comment_submit(
            article=article,
            body=data["comment"],
            name=data["author"],
            email=data["email"],
            url=data["url"],
            parent_id=data["parent"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            notify_replies=data["notify"],
        )
    except CommentRejected as rejection:
        field = COMMENT_FIELDS.get(rejection.field or "", rejection.field)
        wait = rejection.retry_after
        raise ApiError(
            rejection.status,
            rejection.message,
            fields={field: rejection.message} if field else None,
            headers={"Retry-After": str(wait)} if wait else None,
        ) from rejection
    approved = comment.status == Comment.Status.APPROVED
    return Status(
        201,
        {
            "id": comment.pk,
            "status": "approved" if approved else "pending",
            "message": "Your comment is published."
            if approved
            else "Your comment is awaiting moderation.",
            "url": request.build_absolute_uri(comment.get_absolute_url()) if approved else None,
        },
    )


# Authors, categories, tags


@api.get("/authors", response={200: list[AuthorOut], **READ_ERRORS}, tags=["authors"], **READ)
def list_authors(request: HttpRequest):
    """Every author, by name."""
    return Author.objects.order_by("display_name", "pk")


@api.get(
    "/authors/{int:author_id}", response={200: AuthorOut, **READ_ERRORS}, tags=["authors"], **READ
)
def get_author(request: HttpRequest, author_id: int = AuthorId):
    """One author's public profile."""
    author = Author.objects.filter(pk=author_id).first()
    if author is None:
        raise Http404("There is no author with this id.")
    return author


@api.get("/categories", response={200: list[CategoryOut], **READ_ERRORS}, tags=["taxonomy"], **READ)
def list_categories(request: HttpRequest):
    """Every category, by name."""
    return Category.objects.order_by("name", "pk")


@api.get("/tags", response={200: list[TermOut], **READ_ERRORS}, tags=["taxonomy"], **READ)
def list_tags(request: HttpRequest):
    """Every tag, by name."""
    return Tag.objects.order_by("name", "pk")


# Articles: writes, for editors' tools


def _article_for_writing(request: HttpRequest, article_id: int) -> Article:
    require_scope(request, "write_articles")
    return _article_or_404(Article.objects.all(), article_id)


def _reloaded(article: Article) -> Article:
    return _article_or_404(Article.objects.all(), article.pk)


@api.post("/articles", response={201: ArticleOut, **WRITE_ERRORS}, auth=TOKEN, tags=["editing"])
def create_article(request: HttpRequest, payload: ArticleCreateIn):
    """Create an article (a draft unless `status` says otherwise). Scope: write articles."""
    token = require_scope(request, "write_articles")
    article = article_write(changes=payload.model_dump(exclude_unset=True), user=token.user)
    return Status(201, _reloaded(article))


@api.patch(
    "/articles/{int:article_id}",
    response={200: ArticleOut, **WRITE_ERRORS},
    auth=TOKEN,
    tags=["editing"],
)
def update_article(request: HttpRequest, payload: ArticleUpdateIn, article_id: int = ArticleId):
    """Change some of an article's fields. Scope: write articles."""
    article = _article_for_writing(request, article_id)
    changes = payload.model_dump(exclude_unset=True)
    return _reloaded(article_write(changes=changes, user=request.auth.user, article=article))


@api.post(
    "/articles/{int:article_id}/publish",
    response={200: ArticleOut, **WRITE_ERRORS},
    auth=TOKEN,
    tags=["editing"],
)
def publish_article(request: HttpRequest, article_id: int = ArticleId):
    """Publish an article now (a scheduled one too). An article already published keeps
    its date. Scope: write articles."""
    article = _article_for_writing(request, article_id)
    if article.is_public:
        return article
    changes = {"status": Article.Status.PUBLISHED, "published_at": timezone.now()}
    return _reloaded(article_write(changes=changes, user=request.auth.user, article=article))


@api.post(
    "/articles/{int:article_id}/schedule",
    response={200: ArticleOut, **WRITE_ERRORS},
    auth=TOKEN,
    tags=["editing"],
)
def schedule_article(request: HttpRequest, payload: ScheduleIn, article_id: int = ArticleId):
    """Schedule an article: it appears by itself at `published_at`, a time in the
    future. Scope: write articles."""
    article = _article_for_writing(request, article_id)
    changes = {"status": Article.Status.SCHEDULED, "published_at": payload.published_at}
    return _reloaded(article_write(changes=changes, user=request.auth.user, article=article))


# Comments: moderation


@api.get(
    "/comments", response={200: QueuePage, **READ_ERRORS}, auth=TOKEN,
    tags=["moderation"],
)  # fmt: skip
def list_comments(request: HttpRequest, filters: Query[QueueFilters]):
    """The moderation queue, newest first. Scope: moderate comments."""
    require_scope(request, "moderate_comments")
    comments = Comment.objects.filter(status=filters.status).only(
        "id", "article_id", "parent_id", "author_name", "author_url", "body_html", "status",
        "status_reason", "created_at",
    )  # fmt: skip
    page = cursor_page(comments, field="created_at", cursor=filters.cursor, limit=filters.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@api.post(
    "/comments/{int:comment_id}/moderation",
    response={200: QueueCommentOut, **WRITE_ERRORS},
    auth=TOKEN,
    tags=["moderation"],
)
def moderate_comment(request: HttpRequest, payload: ModerationIn, comment_id: int = CommentId):
    """Approve, hold, spam or trash a comment, as the admin's queue does. Scope: moderate
    comments."""
    token = require_scope(request, "moderate_comments")
    if not Comment.objects.filter(pk=comment_id).exists():
        raise Http404("There is no comment with this id.")
    comment_moderate(
        comment_ids=[comment_id],
        status=payload.status,
        reason=f"moderator: {token.user.get_username()} (API)",
    )
    return Comment.objects.get(pk=comment_id)
