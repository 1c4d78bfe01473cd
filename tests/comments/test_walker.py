"""The comment list built in Python (byline.comments.walker): compact, and every value a
commenter chose is escaped, quoted or not."""

import pytest
from django.test import override_settings

from byline.comments.walker import attr
from tests.factories import CommentFactory

HOSTILE = "\"'><script>__xss()</script> x=y `z` &amp;"
ESCAPED = "&quot;&#x27;&gt;&lt;script&gt;__xss()&lt;/script&gt; x=y `z` &amp;amp;"


def test_bare_values_stay_bare_and_the_rest_is_quoted_and_escaped():
    assert attr("R1") == "R1"
    assert attr("/comments/7/report/") == "/comments/7/report/"
    assert attr("a b") == '"a b"'
    assert attr("a=b") == '"a=b"'
    assert (
        attr(HOSTILE) == '"&quot;&#x27;&gt;&lt;script&gt;__xss()&lt;/script&gt; x=y `z` &amp;amp;"'
    )


@pytest.mark.django_db
class TestCommentMarkup:
    """A comment's name, initials, website and reply label cannot break out of the markup."""

    def test_hostile_name(self, client, article):
        comment = CommentFactory(article=article, author_name=HOSTILE)
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<script>__xss" not in html
        item = html.split(f"<li id=comment-{comment.pk}>")[1].split("</li>")[0]
        assert f">{ESCAPED}</b>" in item
        assert f'aria-label="Reply to {ESCAPED}"' in item
        assert 'data-i="&quot;' not in item  # initials take only letters and digits

    def test_website_is_quoted_and_only_http(self, client, article):
        CommentFactory(article=article, author_name="Bob", author_url='https://b.example/?a=1&b="')
        CommentFactory(article=article, author_name="Eve", author_url="javascript:__xss()")
        html = client.get(article.get_absolute_url()).content.decode()
        assert "javascript:" not in html
        assert ">Eve</b>" in html

    def test_markup_of_one_comment(self, client, article):
        comment = CommentFactory(article=article, author_name="Ada Reader", author_url="")
        html = client.get(article.get_absolute_url()).content.decode()
        pk = comment.pk
        assert f"<li id=comment-{pk}><b class=c" in html
        assert " data-i=AR>Ada Reader</b> <a href=#comment-" in html
        assert (
            f'<a href="?replytocom={pk}#respond" aria-label="Reply to Ada Reader">Reply</a>' in html
        )
        assert f" <a href=/comments/{pk}/report/>Report</a></li>" in html

    @override_settings(BYLINE_GRAVATAR=True)
    def test_gravatar_picture_instead_of_initials(self, client, article):
        CommentFactory(article=article, author_name="Ada Reader")
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<img class=g src="https://www.gravatar.com/avatar/' in html
        assert "data-i=" not in html and "<b>Ada Reader</b>" in html
