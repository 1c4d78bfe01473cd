"""Writes on articles that other apps ask for."""

from byline.articles.models import Article
from byline.pagecache.marks import COMMENTS, article_comments
from byline.pagecache.purge import purge


def article_comment_count_set(*, article_id: int, count: int) -> None:
    """Store the number of approved comments shown in an article's meta line."""
    Article.objects.filter(pk=article_id).update(comment_count=count)
    purge(COMMENTS, article_comments(article_id))  # the counts and the thread changed
