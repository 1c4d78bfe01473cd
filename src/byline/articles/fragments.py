"""The parts of the article page that are the same for every reader, rendered once and
kept in Django's cache: the `<head>`'s SEO block, the article with its author's bio and
related articles, each page of the comment thread, and the comment form as a first-time
reader gets it. The view renders only what is the reader's own around them: the view
count, the form's CSRF token, a returning reader's form, their held comments.

Every key holds the purge versions of the page cache's tags for what the page shows
(`all`: articles, authors, categories, tags, the comment settings; `comments:<id>`: the
article's comments and their count), read before the data: any purge makes new keys in
every server process at once, so a fragment is never older than the pages the page
cache would serve. Values that can change without a purge (the comment settings, which
each process caches for a few seconds; whether comments are still open, which depends on
the date; the Gravatar setting; the site's address) are in the keys too."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe

from byline.articles.models import Article
from byline.comments.forms import CommentForm
from byline.comments.models import ModerationSettings
from byline.comments.selectors import ThreadPage, comment_thread_page
from byline.discovery import seo
from byline.discovery.related import related_articles
from byline.pagecache.marks import EVERYTHING, article_comments
from byline.pagecache.purge import pages_cache, tag_key
from byline.pageviews.templatetags.pageviews import most_viewed_block

FRAGMENT_SECONDS = 3600
# Where the per-request values go in a kept fragment, looked for once, before any text an
# editor wrote as HTML (the article's body follows the view count). The view count's mark
# begins with "<", which never comes out of an escaped value (the title, the author's
# name); the token's is found inside its own input, in a form that holds no such text.
VIEWS_SLOT = mark_safe("<!--byline:views-->")
CSRF_SLOT = "byline-csrf-slot"
CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="'
PARTS_WITH_COUNT = {"page", "thread"}  # the parts that show the article's comment count


def _tag_versions(*tags: str) -> list[float]:
    """The purge versions of `tags`, in one cache read. A tag with no purge time (never
    purged, or evicted) is given one now, as the page cache gives it to the tags of a
    page it keeps (tags_register): a new version, so nothing kept before an eviction is
    used again. Not now + CLOCK_MARGIN (as tags_current stamps a tag it finds missing):
    a fragment needs only a new key, and that margin would make the page cache rebuild
    the page for a second after each such stamp."""
    keys = [tag_key(tag) for tag in tags]
    pages = pages_cache()
    stamps = pages.get_many(keys)
    if len(stamps) < len(keys):
        for key in keys:
            if key not in stamps:
                pages.add(key, time.time(), timeout=None)
        stamps = pages.get_many(keys)
    return [stamps.get(key, 0.0) for key in keys]


@dataclass
class KeptArticle:
    article: Article  # with its author
    everything: float  # the purge version of `all` it was read under


def published_article(slug: str) -> KeptArticle | None:
    """The public article at `slug`, with its author, kept under the purge version of
    `all` (every change to an article or an author purges it). Only a public article is
    kept: it stays public until a change (time only makes scheduled articles public).
    Its comment count changes with another purge (comments:<id>): article_fragments()
    reads the count again when it builds a part that shows it."""
    (everything,) = _tag_versions(EVERYTHING)
    key = f"articles:slug:{everything!r}:{slug}"
    article = cache.get(key)
    if article is None:
        article = Article.objects.published().select_related("author").filter(slug=slug).first()
        if article is None:
            return None  # an unknown address, a draft or a scheduled article: not kept
        cache.set(key, article, FRAGMENT_SECONDS)
    return KeptArticle(article, everything)


@dataclass
class ArticleFragments:
    description: str  # the meta description, escaped by the template
    head: SafeString  # canonical address, Open Graph, feeds, JSON-LD
    entry: tuple[SafeString, SafeString]  # the article, bio and related, around the count
    thread: SafeString | None  # the comment section ("" without comments); None: no such page
    form: SafeString | None  # a first-time reader's form, with this reader's CSRF token


def _entry_and_head(request: HttpRequest, article: Article) -> dict:
    categories, tags = list(article.categories.all()), list(article.tags.all())
    meta = seo.article_meta(request=request, article=article, categories=categories, tags=tags)
    entry = render_to_string(
        "articles/entry.html",
        {
            "article": article,
            "views_slot": VIEWS_SLOT,
            "categories": categories,
            "tags": tags,
            "related": related_articles(
                article=article,
                tag_ids=[tag.pk for tag in tags],
                category_ids=[category.pk for category in categories],
            ),
        },
    )
    head = render_to_string(
        "discovery/meta.html", {"meta": meta, "site_name": settings.BYLINE_SITE_NAME}
    )
    before, after = entry.split(VIEWS_SLOT, 1)
    return {"description": meta.description, "head": head, "entry": (before, after)}


def thread_html(
    *, article: Article, rules: ModerationSettings, page: int, held_ids: list[int]
) -> str | None:
    """The comment section for one page of the thread, with the reader's own held
    comments; None when a page after the first has no comments."""
    thread_page: ThreadPage = comment_thread_page(
        article_id=article.pk,
        held_ids=held_ids,
        max_depth=rules.max_depth,
        page=page,
        per_page=rules.comments_per_page,
        newest_first=rules.comment_order == ModerationSettings.Order.NEWEST,
    )
    if thread_page.number > 1 and not thread_page.items:
        return None
    if not thread_page.items:
        return ""
    return render_to_string(
        "comments/thread.html",
        {
            "article": article,
            "thread": thread_page.items,
            "comment_page": thread_page,
            "comment_order": rules.comment_order,
        },
    )


def _first_form(article: Article, *, comments_open: bool) -> tuple[str, str | None]:
    """The form as a first-time reader gets it, split where the CSRF token goes (no token
    when comments are closed: then there is no form)."""
    form = CommentForm(initial={"article": article.pk, "remember": False})
    html = render_to_string(
        "comments/form.html",
        {
            "article": article,
            "form": form,
            "replying_to": None,
            "comments_open": comments_open,
            "csrf_token": CSRF_SLOT,
        },
    )
    if not comments_open:
        return html, None
    before, after = html.split(CSRF_INPUT + CSRF_SLOT, 1)
    return before + CSRF_INPUT, after


def article_fragments(
    request: HttpRequest,
    article: Article,
    *,
    rules: ModerationSettings,
    page: int,
    held_ids: list[int],
    first_form: bool,
    comments_open: bool,
    kept_article: KeptArticle | None = None,
) -> ArticleFragments:
    """The reader-independent parts of the article page, from the cache when kept. The
    thread is built for this request alone when the reader has held comments; the form
    is kept only as a first-time reader gets it (`first_form`). `kept_article`: the
    article as published_article() found it (else `article` is read from the database
    in this request)."""
    if kept_article is None:
        everything, comments = _tag_versions(EVERYTHING, article_comments(article.pk))
    else:
        everything, (comments,) = (
            kept_article.everything,
            _tag_versions(article_comments(article.pk)),
        )
    base = f"articles:{article.pk}:{everything!r}:{comments!r}"
    keys = {"page": f"{base}:page:{request.scheme}://{request.get_host()}"}
    if not held_ids:
        keys["thread"] = (
            f"{base}:thread:{page}:{rules.max_depth}:{rules.comments_per_page}:"
            f"{rules.comment_order}:{int(settings.BYLINE_GRAVATAR)}"
        )
    if first_form:
        keys["form"] = f"{base}:form:{int(comments_open)}"
    kept = cache.get_many(keys.values())
    found = {name: kept[key] for name, key in keys.items() if key in kept}
    missing = {}
    if not found.keys() >= PARTS_WITH_COUNT:
        # The count, read after the version of comments:<id> the parts are kept under (the
        # article was read before it: a comment approved in between would leave the kept
        # parts with the old count).
        count = Article.objects.filter(pk=article.pk).values_list("comment_count", flat=True)
        article.comment_count = next(iter(count), article.comment_count)
    if "page" not in found:
        found["page"] = missing[keys["page"]] = _entry_and_head(request, article)
    if "thread" not in found:
        found["thread"] = thread_html(article=article, rules=rules, page=page, held_ids=held_ids)
        if "thread" in keys and found["thread"] is not None:  # a missing page is not kept
            missing[keys["thread"]] = found["thread"]
    if first_form and "form" not in found:
        found["form"] = missing[keys["form"]] = _first_form(article, comments_open=comments_open)
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    form = None
    if first_form:
        before, after = found["form"]
        # get_token(), as {% csrf_token %} calls it: the reader gets the cookie it needs.
        form = before if after is None else before + get_token(request) + after
    return ArticleFragments(
        description=found["page"]["description"],
        head=mark_safe(found["page"]["head"]),  # noqa: S308 - rendered with autoescape
        entry=tuple(mark_safe(part) for part in found["page"]["entry"]),  # noqa: S308
        thread=None if found["thread"] is None else mark_safe(found["thread"]),  # noqa: S308
        form=None if form is None else mark_safe(form),  # noqa: S308
    )


# The "Most viewed" block's HTML by what it shows, in this process: the ranking changes
# about once a minute (byline.pageviews keeps it that long), the page is rendered far
# more often. The block's own template tag gives what it shows.
_MOST_VIEWED: dict[tuple, str] = {}
MOST_VIEWED_KEPT = 32


def most_viewed_html() -> SafeString:
    """The "Most viewed" block, as {% most_viewed_block %} renders it."""
    context = most_viewed_block()
    key = (get_urlconf(), get_script_prefix(), repr(context))
    html = _MOST_VIEWED.get(key)
    if html is None:
        if len(_MOST_VIEWED) >= MOST_VIEWED_KEPT:
            _MOST_VIEWED.clear()
        html = _MOST_VIEWED[key] = render_to_string("pageviews/most_viewed_block.html", context)
    return mark_safe(html)  # noqa: S308 - rendered with autoescape
