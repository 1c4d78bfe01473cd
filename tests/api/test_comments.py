"""A comment sent through the API meets the same form checks, moderation rules, spam
pipeline and rate limits as one sent through the page's form: one code path."""

import pytest

from byline.comments.models import Comment, ModerationSettings
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory

EMAIL = "ada@mail.example"


def send(api, article, ip="203.0.113.7", **fields):
    payload = {"body": "Xiaomi's growth is remarkable.", "name": "Ada Reader", "email": EMAIL,
               **fields}  # fmt: skip
    return api.send("POST", f"/api/v1/articles/{article.pk}/comments", payload, REMOTE_ADDR=ip)


@pytest.mark.django_db
class TestSameRulesAsTheForm:
    """The form and the API decide the same state, for the same reason."""

    @pytest.mark.parametrize(
        ("body", "status", "reason"),
        [
            ("Plain words.", "pending", "first comment from this author"),
            ("See https://a.example and https://b.example", "pending", "2 links"),
            ("Buy cheapviagra now", "trash", "disallowed word: cheapviagra"),
        ],
    )
    def test_same_verdict(self, api, client, article, body, status, reason):
        rules = ModerationSettings.current()
        rules.disallowed_words = "cheapviagra"
        rules.flood_interval = 0
        rules.save()
        post_comment(client, article, comment=body, email="form@mail.example", ip="198.51.100.1")
        by_form = Comment.objects.get(author_email="form@mail.example")
        response = send(api, article, body=body, ip="198.51.100.2")
        assert response.status_code == 201, response.content
        by_api = Comment.objects.get(pk=response.json()["id"])
        assert by_form.status == by_api.status == status
        assert by_form.status_reason == by_api.status_reason
        assert by_api.status_reason.startswith(reason)
        # Held, spam and trash all read as "awaiting moderation" to the sender.
        assert response.json() == {
            "id": by_api.pk,
            "status": "pending",
            "message": "Your comment is awaiting moderation.",
            "url": None,
        }

    def test_a_trusted_author_is_published_and_shown(self, api, article):
        CommentFactory(article=article, author_name="Ada Reader", author_email=EMAIL)
        response = send(api, article, body="Again, *thoughtfully*. <script>x()</script>")
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "approved" and body["url"].endswith(f"#comment-{body['id']}")
        thread = api.get(f"/api/v1/articles/{article.pk}/comments").json()
        assert thread["count"] == 2
        html = thread["comments"][1]["html"]
        assert "<script" not in html and "Again" in html
        assert EMAIL not in response.content.decode() + str(thread)
        article.refresh_from_db()
        assert article.comment_count == 2

    def test_a_reply_nests_under_its_parent(self, api, article):
        parent = CommentFactory(article=article, author_name="Ada Reader", author_email=EMAIL)
        response = send(api, article, parent_id=parent.pk)
        assert response.status_code == 201 and response.json()["status"] == "approved"
        thread = api.get(f"/api/v1/articles/{article.pk}/comments").json()
        assert thread["comments"][0]["replies"][0]["id"] == response.json()["id"]
        assert Comment.objects.get(pk=response.json()["id"]).depth == 2


@pytest.mark.django_db
class TestRefusals:
    """Refused comments get the form's messages, per field, at the right status."""

    def test_field_messages_are_the_forms(self, api, article):
        response = send(api, article, name="   ", email="not-an-address", url="ftp://x.example")
        assert response.status_code == 422
        assert response.json()["fields"] == {
            "name": "Please enter your name.",
            "email": "Please enter a valid email address, like name@example.com.",
            "url": "Please enter a web address starting with http:// or https://, or leave it "
            "empty.",
        }
        assert not Comment.objects.exists()

    def test_schema_errors_name_the_field(self, api, article):
        response = api.send("POST", f"/api/v1/articles/{article.pk}/comments", {"body": "Hi"})
        assert response.status_code == 422
        assert set(response.json()["fields"]) == {"name", "email"}
        extra = send(api, article, homepage="http://spam.example")
        assert extra.status_code == 422 and "homepage" in extra.json()["fields"]
        broken = api.send("POST", f"/api/v1/articles/{article.pk}/comments", "{not json")
        assert broken.status_code in (400, 422) and broken.json()["message"]

    def test_nul_characters_are_refused_not_crashed_on(self, api, article):
        response = send(api, article, body="nul \x00 here")
        assert response.status_code == 422 and "body" in response.json()["fields"]

    def test_flood_is_429(self, api, article):
        assert send(api, article).status_code == 201
        response = send(api, article, body="A second thought.", email="other@mail.example")
        assert response.status_code == 429
        assert "too quickly" in response.json()["message"]
        assert int(response["Retry-After"]) > 0
        assert Comment.objects.count() == 1

    def test_the_per_ip_rate_limit_is_the_forms(self, api, article):
        rules = ModerationSettings.current()
        rules.flood_interval = 0
        rules.save()
        statuses = [
            send(api, article, body=f"Thought {n}", email=f"r{n}@mail.example").status_code
            for n in range(rules.rate_limit + 1)
        ]
        assert statuses == [201] * rules.rate_limit + [429]
        assert Comment.objects.count() == rules.rate_limit

    def test_closed_comments_are_403(self, api, article):
        article.allow_comments = False
        article.save()
        response = send(api, article)
        assert response.status_code == 403 and response.json()["message"] == (
            "Comments are closed on this article."
        )

    def test_reply_to_a_held_parent_is_400(self, api, article):
        held = CommentFactory(article=article, status="pending")
        response = send(api, article, parent_id=held.pk)
        assert response.status_code == 400
        assert "not available" in response.json()["message"]

    def test_unknown_or_unpublished_article_is_404(self, api, article):
        response = api.send("POST", "/api/v1/articles/999999/comments", {
            "body": "x", "name": "y", "email": "z@mail.example"})  # fmt: skip
        assert response.status_code == 404
