"""A later export of the same site updates what changed there, in place, and adds what
is new; the rest is left alone."""

import pytest

from byline.articles.models import Article
from byline.comments.models import Comment
from byline.pages.models import Page
from tests.importers.helpers import run_import, write_wxr, wxr_comment, wxr_post


@pytest.mark.django_db
def test_changed_items_are_updated_in_place(tmp_path):
    first = write_wxr(
        tmp_path / "first.xml",
        wxr_post(1, slug="story", title="First title", comments=wxr_comment(10, approved="0")),
        wxr_post(2, slug="other", title="Untouched"),
        wxr_post(3, slug="about", post_type="page", link="https://news.example/about/"),
    )
    run_import(first)
    article = Article.objects.get(slug="story")
    untouched = Article.objects.get(slug="other")
    assert article.comment_count == 0
    Page.objects.all().delete()  # an editor removed the page meanwhile

    second = write_wxr(
        tmp_path / "second.xml",
        wxr_post(
            1,
            slug="story",
            title="Corrected title",
            comments=wxr_comment(10, approved="1") + wxr_comment(11, parent=10),
        ),
        wxr_post(2, slug="other", title="Untouched"),
        wxr_post(
            3, slug="about", post_type="page", title="About us",
            link="https://news.example/about/",
        ),
    )  # fmt: skip
    summary = run_import(second)
    assert summary.counts["articles"] == {"updated": 1, "skipped": 1}
    assert summary.counts["comments"] == {"updated": 1, "created": 1}
    article.refresh_from_db()
    assert (article.title, article.slug, article.comment_count) == ("Corrected title", "story", 2)
    reply = Comment.objects.get(parent__isnull=False)
    assert reply.parent.status == Comment.Status.APPROVED and reply.depth == 2
    assert Article.objects.get(pk=untouched.pk).updated_at == untouched.updated_at
    page = Page.objects.get()  # changed on the old site: back, at its address
    assert (page.title, page.path) == ("About us", "about/")
