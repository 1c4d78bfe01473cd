"""Sitemaps, with Django's sitemaps framework: the index at /sitemap.xml points to one
sitemap per kind of page (articles, categories, tags, authors), each with the time its
content last changed, and to a Google News sitemap of the last two days' articles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 articles per sitemap


class ArticleSitemap(Sitemap):
    limit = 10_000  # URLs per sitemap page: each page builds in well under a second

    def items(self):
        return (
            Article.objects.published()
            .only("id", "slug", "published_at", "updated_at")
            .newest_first()
        )

    def lastmod(self, item: Article):
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self):
        # One aggregate, not Django's default walk over every item.
        latest = Article.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return max(filter(None, latest.values()), default=None)


class _ArchiveSitemap(Sitemap):
    """Archives with at least one published article; lastmod: the newest one's time.
    Each row's time comes from a subquery that walks the articles newest first."""

    model: type
    relation: str

    def items(self) -> list:
        if not hasattr(self, "_rows"):
            newest = (
                Article.objects.published()
                .filter(**{self.relation: OuterRef("pk")})
                .order_by("-published_at")
                .values("published_at")[:1]
            )
            rows = self.model.objects.annotate(latest=Subquery(newest)).only("id", "slug")
            self._rows = sorted(
                (row for row in rows if row.latest),
                key=lambda row: (-row.latest.timestamp(), row.pk),
            )
        return self._rows

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return max((item.latest for item in self.items()), default=None)


class CategorySitemap(_ArchiveSitemap):
    model, relation = Category, "categories"


class TagSitemap(_ArchiveSitemap):
    model, relation = Tag, "tags"


class AuthorSitemap(_ArchiveSitemap):
    model, relation = Author, "author"


class NewsSitemap(Sitemap):
    """Articles published in the last two days, in Google News' format
    (discovery/sitemap_news.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .only("id", "slug", "title", "published_at", "updated_at")
            .newest_first()[:NEWS_LIMIT]
        )

    def lastmod(self, item: Article):
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self):
        return max((self.lastmod(item) for item in self.items()), default=None)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["news_name"] = settings.BYLINE_SITE_NAME
            url["news_language"] = settings.LANGUAGE_CODE.split("-")[0]
        return urls


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}
