"""The editor's admin: Markdown preview, article list with views and comments, the
moderation queue and the comment rules."""

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client

from byline.comments.models import Comment, ModerationSettings
from byline.pageviews.services import article_views_add
from tests.factories import CommentFactory


@pytest.fixture
def editor_client(db) -> Client:
    editor = get_user_model().objects.create_superuser("editor", password="a-long-password-1")
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.django_db
class TestArticleEditing:
    """Editors write Markdown with a live preview and see views and comments per article."""

    def test_preview_renders_sanitised_markdown(self, editor_client):
        response = editor_client.post(
            "/admin/articles/article/preview/",
            {"body": "Hello **news**\n\n<script>alert(1)</script>"},
        )
        assert response.status_code == 200
        assert response.content.decode() == "<p>Hello <strong>news</strong></p>\n"

    def test_preview_is_for_editors_only(self, client, db):
        response = client.post("/admin/articles/article/preview/", {"body": "x"})
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_editor_form_has_the_preview(self, editor_client):
        html = editor_client.get("/admin/articles/article/add/").content.decode()
        assert 'data-preview-url="/admin/articles/article/preview/"' in html
        assert "byline/admin-preview.js" in html
        assert '<option value="scheduled">Scheduled</option>' in html

    def test_list_shows_views_and_comments(self, editor_client, article):
        article_views_add(article_id=article.pk, views=1234)
        Comment.objects.filter(article=article).delete()
        article.comment_count = 7
        article.save()
        html = editor_client.get("/admin/articles/article/").content.decode()
        assert '<td class="field-views">1234</td>' in html
        assert '<td class="field-comment_count">7</td>' in html

    def test_publish_through_the_admin(self, editor_client, author, client):
        response = editor_client.post(
            "/admin/articles/article/add/",
            {
                "title": "Phones in 2026",
                "slug": "phones-in-2026",
                "author": author.pk,
                "body": "A *new* story.",
                "excerpt": "",
                "status": "published",
                "published_at_0": "2026-01-02",
                "published_at_1": "10:00:00",
                "allow_comments": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        page = client.get("/2026/01/phones-in-2026/")
        assert page.status_code == 200
        assert "<p>A <em>new</em> story.</p>" in page.content.decode()


@pytest.mark.django_db
class TestModerationQueue:
    """Bulk Approve / Spam / Trash, with the number in each state where editors look."""

    def test_pending_count_on_every_admin_page(self, editor_client, article):
        CommentFactory.create_batch(3, article=article, status="pending")
        html = editor_client.get("/admin/").content.decode()
        assert "3 comments awaiting moderation" in html

    def test_state_filter_shows_counts(self, editor_client, article):
        CommentFactory.create_batch(2, article=article, status="pending")
        CommentFactory(article=article, status="spam")
        html = editor_client.get("/admin/comments/comment/").content.decode()
        assert "Pending (2)" in html and "Spam (1)" in html and "Trash (0)" in html

    @pytest.mark.parametrize(("action", "status"), [("mark_approved", "approved"),
                                               ("mark_spam", "spam"),
                                               ("mark_trash", "trash")])  # fmt: skip
    def test_bulk_actions(self, editor_client, article, action, status):
        comments = CommentFactory.create_batch(2, article=article, status="pending")
        response = editor_client.post(
            "/admin/comments/comment/",
            {"action": action, "_selected_action": [c.pk for c in comments]},
        )
        assert response.status_code == 302
        assert set(Comment.objects.values_list("status", flat=True)) == {status}
        article.refresh_from_db()
        assert article.comment_count == (2 if status == "approved" else 0)

    def test_editing_a_comment_rerenders_it(self, editor_client, article):
        comment = CommentFactory(article=article, status="pending")
        response = editor_client.post(
            f"/admin/comments/comment/{comment.pk}/change/",
            {
                "author_name": comment.author_name,
                "author_email": comment.author_email,
                "author_url": "",
                "body": "Edited <b>text</b>",
                "status": "approved",
            },
        )
        assert response.status_code == 302
        comment.refresh_from_db()
        assert comment.body_html == "<p>Edited <b>text</b></p>"
        assert comment.status == "approved"
        article.refresh_from_db()
        assert article.comment_count == 1


@pytest.mark.django_db
class TestCommentRules:
    """The moderation settings are one page of WordPress's rules."""

    def test_list_goes_to_the_one_settings_page(self, editor_client):
        response = editor_client.get("/admin/comments/moderationsettings/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/comments/moderationsettings/1/change/"

    def test_saving_the_rules(self, editor_client):
        editor_client.get("/admin/comments/moderationsettings/")
        data = {}
        for name, value in model_to_dict(ModerationSettings.current()).items():
            if value is True:
                data[name] = "on"
            elif value is not False and value is not None:
                data[name] = value
        data.update(max_links="3", moderation_words="casino", flood_interval="30", max_depth="4")
        response = editor_client.post("/admin/comments/moderationsettings/1/change/", data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        rules = ModerationSettings.current()
        assert (rules.max_links, rules.flood_interval, rules.max_depth) == (3, 30, 4)
        assert rules.moderation_words == "casino"
