"""The search page at /search/?q=: results with marked snippets, and a clear page for
empty, useless or hostile queries, never an error."""

import pytest

from tests.discovery.test_search import HOSTILE
from tests.factories import ArticleFactory


@pytest.fixture
def xiaomi(author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(
            author=author,
            title="Facebook mulled investing in Xiaomi",
            body="Mark Zuckerberg met Lei Jun, the CEO of Xiaomi, in Beijing.",
        )


def search(client, query: str, status: int = 200) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.django_db
class TestSearchPage:
    """What a reader sees for each kind of query."""

    def test_results(self, client, xiaomi):
        html = search(client, "xiaomi")
        assert "Search results for “xiaomi”" in html
        assert "Facebook mulled investing in <mark>Xiaomi</mark></a></h2>" in html
        assert "the CEO of <mark>Xiaomi</mark>, in Beijing" in html
        assert f'href="{xiaomi.get_absolute_url()}"' in html
        assert 'value="xiaomi"' in html  # the query stays in the box

    def test_empty(self, client, db):
        for query in ("", "   "):
            assert "Type a word or a phrase to search the articles." in search(client, query)
        assert "Type a word" in client.get("/search/").content.decode()

    def test_nothing_searchable(self, client, xiaomi):
        html = search(client, "the of and")
        assert "There is nothing to search for in “the of and”" in html
        assert "less common than “the”, “of”, “and”" in html
        assert "nothing to search for" in search(client, '"" -- ** !!')

    def test_no_match(self, client, xiaomi):
        assert "No articles matched your search." in search(client, "qwrtzplk")

    def test_correction(self, client, xiaomi):
        html = search(client, "zuckerbreg")
        assert "Showing results for" in html
        assert '<a href="?q=zuckerberg"><strong>zuckerberg</strong></a>' in html
        assert "Facebook mulled investing in Xiaomi" in html

    def test_long_query_is_cut_with_a_note(self, client, xiaomi):
        html = search(client, "xiaomi " + "x" * 10_000)
        assert "only its first 200 characters and 10 words were used" in html
        assert "x" * 300 not in html

    @pytest.mark.parametrize("query", HOSTILE)
    def test_hostile(self, client, xiaomi, query):
        html = search(client, query)
        assert '<h1 class="page-title">' in html

    def test_query_is_escaped(self, client, xiaomi):
        html = search(client, '<script>alert("x")</script> xiaomi')
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html

    def test_pages(self, client, author, settings, django_capture_on_commit_callbacks):
        settings.BYLINE_ARTICLES_PER_PAGE = 2
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(5):
                ArticleFactory(author=author, title=f"Tablet review {n}")
        html = search(client, "tablet")
        assert 'href="?q=tablet&amp;page=2">More results' in html and "Better matches" not in html
        assert 'rel="canonical" href="http://testserver/search/?q=tablet"' in html
        html = client.get("/search/", {"q": "tablet", "page": "3"}).content.decode()
        assert 'href="?q=tablet&amp;page=2">← Better matches' in html
        assert ">More results" not in html
        for page in ("0", "-1", "abc", "99999999999999999999", "1e3"):
            assert client.get("/search/", {"q": "tablet", "page": page}).status_code == 200

    def test_post_is_refused(self, client, db):
        assert client.post("/search/", {"q": "x"}).status_code == 405

    def test_search_box_on_every_page(self, client, xiaomi):
        html = client.get(xiaomi.get_absolute_url()).content.decode()
        assert 'role="search"' in html and 'action="/search/"' in html
