"""Markdown is rendered once, at save, to sanitised HTML."""

import re

import pytest

from byline.articles.rendering import render_markdown, summarize
from tests.factories import ArticleFactory


class TestMarkdown:
    """Paragraphs, quotations and the usual Markdown come out as HTML."""

    def test_paragraphs_and_quotes(self):
        html = render_markdown("One.\n\nTwo.\n\n> Quoted words")
        assert (
            html == "<p>One.</p>\n<p>Two.</p>\n<blockquote>\n<p>Quoted words</p>\n</blockquote>\n"
        )

    def test_tables_and_strikethrough(self):
        html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~")
        assert "<table>" in html and "<td>1</td>" in html and "<s>old</s>" in html

    def test_code_keeps_language_class_only(self):
        assert 'class="language-python"' in render_markdown("```python\nx = 1\n```")
        assert "evil" not in render_markdown('<code class="evil">x</code>')


class TestSanitising:
    """HTML inside Markdown is allowed, but never anything active."""

    @pytest.mark.parametrize(
        "source",
        [
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            "[click](javascript:alert(1))",
            '<a href="javascript:alert(1)">x</a>',
            '<iframe src="https://evil.example"></iframe>',
            '<p style="background:url(javascript:alert(1))">x</p>',
            "<svg onload=alert(1)>",
            '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        ],
    )
    def test_active_content_is_removed(self, source):
        tags = " ".join(re.findall(r"<[^>]*>", render_markdown(source).lower()))
        for marker in ("<script", "onerror", "javascript:", "<iframe", "style=", "onload", "data:"):
            assert marker not in tags

    def test_safe_html_is_kept(self):
        html = render_markdown(
            '<figure><img src="/media/x.png" alt="X"><figcaption>C</figcaption></figure>'
        )
        assert '<img src="/media/x.png" alt="X">' in html and "<figcaption>C</figcaption>" in html


class TestSummary:
    def test_first_paragraph_cut_at_a_word(self):
        html = "<p>" + " ".join(f"w{i}" for i in range(80)) + "</p><p>second</p>"
        summary = summarize(html)
        assert summary.endswith("w54…")
        assert "second" not in summary


@pytest.mark.django_db
class TestStoredRendering:
    """A page view does no Markdown work: the HTML is stored with the article."""

    def test_body_html_is_stored_on_save(self):
        article = ArticleFactory(body="Hello *world*", excerpt="")
        article.refresh_from_db()
        assert article.body_html == "<p>Hello <em>world</em></p>\n"
        assert article.summary == "Hello world"

    def test_editor_excerpt_wins(self):
        article = ArticleFactory(body="Long body", excerpt="  Short   teaser ")
        assert article.summary == "Short teaser"
