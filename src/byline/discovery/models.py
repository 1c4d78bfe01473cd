"""The search index's rows. The full-text index on them is the database's own: an FTS5
table kept in step by triggers on SQLite, a generated `tsvector` column with a GIN index
on PostgreSQL (migration 0002). Rows are derived data, rebuilt from the articles by
`search_index_rebuild()`; nothing else writes them."""

from django.db import models

from byline.articles.models import Article


class SearchEntry(models.Model):
    """An article's searchable text: its title and the plain text of its body."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title = models.TextField()
    body = models.TextField()

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.title


class SearchWord(models.Model):
    """A word seen in an indexed article, as written (lower case): the vocabulary from
    which a misspelt search word finds its correction."""

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.word
