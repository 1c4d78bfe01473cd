"""What a page tells search engines and link previews about itself: its canonical
address, description, Open Graph and Twitter card tags, feeds, and JSON-LD structured
data (`NewsArticle` and `BreadcrumbList` on articles, `ProfilePage` on authors). Views
build a `PageMeta` with the function for their page; `{% page_meta %}` (in base.html)
prints it, or a site-wide default when a view gave none."""

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.discovery.query import ParsedQuery

DESCRIPTION_CHARS = 160
SOCIAL_IMAGE = "byline/social-card.png"  # 1200 x 630, for previews and NewsArticle.image
LOGO_IMAGE = "byline/logo.png"  # 512 x 512, the publisher's logo
_FIRST_IMAGE = re.compile(r'<img\b[^>]*?\bsrc="(https?://[^"]+|/[^"]*)"')
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
RSS, ATOM = "application/rss+xml", "application/atom+xml"


@dataclass
class FeedLink:
    title: str
    type: str
    href: str


@dataclass
class PageMeta:
    title: str
    description: str
    url: str  # canonical, absolute
    kind: str = "website"  # og:type
    image: str = ""
    robots: str = ""
    feeds: list[FeedLink] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)  # more og/article tags
    json_ld: list[dict] = field(default_factory=list)

    @property
    def json_ld_html(self) -> SafeString:
        """The JSON-LD blocks, safe inside <script> whatever the text holds."""
        blocks = [
            '<script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
            + "</script>"
            for data in self.json_ld
        ]
        return mark_safe("\n".join(blocks))  # noqa: S308 - <, > and & escaped above


def describe(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _canonical(request: HttpRequest, path: str, *keep: str) -> str:
    """The page's own address, with only the parameters that make it a different page
    (an archive's cursor); the view has validated them before the page is shown."""
    params = QueryDict(mutable=True)
    for name in keep:
        if value := request.GET.get(name):
            params[name] = value
    query = params.urlencode()
    return _absolute(request, path + (f"?{query}" if query else ""))


def _site_feeds(request: HttpRequest) -> list[FeedLink]:
    name = settings.BYLINE_SITE_NAME
    return [
        FeedLink(f"{name} » Feed", RSS, reverse("discovery:feed-rss")),
        FeedLink(f"{name} » Atom Feed", ATOM, reverse("discovery:feed-atom")),
        FeedLink(f"{name} » Comments Feed", RSS, reverse("discovery:comments-rss")),
    ]


def _feeds(request: HttpRequest, label: str, name: str, **kwargs) -> list[FeedLink]:
    return [
        *_site_feeds(request),
        FeedLink(
            f"{settings.BYLINE_SITE_NAME} » {label}", RSS, reverse(f"{name}-rss", kwargs=kwargs)
        ),
        FeedLink(
            f"{settings.BYLINE_SITE_NAME} » {label} (Atom)",
            ATOM,
            reverse(f"{name}-atom", kwargs=kwargs),
        ),
    ]


def _publisher(request: HttpRequest) -> dict:
    return {
        "@type": "Organization",
        "name": settings.BYLINE_SITE_NAME,
        "url": _absolute(request, reverse("articles:home")),
        "logo": {"@type": "ImageObject", "url": _absolute(request, static(LOGO_IMAGE))},
    }


def _breadcrumbs(request: HttpRequest, trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": _absolute(request, path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def _archive_meta(
    request: HttpRequest, *, title: str, description: str, feeds: list[FeedLink]
) -> PageMeta:
    return PageMeta(
        title=title,
        description=describe(description),
        url=_canonical(request, request.path, "before", "after"),
        image=_absolute(request, static(SOCIAL_IMAGE)),
        feeds=feeds,
    )


def default_meta(*, request: HttpRequest) -> PageMeta:
    """Any page whose view says nothing more: the site's name and description."""
    return PageMeta(
        title=settings.BYLINE_SITE_NAME,
        description=describe(settings.BYLINE_SITE_DESCRIPTION),
        url=_canonical(request, request.path),
        image=_absolute(request, static(SOCIAL_IMAGE)),
        feeds=_site_feeds(request),
    )


def home_meta(*, request: HttpRequest) -> PageMeta:
    meta = _archive_meta(
        request,
        title=settings.BYLINE_SITE_NAME,
        description=settings.BYLINE_SITE_DESCRIPTION,
        feeds=_site_feeds(request),
    )
    home = _absolute(request, reverse("articles:home"))
    search = _absolute(request, reverse("discovery:search"))
    meta.json_ld = [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": settings.BYLINE_SITE_NAME,
            "url": home,
            "description": settings.BYLINE_SITE_DESCRIPTION,
            "publisher": _publisher(request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{query}}"},
                "query-input": "required name=query",
            },
        }
    ]
    return meta


def category_meta(*, request: HttpRequest, category: Category) -> PageMeta:
    return _archive_meta(
        request,
        title=f"Category: {category.name}",
        description=category.description or f"The latest articles in {category.name}.",
        feeds=_feeds(
            request, f"{category.name} Category Feed", "discovery:category", slug=category.slug
        ),
    )


def tag_meta(*, request: HttpRequest, tag: Tag) -> PageMeta:
    return _archive_meta(
        request,
        title=f"Tag: {tag.name}",
        description=f"The latest articles tagged {tag.name}.",
        feeds=_feeds(request, f"{tag.name} Tag Feed", "discovery:tag", slug=tag.slug),
    )


def date_meta(*, request: HttpRequest, label: str) -> PageMeta:
    return _archive_meta(
        request,
        title=label,
        description=f"Articles published in {label}.",
        feeds=_site_feeds(request),
    )


def author_meta(*, request: HttpRequest, author: Author) -> PageMeta:
    url = _canonical(request, request.path, "before", "after")
    image = author.avatar.url if author.avatar else static(SOCIAL_IMAGE)
    person = {
        "@type": "Person",
        "name": author.display_name,
        "url": _absolute(request, author.get_absolute_url()),
    }
    if author.bio:
        person["description"] = " ".join(author.bio.split())
    if author.avatar:
        person["image"] = _absolute(request, author.avatar.url)
    return PageMeta(
        title=author.display_name,
        description=describe(author.bio or f"Articles by {author.display_name}."),
        url=url,
        kind="profile",
        image=_absolute(request, image),
        feeds=_feeds(
            request, f"Posts by {author.display_name} Feed", "discovery:author", slug=author.slug
        ),
        json_ld=[
            {
                "@context": "https://schema.org",
                "@type": "ProfilePage",
                "url": url,
                "dateModified": author.updated_at.isoformat(),
                "mainEntity": person,
            },
            _breadcrumbs(
                request,
                [
                    (settings.BYLINE_SITE_NAME, reverse("articles:home")),
                    (author.display_name, author.get_absolute_url()),
                ],
            ),
        ],
    )


def article_image(*, request: HttpRequest, article: Article) -> str:
    """The article's first image, else the site's social card; absolute."""
    match = _FIRST_IMAGE.search(article.body_html)
    return _absolute(request, match.group(1) if match else static(SOCIAL_IMAGE))


def article_meta(
    *, request: HttpRequest, article: Article, categories: list[Category], tags: list[Tag]
) -> PageMeta:
    path = article.get_absolute_url()
    url = _absolute(request, path)
    author_url = _absolute(request, article.author.get_absolute_url())
    image = article_image(request=request, article=article)
    published = timezone.localtime(article.published_at).isoformat(timespec="seconds")
    modified = timezone.localtime(max(article.updated_at, article.published_at))
    modified = modified.isoformat(timespec="seconds")
    trail = [(settings.BYLINE_SITE_NAME, reverse("articles:home"))]
    if categories:
        trail.append((categories[0].name, categories[0].get_absolute_url()))
    trail.append((article.title, path))
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(article.title).chars(110),
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published,
        "dateModified": modified,
        "author": [{"@type": "Person", "name": article.author.display_name, "url": author_url}],
        "publisher": _publisher(request),
        "image": [image],
    }
    if categories:
        news_article["articleSection"] = [category.name for category in categories]
    if tags:
        news_article["keywords"] = [tag.name for tag in tags]
    properties = [
        ("article:published_time", published),
        ("article:modified_time", modified),
        ("article:author", author_url),
        *(("article:section", category.name) for category in categories[:1]),
        *(("article:tag", tag.name) for tag in tags),
    ]
    local = timezone.localtime(article.published_at)
    return PageMeta(
        title=article.title,
        description=describe(article.summary),
        url=url,
        kind="article",
        image=image,
        properties=properties,
        feeds=[
            *_site_feeds(request),
            FeedLink(
                f"{settings.BYLINE_SITE_NAME} » {article.title} Comments Feed",
                RSS,
                reverse(
                    "discovery:article-comments-rss",
                    kwargs={"year": local.year, "month": local.month, "slug": article.slug},
                ),
            ),
        ],
        json_ld=[news_article, _breadcrumbs(request, trail)],
    )


def search_meta(*, request: HttpRequest, query: ParsedQuery, page: int) -> PageMeta:
    """Result pages are for readers, not for search engines' indexes."""
    meta = default_meta(request=request)
    meta.title = f"Search results for “{query.text}”" if query.text else "Search"
    params = QueryDict(mutable=True)
    params["q"] = query.text
    if page > 1:
        params["page"] = str(page)
    meta.url = _absolute(request, f"{request.path}?{params.urlencode()}")
    meta.robots = "noindex, follow"
    return meta
