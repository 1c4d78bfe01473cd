from django.db import models

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
