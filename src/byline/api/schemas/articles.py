import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from byline.api.pagination import CURSOR_PATTERN
from byline.api.schemas.authors import AuthorOut
from byline.api.schemas.common import absolute
from byline.api.schemas.taxonomy import TermOut
from byline.api.security import has_scope
from byline.articles.models import Article

Status = Literal["draft", "scheduled", "published"]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
NO_NUL_PATTERN = r"^[^\x00]*$"
Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=SLUG_PATTERN)]
EARLIEST, LATEST = 1900, 2200


# RFC 3339 with its zone, as the schema's `date-time` says (not a Unix timestamp, not a
# date alone), in the years an editor can mean.
MOMENT_PATTERN = (
    r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_MOMENT = re.compile(MOMENT_PATTERN)


def _rfc3339(value: object) -> object:
    if not (isinstance(value, str) and _MOMENT.match(value)):
        raise ValueError(
            "Give a time like 2014-12-18T09:30:00Z (RFC 3339 with its zone), between the "
            f"years {EARLIEST} and {LATEST - 1}."
        )
    return value


def _sensible(value: datetime) -> datetime:
    # In UTC from here on: databases need not accept every offset RFC 3339 allows
    # (PostgreSQL refuses +21:56).
    value = value.astimezone(UTC)
    if not EARLIEST <= value.year < LATEST:
        raise ValueError(f"Give a time between the years {EARLIEST} and {LATEST - 1}.")
    return value


Moment = Annotated[
    datetime,
    BeforeValidator(_rfc3339),
    AfterValidator(_sensible),
    Field(json_schema_extra={"pattern": MOMENT_PATTERN}),
]


class ArticleSummaryOut(Schema):
    """An article as lists show it."""

    id: int
    title: str
    slug: str
    status: Status = Field(
        description="What the article is now: a scheduled article whose time has come is published."
    )
    url: str | None = Field(description="Its permalink; null until it is published.")
    published_at: datetime | None
    excerpt: str = Field(description="The editor's excerpt, or the first paragraph's text.")
    author: AuthorOut
    comment_count: int = Field(description="Approved comments.")

    @staticmethod
    def resolve_status(article: Article) -> str:
        return article.display_status.lower()

    @staticmethod
    def resolve_url(article: Article, context: dict) -> str | None:
        return absolute(context, article.get_absolute_url()) if article.is_public else None

    @staticmethod
    def resolve_excerpt(article: Article) -> str:
        return article.summary


class ArticleOut(ArticleSummaryOut):
    """A whole article, as its page shows it."""

    updated_at: datetime
    html: str = Field(description="The body, rendered from Markdown and sanitised.")
    markdown: str | None = Field(
        description="The Markdown source: only for a token that may read drafts or write."
    )
    categories: list[TermOut]
    tags: list[TermOut]
    allow_comments: bool

    @staticmethod
    def resolve_html(article: Article) -> str:
        return article.body_html

    @staticmethod
    def resolve_markdown(article: Article, context: dict) -> str | None:
        request = (context or {}).get("request")
        if request is not None and (
            has_scope(request, "read_drafts") or has_scope(request, "write_articles")
        ):
            return article.body
        return None

    @staticmethod
    def resolve_categories(article: Article) -> list:
        return list(article.categories.all())

    @staticmethod
    def resolve_tags(article: Article) -> list:
        return list(article.tags.all())


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` for the next page; null on the last page."
    )


class ArticleViewsOut(Schema):
    article_id: int
    views: int = Field(description="Every counted view since the article was published.")


class MostViewedItem(Schema):
    views: int = Field(description="Views in the period.")
    article: ArticleSummaryOut


Period = Literal["24h", "7d", "30d", "all"]  # the keys of pageviews.selectors.PERIODS


class MostViewedOut(Schema):
    period: Period
    items: list[MostViewedItem]


class ArticleUpdateIn(Schema):
    """The fields to change; the others keep their values."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300)
    slug: str | None = Field(
        None, max_length=200, pattern=SLUG_PATTERN, description="The permalink's last part."
    )
    body: str | None = Field(None, min_length=1, description="Markdown; HTML is sanitised.")
    excerpt: str | None = None
    status: Status | None = Field(
        None,
        description="`scheduled` needs a future `published_at`; `published` with a future "
        "`published_at` is scheduled.",
    )
    published_at: Moment | None = None
    author: str | None = Field(None, pattern=SLUG_PATTERN, max_length=200, description="A slug.")
    categories: list[Slug] | None = Field(None, max_length=100, description="Category slugs.")
    tags: list[Slug] | None = Field(None, max_length=100, description="Tag slugs.")
    allow_comments: bool | None = None


class ArticleCreateIn(ArticleUpdateIn):
    """A new article. Without `slug`, one is made from the title; without `author`, the
    token's user writes it; without `status`, it is a draft."""

    title: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, description="Markdown; HTML is sanitised.")


class ScheduleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    published_at: Moment = Field(description="When it appears: a time in the future.")


class ArticleFilters(Schema):
    category: Slug | None = Field(None, description="A category's slug.")
    tag: Slug | None = Field(None, description="A tag's slug.")
    author: Slug | None = Field(None, description="An author's slug.")
    published_after: Moment | None = Field(None, description="From this time on (inclusive).")
    published_before: Moment | None = Field(None, description="Before this time.")
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        pattern=NO_NUL_PATTERN,
        description="Words that must all appear in the title, excerpt or body.",
    )
    status: Status = Field(
        "published",
        description="`draft` and `scheduled` need a token with the “read drafts” scope.",
    )
    cursor: str | None = Field(
        None, max_length=40, pattern=CURSOR_PATTERN, description="A page's `next_cursor`."
    )
    limit: int = Field(20, ge=1, le=100)


class PermalinkQuery(Schema):
    url: str = Field(
        min_length=1,
        max_length=2000,
        pattern=NO_NUL_PATTERN,
        description="A permalink, whole or only its path.",
        examples=["/2014/12/facebook-mulled-investing-in-xiaomi/"],
    )


class MostViewedQuery(Schema):
    period: Period = Field(
        "7d",
        description="`24h`: the last 24 hours (estimated from the per-day counts, as the "
        "site's lists do); `7d`, `30d`: the last 7 or 30 days; `all`: ever.",
    )
    limit: int = Field(10, ge=1, le=50)
