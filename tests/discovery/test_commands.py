"""`byline manage search_rebuild` indexes articles that were written without saves."""

import pytest
from django.core.management import call_command

from byline.articles.models import Article
from byline.discovery.query import parse_query
from byline.discovery.search import search_articles
from tests.factories import ArticleFactory


@pytest.mark.django_db
def test_search_rebuild(author, capsys):
    Article.objects.bulk_create(
        [
            ArticleFactory.build(author=author, title=f"Imported tablet {n}", body_html="<p>x</p>")
            for n in range(3)
        ]
    )
    assert search_articles(query=parse_query("tablet")).hits == []
    call_command("search_rebuild")
    assert "Indexed 3 articles." in capsys.readouterr().out
    assert len(search_articles(query=parse_query("tablet")).hits) == 3
