"""The moderation queue's counts are kept as comments change state (database triggers),
so the queue never counts the comment table."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from byline.comments.models import Comment, CommentStatusCount
from byline.comments.privacy import commenter_erase
from byline.comments.selectors import comment_status_counts
from byline.comments.services import comment_moderate
from tests.comments.helpers import post_comment, staff_client
from tests.factories import ArticleFactory, CommentFactory


def counted() -> dict[str, int]:
    found = dict(Comment.objects.values_list("status").annotate(n=Count("id")))
    return {status: found.get(status, 0) for status in Comment.Status.values}


@pytest.mark.django_db
class TestCountersFollowEveryWrite:
    """Whoever writes (form, moderation, bulk insert, raw update, cascade, erase), the
    kept counts equal a real count."""

    def test_every_kind_of_write(self, client, article):
        post_comment(client, article)
        assert comment_status_counts() == counted() == {**counted(), "pending": 1}

        batch = Comment.objects.bulk_create(
            [Comment(article=article, author_name=f"I{n}", author_email=f"i{n}@x.example",
                     body="imported", status="approved") for n in range(5)]
        )  # fmt: skip
        assert comment_status_counts() == counted()

        comment_moderate(comment_ids=[batch[0].pk, batch[1].pk], status="spam", reason="t")
        Comment.objects.filter(pk=batch[2].pk).update(status="trash")
        Comment.objects.filter(pk=batch[3].pk).update(status="approved")  # no change
        assert comment_status_counts() == counted()

        other = ArticleFactory()
        CommentFactory.create_batch(3, article=other, status="pending")
        other.delete()  # the comments go with it
        assert comment_status_counts() == counted()

        commenter_erase(email="i4@x.example")
        Comment.objects.filter(status="spam").delete()
        assert comment_status_counts() == counted()
        assert counted() == {"pending": 1, "approved": 1, "spam": 0, "trash": 1}

    def test_counts_are_read_not_counted(self):
        CommentStatusCount.objects.filter(status="pending").update(count=1_000_000)
        with CaptureQueriesContext(connection) as queries:
            assert comment_status_counts()["pending"] == 1_000_000
        assert len(queries) == 1
        assert "COUNT(" not in queries[0]["sql"].upper()


@pytest.mark.django_db
class TestQueuePage:
    """The admin's queue shows the kept counts and pages without COUNT(*)."""

    def test_no_count_of_the_comment_table(self, article):
        CommentFactory.create_batch(3, article=article, status="pending")
        CommentStatusCount.objects.filter(status="pending").update(count=120)
        editor = staff_client()
        for url in ("/admin/comments/comment/", "/admin/comments/comment/?status__exact=pending"):
            with CaptureQueriesContext(connection) as queries:
                page = editor.get(url)
            assert page.status_code == 200
            counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()
                        and "comments_comment" in q["sql"]]  # fmt: skip
            assert counting == [], counting
        html = page.content.decode()
        assert "Pending (120)" in html
        assert "120 comments" in html  # the paginator believes the counter
        assert "?p=2&amp;status__exact=pending" in html  # a second page of 50

    def test_a_search_counts_for_real(self, article):
        CommentFactory.create_batch(2, article=article, body="findme")
        page = staff_client().get("/admin/comments/comment/?q=findme")
        assert "2 comments" in page.content.decode()

    def test_newest_first(self, article):
        first, second = CommentFactory.create_batch(2, article=article)
        html = staff_client().get("/admin/comments/comment/").content.decode()
        assert html.index(f"/comments/comment/{second.pk}/change/") < html.index(
            f"/comments/comment/{first.pk}/change/"
        )

    def test_header_shows_pending_from_the_counters(self, article):
        CommentFactory.create_batch(2, article=article, status="pending")
        html = staff_client().get("/admin/").content.decode()
        assert "2 comments awaiting moderation" in html


@pytest.mark.django_db
class TestSettingsInTheAdmin:
    """Editors change the filter's scores and the other rules in the admin; nonsense is
    refused with a message."""

    def form(self, **changes) -> dict:
        from django.forms.models import model_to_dict

        from byline.comments.models import ModerationSettings

        data = model_to_dict(ModerationSettings.current())
        data.pop("id")
        return {key: "on" if value is True else value for key, value in data.items()
                if value is not False} | changes  # fmt: skip

    def test_scores_are_saved(self):
        from byline.comments.models import ModerationSettings

        editor = staff_client()
        url = editor.get("/admin/comments/moderationsettings/").url
        response = editor.post(url, self.form(spam_threshold="0.95", close_after_days="90"))
        assert response.status_code == 302
        rules = ModerationSettings.current()
        assert (rules.spam_threshold, rules.close_after_days) == (0.95, 90)

    def test_hold_score_above_spam_score_is_refused(self):
        editor = staff_client()
        url = editor.get("/admin/comments/moderationsettings/").url
        response = editor.post(url, self.form(hold_threshold="0.95", spam_threshold="0.9"))
        assert response.status_code == 200
        assert "The hold score must not exceed the spam score." in response.content.decode()
