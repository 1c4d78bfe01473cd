"""Keeps derived data in step with the articles, after the writing transaction commits:
the search index, and the version that related-article lists are cached under."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from byline.articles.models import Article
from byline.discovery.related import related_articles_expire
from byline.discovery.search import search_entry_update


@receiver(post_save, sender=Article, dispatch_uid="discovery-article-saved")
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's rows are indexed by `search_rebuild`
        return
    article_id = instance.pk
    # robust: the article is saved whatever happens here; a failure is logged, and
    # `byline manage search_rebuild` repairs the index.
    transaction.on_commit(lambda: search_entry_update(article_id=article_id), robust=True)
    transaction.on_commit(related_articles_expire, robust=True)


@receiver(post_delete, sender=Article, dispatch_uid="discovery-article-deleted")
def article_deleted(sender, instance: Article, **kwargs) -> None:
    # The search entry goes with the article (ON DELETE CASCADE).
    transaction.on_commit(related_articles_expire, robust=True)
