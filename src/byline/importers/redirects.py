"""Where an old WordPress address lives now.

Asked by `WordPressRedirectMiddleware` for the home page with WordPress's query
parameters (`/?p=123`, `/?page_id=`, `/?cat=`, `/?tag=`, `/?author=`, `/?feed=`, `/?m=`)
and for any other address the site answered with 404: old permalinks
(`/2014/12/18/slug/`, `/slug/`, `/archives/123`, whatever the old site used: each
imported item keeps its old path), nested categories, changed slugs, feeds, and uploads.
Only public things are redirected to; anything else stays a 404."""

import re

from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.importers.models import WordPressItem
from byline.importers.wordpress.media import MEDIA_PREFIX
from byline.pages.models import Page

Kind = WordPressItem.Kind

_FEED_TAIL = r"(?:rss2?|rdf|atom)/?"
_SITE_FEED = re.compile(
    rf"^/(?:feed/(?:(?P<format>{_FEED_TAIL}))?|wp-(?P<file>rss2?|atom|rdf)\.php)$"
)
_COMMENTS_FEED = re.compile(rf"^/(?:comments/feed/(?:{_FEED_TAIL})?|wp-commentsrss2\.php)$")
_ARCHIVE_FEED = re.compile(
    rf"^/(?P<archive>category|tag|author)/(?P<slug>[^?#]+?)/feed/(?:{_FEED_TAIL})?$"
)
_POST_FEED = re.compile(rf"^(?P<path>/.+/)feed/(?:{_FEED_TAIL})?$")
_ARCHIVE = re.compile(r"^/(?P<archive>category|tag|author)/(?P<slug>[^?#]+?)/$")
_DATED_POST = re.compile(
    r"^/(?P<year>\d{4})/(?P<month>\d{2})/(?:(?P<day>\d{2})/)?(?P<slug>[^/]+)/$"
)
_DAY = re.compile(r"^/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/$")
_UPLOAD = re.compile(r"^/wp-content/uploads/(?P<path>.+)$")


def feed_url(name: str, fallback: str, **kwargs) -> str:
    """A feed's address by its URL name (the discovery app's), else the literal path."""
    try:
        return reverse(f"discovery:{name}", kwargs=kwargs or None)
    except NoReverseMatch:
        return fallback


def _refs(kind: str, **lookup):
    return WordPressItem.objects.filter(kind=kind, **lookup).order_by("-imported_at")


def _public_url(kind: str, object_id: int) -> str | None:
    model = Article if kind == Kind.POST else Page
    found = model.objects.published().filter(pk=object_id).first()
    return found.get_absolute_url() if found else None


def _first_public(kind: str, **lookup) -> tuple[int, str] | None:
    for object_id in _refs(kind, **lookup).values_list("object_id", flat=True)[:5]:
        if url := _public_url(kind, object_id):
            return object_id, url
    return None


_ARCHIVES = {
    "category": (Kind.CATEGORY, Category),
    "tag": (Kind.TAG, Tag),
    "author": (Kind.AUTHOR, Author),
}


def _archive_row(archive: str, slug: str):
    """A category, tag or author by its old slug (the last part of a nested category
    path), or by the same slug in Byline."""
    slug = slug.rstrip("/").rsplit("/", 1)[-1]
    kind, model = _ARCHIVES[archive]
    for object_id in _refs(kind, slug=slug).values_list("object_id", flat=True)[:5]:
        if row := model.objects.filter(pk=object_id).first():
            return row
    return model.objects.filter(slug=slug).first()


def _archive_feed(archive: str, row) -> str:
    return feed_url(f"{archive}-rss", f"/{archive}/{row.slug}/rss/", slug=row.slug)


def _article_by_slug(slug: str, year: str | None = None, month: str | None = None) -> str | None:
    refs = _refs(Kind.POST, slug=slug).values_list("object_id", flat=True)[:20]
    candidates = Article.objects.published().filter(pk__in=list(refs))
    if year and month:
        dated = candidates.filter(published_at__year=int(year), published_at__month=int(month))
        candidates = dated if dated.exists() else candidates
    article = candidates.first() or Article.objects.published().filter(slug=slug).first()
    return article.get_absolute_url() if article else None


def _by_old_path(path: str) -> str | None:
    for kind in (Kind.POST, Kind.PAGE):
        if found := _first_public(kind, old_path=path):
            return found[1]
    return None


def query_target(query: QueryDict) -> str | None:
    """The home page with WordPress's "plain permalink" parameters."""
    feed = query.get("feed", "")
    if (post_id := query.get("p") or query.get("page_id", "")).isdigit():
        for kind in (Kind.POST, Kind.PAGE):
            if found := _first_public(kind, wp_id=post_id):
                return found[1]
        return None
    if (category_id := query.get("cat", "")).isdigit():
        refs = _refs(Kind.CATEGORY, wp_id=category_id).values_list("object_id", flat=True)
        category = Category.objects.filter(pk__in=list(refs[:5])).first()
        if category is None:
            return None
        return _archive_feed("category", category) if feed else category.get_absolute_url()
    if tag := query.get("tag", ""):
        if (row := _archive_row("tag", tag)) is None:
            return None
        return _archive_feed("tag", row) if feed else row.get_absolute_url()
    if (author_id := query.get("author", "")).isdigit():
        refs = _refs(Kind.AUTHOR, data__author_id=author_id).values_list("object_id", flat=True)
        author = Author.objects.filter(pk__in=list(refs[:5])).first()
        return author.get_absolute_url() if author else None
    if feed:
        return _site_feed(feed)
    month = query.get("m", "")
    if len(month) >= 6 and month[:6].isdigit() and 1 <= int(month[4:6]) <= 12:
        return f"/{month[:4]}/{month[4:6]}/"
    return None


def _site_feed(kind: str) -> str:
    if "comments" in kind:
        return feed_url("comments-rss", "/feeds/comments/rss/")
    if "atom" in kind:
        return feed_url("feed-atom", "/feeds/atom/")
    return feed_url("feed-rss", "/feeds/rss/")


def path_target(path: str) -> str | None:
    """Where an address that Byline does not know went."""
    if match := _SITE_FEED.match(path):
        return _site_feed(match.group("format") or match.group("file") or "rss")
    if _COMMENTS_FEED.match(path):
        return _site_feed("comments")
    if match := _ARCHIVE_FEED.match(path):
        row = _archive_row(match.group("archive"), match.group("slug"))
        return _archive_feed(match.group("archive"), row) if row else None
    if match := _POST_FEED.match(path):
        if article_url := _post_url(match.group("path")):
            try:
                return reverse(
                    "discovery:article-comments-rss",
                    kwargs=_permalink_kwargs(article_url),
                )
            except NoReverseMatch:
                return f"{article_url}comments/rss/"
        return None
    if match := _ARCHIVE.match(path):
        row = _archive_row(match.group("archive"), match.group("slug"))
        return row.get_absolute_url() if row else None
    if match := _UPLOAD.match(path):
        relative = match.group("path")
        if any(part in ("", ".", "..") for part in relative.split("/")):
            return None  # never a file outside the uploads folder
        name = MEDIA_PREFIX + relative
        return default_storage.url(name) if default_storage.exists(name) else None
    if match := _DAY.match(path):
        return f"/{match.group('year')}/{match.group('month')}/"
    return _post_url(path)


def _post_url(path: str) -> str | None:
    if found := _by_old_path(path):
        return found
    if match := _DATED_POST.match(path):
        return _article_by_slug(match.group("slug"), match.group("year"), match.group("month"))
    return None


def _permalink_kwargs(article_url: str) -> dict:
    year, month, slug = article_url.strip("/").split("/")[-3:]
    return {"year": int(year), "month": month, "slug": slug}
