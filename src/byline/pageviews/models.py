from django.db import models
from django.utils import timezone

from byline.articles.models import Article


class ArticleViews(models.Model):
    """An article's total view count: one row per article, bumped in place."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="view_count"
    )
    views = models.BigIntegerField(default=0)

    class Meta:
        db_table = "pageviews_articleviews"  # named in services' SQL
        verbose_name = "article views"
        verbose_name_plural = "article views"
        indexes = [models.Index(fields=["-views"], name="articleviews_views_idx")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.views}"


class DailyViews(models.Model):
    """Views of one article on one day (in the site's time zone), kept beside the total
    so that charts and most-viewed lists are one indexed query."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    views = models.BigIntegerField(default=0)

    class Meta:
        db_table = "pageviews_dailyviews"  # named in services' SQL
        verbose_name_plural = "daily views"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="dailyviews_article_day")
        ]
        indexes = [models.Index(fields=["day", "article"], name="dailyviews_day_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"


class ViewBatch(models.Model):
    """A batch of counts moved from Redis to the database. Its id is inserted in the same
    transaction as its counts, so a batch applied once is never applied again, even when
    the flusher is killed between the commit and the removal of the batch from Redis."""

    id = models.BigIntegerField(primary_key=True)
    views = models.BigIntegerField()
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "pageviews_viewbatch"  # named in backends' SQL

    def __str__(self) -> str:
        return f"batch {self.id}: {self.views} views"


class RecentView(models.Model):
    """When a visitor last had a view of an article counted, for the optional interval
    between two counted views (BYLINE_VIEWS_INTERVAL) without Redis. The visitor is a
    salted hash whose salt changes every day: no address is stored."""

    visitor = models.CharField(max_length=32)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    counted_at = models.BigIntegerField(help_text="Unix time")

    class Meta:
        db_table = "pageviews_recentview"  # named in backends' SQL
        constraints = [
            models.UniqueConstraint(fields=["visitor", "article"], name="recentview_visitor")
        ]
        indexes = [models.Index(fields=["counted_at"], name="recentview_counted_idx")]

    def __str__(self) -> str:
        return f"{self.visitor} {self.article_id}"


class VisitorSalt(models.Model):
    """Today's random salt for visitor hashes (without Redis); earlier days' salts are
    deleted, so yesterday's hashes can no longer be tied to an address."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class SiteStatistics(DailyViews):
    """The editors' statistics page in the admin (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "statistics"
        verbose_name_plural = "statistics"
