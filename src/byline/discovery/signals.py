"""Keeps derived data in step with the articles, after the writing transaction commits:
the search index."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from byline.articles.models import Article
from byline.discovery.search import search_entry_update


@receiver(post_save, sender=Article, dispatch_uid="discovery-article-saved")
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's rows are indexed by `search_rebuild`
        return
    article_id = instance.pk
    # robust: the article is saved whatever happens here; a failure is logged, and
    # `byline manage search_rebuild` repairs the index.
    transaction.on_commit(lambda: search_entry_update(article_id=article_id), robust=True)
