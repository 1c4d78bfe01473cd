"""The article page's SQL queries do not grow with its comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CommentFactory

BUDGET = 8


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
class TestArticlePageQueries:
    """A fixed number of queries, at most 8, with 0 or 500 comments."""

    def test_budget_is_flat(self, client, article):
        client.get(article.get_absolute_url())  # moderation settings now cached
        empty = queries_for(client, article.get_absolute_url())
        parent = None
        for index in range(500):
            parent = CommentFactory(
                article=article,
                parent=parent if index % 5 else None,
                depth=(index % 5) + 1,
            )
        client.get(article.get_absolute_url())  # the settings' 5 s cache may have expired
        full = queries_for(client, article.get_absolute_url())
        assert empty == full
        assert full <= BUDGET

    def test_home_budget(self, client, article):
        client.get("/")
        assert queries_for(client, "/") <= 3
