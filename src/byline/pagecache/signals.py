"""What purges the kept pages. Articles (publishing, editing, unpublishing, their
categories and tags), authors' profiles, static pages and the site's comment settings
show on every page, so a change to one purges them all; a comment's change purges the
pages that list comment counts and its own article's page. Queryset updates send no
signal: the code that makes them purges itself (articles.services for comment counts)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.models import Comment, ModerationSettings
from byline.pagecache.marks import COMMENTS, EVERYTHING, article_comments
from byline.pagecache.purge import purge
from byline.pages.models import Page

SITE_WIDE = (Article, Category, Tag, Author, Page, ModerationSettings)


def _everything(sender, **kwargs) -> None:
    purge(EVERYTHING)


for model in SITE_WIDE:
    post_save.connect(_everything, sender=model, dispatch_uid=f"pagecache-save-{model}")
    post_delete.connect(_everything, sender=model, dispatch_uid=f"pagecache-delete-{model}")
for through in (Article.categories.through, Article.tags.through):
    m2m_changed.connect(_everything, sender=through, dispatch_uid=f"pagecache-m2m-{through}")


@receiver(post_save, sender=get_user_model(), dispatch_uid="pagecache-user")
def _user_saved(sender, update_fields=None, **kwargs) -> None:
    # An editor's name shows as the author's; a login only stamps last_login.
    if update_fields is None or set(update_fields) - {"last_login"}:
        purge(EVERYTHING)


@receiver(post_save, sender=Comment, dispatch_uid="pagecache-comment-save")
@receiver(post_delete, sender=Comment, dispatch_uid="pagecache-comment-delete")
def _comment_changed(sender, instance: Comment, created: bool = False, **kwargs) -> None:
    if created and instance.status != Comment.Status.APPROVED:
        return  # a held comment shows nowhere yet (its writer bypasses the cache)
    purge(COMMENTS, article_comments(instance.article_id))
