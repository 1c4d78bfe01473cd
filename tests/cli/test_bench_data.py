"""`byline bench-data`: the generated site is a real one — every article published at its
address, threads valid, counts right, search and views in step — and bad arguments are
refused."""

from datetime import timedelta

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from byline.articles.models import Article
from byline.cli import main
from byline.comments.models import Comment, CommentStatusCount
from byline.discovery.models import SearchEntry
from byline.pageviews.models import ArticleViews, DailyViews
from tests.factories import CommentFactory

ARTICLES, COMMENTS, DAYS = 30, 400, 20


def bench_data(*options: str) -> None:
    main(["bench-data", *options])


@pytest.fixture
def generated(db, article, capsys):
    """The `article` fixture (an existing site), then a generated run on top of it."""
    bench_data(
        "--articles", str(ARTICLES), "--comments", str(COMMENTS), "--days", str(DAYS),
        "--seed", "7", "--batch", "12",
    )  # fmt: skip
    output = capsys.readouterr().out
    return Article.objects.exclude(pk=article.pk), output


@pytest.mark.django_db
class TestBenchData:
    """It adds N published articles and M approved comments, valid in every respect."""

    def test_counts_and_progress(self, generated, article):
        articles, output = generated
        assert articles.count() == ARTICLES
        assert Article.objects.filter(pk=article.pk).exists()  # added to, not replaced
        assert Comment.objects.approved().count() == COMMENTS
        assert Comment.objects.count() == COMMENTS
        assert CommentStatusCount.objects.get(status="approved").count == COMMENTS
        assert f"{ARTICLES}/{ARTICLES} articles" in output
        assert "done: 30 articles and 400 comments in" in output

    def test_published_over_the_last_days_by_a_few_authors(self, generated):
        articles, _ = generated
        now = timezone.now()
        assert all(a.status == Article.Status.PUBLISHED for a in articles)
        assert all(now - timedelta(days=DAYS) <= a.published_at < now for a in articles)
        assert 1 < articles.values("author").distinct().count() <= 6
        assert all(a.categories.exists() and a.tags.exists() for a in articles)
        assert all(a.body_html.startswith("<p>") and a.summary for a in articles)
        assert all("<blockquote>" in a.body_html and "<h2>" in a.body_html for a in articles)

    def test_every_article_is_served_at_its_address(self, generated, client):
        articles, _ = generated
        for found in articles:
            response = client.get(found.get_absolute_url())
            assert response.status_code == 200, found.get_absolute_url()
            assert found.title.encode() in response.content

    def test_threads_are_valid(self, generated):
        comments = {c.pk: c for c in Comment.objects.all()}
        replies = [c for c in comments.values() if c.parent_id is not None]
        assert len(replies) > COMMENTS // 10  # threaded, not flat
        assert max(c.depth for c in comments.values()) >= 3
        for comment in comments.values():
            if comment.parent_id is None:
                assert comment.depth == 1 and comment.root_id is None
                continue
            parent = comments[comment.parent_id]
            assert parent.article_id == comment.article_id
            assert comment.depth == parent.depth + 1
            assert comment.root_id == (parent.root_id or parent.pk)
            assert comments[comment.root_id].parent_id is None
            assert comment.created_at >= parent.created_at

    def test_comment_counts_shown_are_the_approved_comments(self, generated, client):
        articles, _ = generated
        counted = articles.annotate(
            approved=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
        )
        assert all(a.comment_count == a.approved for a in counted)
        busiest = counted.order_by("-approved").first()
        assert busiest.approved > 1
        page = client.get(busiest.get_absolute_url()).content.decode()
        assert f"{busiest.approved} Comments" in page

    def test_views_are_recorded(self, generated):
        articles, _ = generated
        views = ArticleViews.objects.filter(article__in=articles)
        assert views.count() == ARTICLES
        daily = DailyViews.objects.filter(article__in=articles).aggregate(n=Sum("views"))["n"]
        assert daily == views.aggregate(n=Sum("views"))["n"] > 0

    def test_generated_articles_are_found_by_search(self, generated, client):
        articles, _ = generated
        assert SearchEntry.objects.filter(article__in=articles).count() == ARTICLES
        found = articles.order_by("-published_at").first()
        response = client.get("/search/", {"q": found.title})
        assert response.status_code == 200
        assert found.get_absolute_url() in response.content.decode()

    def test_home_lists_the_newest_article(self, generated, client):
        articles, _ = generated
        newest = articles.order_by("-published_at").first()
        assert newest.get_absolute_url() in client.get("/").content.decode()

    def test_a_second_run_adds_more(self, generated, capsys):
        bench_data("--articles", "10", "--comments", "50", "--days", "3", "--seed", "7")
        assert Article.objects.count() == 1 + ARTICLES + 10
        assert Comment.objects.approved().count() == COMMENTS + 50
        slugs = list(Article.objects.values_list("slug", flat=True))
        assert len(set(slugs)) == len(slugs)

    def test_rows_written_afterwards_get_new_ids(self, generated, article):
        # The comments' ids were given by bench-data itself: the table's sequence moved on.
        newest = Comment.objects.order_by("-pk").first()
        later = CommentFactory(article=article)
        assert later.pk > newest.pk


@pytest.mark.django_db
class TestBadArguments:
    """Nonsense is refused with a message and a non-zero exit, before anything is written."""

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--articles", "-1"], "--articles cannot be negative"),
            (["--articles", "5", "--comments", "-3"], "--comments cannot be negative"),
            (["--articles", "5", "--days", "0"], "--days must be at least 1"),
            (["--articles", "0", "--comments", "5"], "comments need articles"),
        ],
    )
    def test_refused(self, options, message):
        with pytest.raises(SystemExit) as exit_:
            bench_data(*options)
        assert message in str(exit_.value.code)
        assert Article.objects.count() == 0

    def test_not_a_number(self, capsys):
        with pytest.raises(SystemExit) as exit_:
            bench_data("--articles", "many")
        assert exit_.value.code == 2
        assert "invalid int value: 'many'" in capsys.readouterr().err
