from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """The one start of every public read. A scheduled article is public as soon as
        its publication time has passed, with no job to flip its status."""
        from byline.articles.models import Article

        return self.filter(
            status__in=(Article.Status.PUBLISHED, Article.Status.SCHEDULED),
            published_at__lte=timezone.now(),
        )

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-id")

    def for_listing(self) -> "ArticleQuerySet":
        """What an archive list prints, without the article bodies."""
        return self.select_related("author").defer("body", "body_html")

    def next_publication(self):
        """When the next scheduled article becomes public (None if none is waiting): the
        pages that list articles change by themselves then."""
        from byline.articles.models import Article

        return self.filter(
            status__in=(Article.Status.PUBLISHED, Article.Status.SCHEDULED),
            published_at__gt=timezone.now(),
        ).aggregate(next=models.Min("published_at"))["next"]
