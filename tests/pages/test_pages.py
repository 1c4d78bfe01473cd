"""Static pages are served at their own address; drafts are not; a page's archived
comments are shown (approved ones only), without anyone's email or IP address."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from byline.comments.rendering import render_comment
from byline.pages.models import Page, PageComment

PUBLISHED = datetime(2020, 5, 1, tzinfo=UTC)


@pytest.fixture
def about(db):
    return Page.objects.create(
        title="About us",
        path="about/",
        body="We write about **phones**.",
        status=Page.Status.PUBLISHED,
        published_at=PUBLISHED,
    )


@pytest.mark.django_db
class TestPages:
    """A page lives at its path, nested paths included, and renders its Markdown body."""

    def test_page_at_its_path(self, client, about):
        team = Page.objects.create(
            title="The team",
            path="/about/team",  # normalised to about/team/
            parent=about,
            status=Page.Status.PUBLISHED,
            published_at=PUBLISHED,
        )
        assert team.path == "about/team/"
        assert team.get_absolute_url() == "/about/team/"
        response = client.get("/about/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<h1 class="entry-title">About us</h1>' in html
        assert "We write about <strong>phones</strong>." in html
        assert client.get("/about/team/").status_code == 200

    def test_path_is_normalised_before_the_uniqueness_check(self, about):
        from django.core.exceptions import ValidationError

        twin = Page(title="Twin", path="/about", status=Page.Status.DRAFT)
        with pytest.raises(ValidationError, match="already exists"):
            twin.full_clean()
        with pytest.raises(ValidationError, match="an address such as"):
            Page(title="Root", path="/").full_clean()

    def test_drafts_and_unknown_paths_are_404(self, client, about):
        Page.objects.create(title="Secret", path="secret/", status=Page.Status.DRAFT)
        assert client.get("/secret/").status_code == 404
        assert client.get("/nowhere/at/all/").status_code == 404

    def test_articles_win_over_pages(self, client, about, article):
        assert client.get(article.get_absolute_url()).context["article"] == article

    def test_archived_comments_show_approved_only_and_nothing_private(self, client, about):
        shown = PageComment.objects.create(
            page=about,
            author_name="Ada",
            author_email="ada.private@mail.example",
            author_ip="198.51.100.23",
            body="Lovely page.",
            body_html=render_comment("Lovely page."),
        )
        PageComment.objects.create(
            page=about,
            parent=shown,
            depth=2,
            author_name="Bob",
            author_email="bob@mail.example",
            body="Reply to Ada.",
            body_html=render_comment("Reply to Ada."),
        )
        PageComment.objects.create(
            page=about,
            author_name="Spammer",
            author_email="spam@mail.example",
            body="Buy pills",
            body_html=render_comment("Buy pills"),
            status=PageComment.Status.SPAM,
        )
        html = client.get(reverse("pages:detail", kwargs={"path": "about/"})).content.decode()
        assert "Lovely page." in html and "Reply to Ada." in html
        assert html.index("Lovely page.") < html.index("Reply to Ada.")
        assert "depth-2" in html
        assert "Buy pills" not in html
        for private in ("ada.private@mail.example", "198.51.100.23", "bob@mail.example"):
            assert private not in html
