"""Sitemaps, with Django's sitemaps framework: the index at /sitemap.xml points to one
sitemap per kind of page (articles, categories, tags, authors), each with the time its
content last changed, and to a Google News sitemap of the last two days' articles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 articles per sitemap


class ArticleSitemap(Sitemap):
    def items(self):
        return (
            Article.objects.published()
            .only("id", "slug", "published_at", "updated_at")
            .newest_first()
        )

    def lastmod(self, item: Article):
        return max(item.updated_at, item.published_at)


def _with_latest_article(model, relation: str):
    """Rows of `model` that have published articles, each with `latest`: when the newest
    of them was published."""
    public = Q(
        **{
            f"{relation}__status__in": (Article.Status.PUBLISHED, Article.Status.SCHEDULED),
            f"{relation}__published_at__lte": timezone.now(),
        }
    )
    return (
        model.objects.annotate(latest=Max(f"{relation}__published_at", filter=public))
        .filter(latest__isnull=False)
        .only("id", "slug")
        .order_by("-latest", "id")
    )


class CategorySitemap(Sitemap):
    def items(self):
        return _with_latest_article(Category, "articles")

    def lastmod(self, item: Category):
        return item.latest


class TagSitemap(Sitemap):
    def items(self):
        return _with_latest_article(Tag, "articles")

    def lastmod(self, item: Tag):
        return item.latest


class AuthorSitemap(Sitemap):
    def items(self):
        return _with_latest_article(Author, "articles")

    def lastmod(self, item: Author):
        return item.latest


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
