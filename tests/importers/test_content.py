"""Imported post HTML: sanitised, never a raw block comment or shortcode on the page,
stable under Markdown, and editable."""

import pytest

from byline.articles.rendering import render_markdown
from byline.importers.wordpress.content import wordpress_body
from byline.importers.wordpress.parser import Post, read_wxr
from tests.importers.conftest import corpus_file

CORPUS_SETS = (
    "wxr-theme-unit-test/themeunittestdata.wordpress.xml",
    "wxr-theme-unit-test/64-block-test-data.xml",
    "wxr-a11y-theme-unit-test/a11y-theme-unit-test-data.xml",
    "wxr-pelican-export/wordpressexport.xml",
)


def corpus_posts(relative: str) -> list[Post]:
    with corpus_file(relative).open("rb") as stream:
        return [
            record
            for record in read_wxr(stream)
            if isinstance(record, Post) and record.post_type in ("post", "page")
        ]


class TestBlocksAndShortcodes:
    """Block comments go, their HTML stays; WordPress's own shortcodes are converted."""

    def test_block_comments_are_removed_and_their_content_kept(self):
        body = wordpress_body(
            "<!-- wp:paragraph -->\n<p>Kept.</p>\n<!-- /wp:paragraph -->\n\n"
            '<!-- wp:latest-posts {"postsToShow":3} /-->\n'
            '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>Said.</p></blockquote>\n'
            "<!-- /wp:quote -->"
        )
        assert body == "<p>Kept.</p>\n\n<blockquote><p>Said.</p></blockquote>\n"

    def test_caption_becomes_a_figure(self):
        body = wordpress_body(
            '[caption id="attachment_9" align="alignright" width="300"]'
            '<a href="https://old.example/big.jpg"><img src="https://old.example/a.jpg" '
            'alt="Bridge" width="300" height="200" /></a> The bridge at dusk[/caption]'
        )
        assert "[caption" not in body
        assert body.startswith('<figure><a href="https://old.example/big.jpg"')
        assert '<img src="https://old.example/a.jpg" alt="Bridge"' in body
        assert "<figcaption>The bridge at dusk</figcaption></figure>" in body

    def test_embeds_code_and_unknown_brackets(self):
        body = wordpress_body(
            "[embed]https://www.youtube.com/watch?v=1[/embed]\n\n"
            '[sourcecode language="python"]print("<hi>")[/sourcecode]\n\n'
            '[audio mp3="https://old.example/a.mp3"][/audio]\n\n'
            "[contact-form]\n\n"
            "Footnote [1] and [simple boat] stay text."
        )
        assert '<a href="https://www.youtube.com/watch?v=1"' in body
        assert '<pre><code class="language-python">print("&lt;hi&gt;")</code></pre>' in body
        assert '<a href="https://old.example/a.mp3"' in body
        assert "contact-form" not in body
        assert "<p>Footnote [1] and [simple boat] stay text.</p>" in body

    def test_classic_editor_text_gets_paragraphs_and_line_breaks(self):
        body = wordpress_body("First line\nsecond line\n\nNew paragraph with *stars*.")
        assert body == (
            "<p>First line<br>\nsecond line</p>\n\n<p>New paragraph with *stars*.</p>\n"
        )
        html = render_markdown(body)
        assert "<em>" not in html  # the HTML is passed through, not read as Markdown
        assert "*stars*" in html

    def test_indented_and_blank_lines_inside_html_stay_html(self):
        body = wordpress_body(
            "<blockquote>\n\n    Indented quote line.\n\n    Second.\n</blockquote>\n\n"
            "<pre>line one\n\n    indented code\n</pre>"
        )
        html = render_markdown(body)
        assert "<code>" not in html  # an indented line is not a Markdown code block
        assert "<p>Indented quote line.</p>" in html
        assert "<pre>line one\n\n    indented code\n</pre>" in html

    def test_scripts_and_handlers_are_removed(self):
        body = wordpress_body(
            '<p onclick="steal()">Hi<script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">x</a><iframe src="https://evil.example"></iframe>'
        )
        for forbidden in ("onclick", "<script", "alert(1)", "javascript:", "<iframe"):
            assert forbidden not in body


class TestCorpus:
    """Over every post and page of the real exports: nothing raw reaches the page, and a
    second conversion changes nothing (re-imports and round trips are stable)."""

    @pytest.mark.parametrize("relative", CORPUS_SETS)
    def test_no_raw_markup_and_a_fixed_point(self, relative):
        posts = corpus_posts(relative)
        assert posts
        for post in posts:
            body = wordpress_body(post.content)
            html = render_markdown(body)
            assert "<!-- wp:" not in html, post.post_id
            assert "<!--" not in html, post.post_id
            assert "[caption" not in html and "[/caption]" not in html, post.post_id
            assert "[embed]" not in html and "[video" not in html, post.post_id
            assert wordpress_body(body) == body, post.post_id
