"""The kept parts of the article page (byline.articles.fragments): kept between readers,
never older than the data once a change commits, and never one reader's own."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from byline.comments.models import Comment
from byline.comments.services import comment_edit, comment_moderate
from byline.pagecache.marks import EVERYTHING, article_comments
from byline.pagecache.purge import pages_cache, tag_key
from byline.pageviews.services import article_views_add
from tests.comments.helpers import post_comment, set_rules
from tests.conftest import BROWSER_UA
from tests.factories import ArticleFactory, CommentFactory, TagFactory
from tests.live import ARTICLE_PATH, start_site
from tests.pagecache.http import Reader
from tests.pageviews.live_sites import READER_UA


def page(client, article, query: str = "") -> tuple[str, bool]:
    """The page's HTML, and whether its parts were kept (no comment or tag was read)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    return response.content.decode(), "comments_comment" not in sql and "articles_tag" not in sql


def kept_page(client, article) -> str:
    """The page, built and then served from its kept parts (checked)."""
    page(client, article)
    html, kept = page(client, article)
    assert kept
    return html


@pytest.mark.django_db
class TestChangesShowOnTheNextRequest:
    """After each change that a kept part shows, the very next request shows it: the
    change's purge, run when it commits, gives the parts new keys."""

    def test_a_comment_approved(self, client, article, django_capture_on_commit_callbacks):
        held = CommentFactory(article=article, status="pending", body_html="<p>Now public</p>")
        assert "Now public" not in kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            comment_moderate(comment_ids=[held.pk], status="approved", reason="test")
        html, kept = page(client, article)
        assert not kept
        assert "Now public" in html
        assert '<a class="comments-link" href="#comments">1 Comment</a>' in html
        assert "<h2>1 Comment</h2>" in html

    def test_a_comment_edited(self, client, article, django_capture_on_commit_callbacks):
        comment = CommentFactory(article=article, body_html="<p>First words</p>")
        assert "First words" in kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            comment_edit(comment=comment, body="Second thoughts")
        html, _ = page(client, article)
        assert "Second thoughts" in html and "First words" not in html

    @pytest.mark.parametrize("how", ["spam", "trash", "deleted"])
    def test_a_comment_removed(self, client, article, django_capture_on_commit_callbacks, how):
        CommentFactory(article=article, body_html="<p>Stays</p>")
        gone = CommentFactory(article=article, body_html="<p>Goes away</p>")
        with django_capture_on_commit_callbacks(execute=True):
            comment_moderate(comment_ids=[gone.pk], status="approved", reason="counted")
        assert "Goes away" in kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            if how == "deleted":
                gone.delete()
            else:
                comment_moderate(comment_ids=[gone.pk], status=how, reason="test")
        html, _ = page(client, article)
        assert "Goes away" not in html and "Stays" in html
        if how != "deleted":  # the services that delete rows recount themselves
            assert '<a class="comments-link" href="#comments">1 Comment</a>' in html

    def test_the_article_edited(self, client, article, django_capture_on_commit_callbacks):
        assert "Facebook mulled" in kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            article.title = "Facebook passed on Xiaomi"
            article.body = "An entirely new body."
            article.save()
        html, _ = page(client, article)
        assert "Facebook mulled" not in html
        assert '<h1 class="entry-title">Facebook passed on Xiaomi</h1>' in html
        assert '<meta property="og:title" content="Facebook passed on Xiaomi">' in html
        assert "An entirely new body." in html

    def test_the_article_unpublished(self, client, article, django_capture_on_commit_callbacks):
        kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            article.status = article.Status.DRAFT
            article.save()
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_a_tag_added(self, client, article, django_capture_on_commit_callbacks):
        assert "Tagged" not in kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            article.tags.add(TagFactory(name="Phones"))
        html, _ = page(client, article)
        assert "Tagged <a" in html and '<meta property="article:tag" content="Phones">' in html

    def test_the_authors_bio_changed(self, client, article, django_capture_on_commit_callbacks):
        assert "Loves phones." in kept_page(client, article)
        with django_capture_on_commit_callbacks(execute=True):
            article.author.bio = "Writes about chips now."
            article.author.save()
        html, _ = page(client, article)
        assert "Writes about chips now." in html and "Loves phones." not in html

    def test_the_comment_rules_changed(self, client, article):
        top = CommentFactory(article=article)
        CommentFactory(article=article, parent=top, depth=2)
        assert 'aria-label="Reply to' in kept_page(client, article)
        # Each process caches the rules for a few seconds: they are part of the key, so
        # the thread never shows one rule set's markup under another's.
        set_rules(max_depth=1)
        html, _ = page(client, article)
        assert 'aria-label="Reply to' not in html

    def test_a_purge_time_lost_from_the_cache(self, client, article):
        """A tag whose purge time was evicted counts as purged: the parts kept before it
        are not used again (the change here is made without its purge, as an eviction
        would lose it)."""
        comment = CommentFactory(article=article, body_html="<p>Before</p>")
        assert "Before" in kept_page(client, article)
        Comment.objects.filter(pk=comment.pk).update(body_html="<p>After</p>")
        pages_cache().delete(tag_key(article_comments(article.pk)))
        assert "After" in page(client, article)[0]
        pages_cache().delete(tag_key(EVERYTHING))
        html, kept = page(client, article)
        assert not kept and "After" in html


def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
class TestReadersOwnParts:
    """What is one reader's own is rendered for them alone, never kept for others."""

    def test_each_reader_has_their_own_form_token(self, article):
        first, second = Client(HTTP_USER_AGENT=BROWSER_UA), Client(HTTP_USER_AGENT=BROWSER_UA)
        one, two = kept_page(first, article), kept_page(second, article)
        assert token(one) != token(two)
        assert first.cookies["csrftoken"].value and second.cookies["csrftoken"].value
        assert "byline-csrf-slot" not in one + two and "<!--byline:" not in one + two

    def test_a_reader_with_a_held_comment(self, client, article):
        CommentFactory(article=article, body_html="<p>Approved one</p>")
        other = Client(HTTP_USER_AGENT=BROWSER_UA)
        kept_page(other, article)
        assert post_comment(client, article, comment="Hold me please").status_code == 303
        mine, _ = page(client, article)
        assert "Hold me please" in mine and "Your comment is awaiting moderation." in mine
        assert "Approved one" in mine
        theirs, kept = page(other, article)
        assert kept and "Hold me please" not in theirs and "Approved one" in theirs

    def test_a_returning_readers_details_and_reply(self, client, article):
        parent = CommentFactory(article=article, author_name="Bob Parent")
        other = Client(HTTP_USER_AGENT=BROWSER_UA)
        kept_page(other, article)
        client.cookies["comment_author"] = "Ann Returning"
        client.cookies["comment_author_email"] = "ann@mail.example"
        html, _ = page(client, article, f"?replytocom={parent.pk}")
        assert 'value="Ann Returning"' in html and "Leave a Reply to Bob Parent" in html
        fresh, kept = page(other, article)
        assert kept and "Ann Returning" not in fresh and "Leave a Reply to" not in fresh
        assert '<input id=author name=author value="" maxlength=245' in fresh

    def test_a_form_with_errors_keeps_the_text(self, client, article):
        kept_page(Client(HTTP_USER_AGENT=BROWSER_UA), article)
        answer = post_comment(client, article, comment="My kept words", email="not-an-address")
        html = answer.content.decode()
        assert answer.status_code == 400
        assert "My kept words</textarea>" in html and "Please enter a valid email" in html
        fresh, kept = page(Client(HTTP_USER_AGENT=BROWSER_UA), article)
        assert kept and "My kept words" not in fresh and "form-errors" not in fresh


@pytest.mark.django_db
def test_the_most_viewed_block_follows_its_ranking(client, article, settings):
    """The block's HTML is kept by what it shows: a new ranking shows at once."""
    settings.BYLINE_MOST_VIEWED_SECONDS = 0  # the ranking itself is read every time
    other = ArticleFactory(title="A rising story")
    article_views_add(article_id=article.pk, views=5)
    html = kept_page(client, article)
    assert "A rising story" not in html[html.index('<aside class="most-viewed"') :]
    article_views_add(article_id=other.pk, views=50)
    html, _ = page(client, article)
    block = html[html.index('<aside class="most-viewed"') :]
    assert f'<a href="{other.get_absolute_url()}">A rising story</a>' in block


@pytest.mark.timeout(300)
def test_every_server_process_sees_a_change_at_once(tmp_path):
    """Against a running `byline serve` with two workers and the page cache off: once a
    comment is approved (in another process), every worker's next answer shows it."""
    site = start_site(tmp_path, workers=2, extra_env={"BYLINE_PAGE_CACHE": "off"})
    try:
        comment_id = site.shell(
            "from byline.articles.models import Article\n"
            "from byline.comments.models import Comment\n"
            "a = Article.objects.get(slug='facebook-mulled-investing-in-xiaomi')\n"
            "c = Comment.objects.create(article=a, author_name='Late Reader',"
            " author_email='late@mail.example', body='Seen everywhere',"
            " body_html='<p>Seen everywhere</p>', status=Comment.Status.PENDING)\n"
            "print(c.pk)"
        ).split()[-1]
        readers = [Reader(site.base_url, user_agent=READER_UA) for _ in range(6)]
        for reader in readers * 2:  # new connections: both workers build and keep the parts
            answer = reader.get(ARTICLE_PATH)
            assert answer.status == 200 and "Seen everywhere" not in answer.body
        site.shell(
            "from byline.comments.services import comment_moderate\n"
            f"comment_moderate(comment_ids=[{comment_id}], status='approved', reason='test')"
        )
        for reader in readers:
            body = reader.get(ARTICLE_PATH).body
            assert "Seen everywhere" in body and "Leave a comment" not in body
    finally:
        site.stop()
