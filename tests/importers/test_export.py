"""`export-wxr` writes a WXR 1.2 file in WordPress's exporter's layout, and importing it
into an empty site gives back the same site."""

import io
from datetime import UTC, datetime

import pytest
from defusedxml.ElementTree import parse

from byline.articles.models import Article
from byline.importers.wordpress.exporter import wordpress_export
from tests.factories import ArticleFactory
from tests.importers.helpers import (
    content_snapshot,
    delete_site,
    run_import,
    write_wxr,
    wxr_comment,
    wxr_post,
)

WP = "{http://wordpress.org/export/1.2/}"


def export_to(path) -> dict:
    with path.open("w", encoding="utf-8") as handle:
        return wordpress_export(out=handle, site_url="https://byline.example")


@pytest.mark.django_db
class TestRoundTrip:
    """Import → export → import into an empty site: nothing lost, nothing changed."""

    def test_theme_unit_test_round_trip_is_lossless(self, theme_unit_test, tmp_path):
        run_import(theme_unit_test)
        before = content_snapshot()
        exported = tmp_path / "export.xml"
        counts = export_to(exported)
        assert counts["articles"] == 58 and counts["pages"] == 21 and counts["comments"] == 33

        delete_site()
        assert content_snapshot()["articles"] == []
        summary = run_import(exported)
        assert summary.counts["articles"]["created"] == 58
        after = content_snapshot()
        for kind in before:
            assert after[kind] == before[kind], kind

    def test_views_threads_and_private_fields_round_trip(self, tmp_path):
        source = write_wxr(
            tmp_path / "site.xml",
            wxr_post(
                10,
                slug="big-story",
                meta={"post_views_count": "1821"},
                comments=wxr_comment(1, email="a@mail.example", ip="203.0.113.9")
                + wxr_comment(2, parent=1, approved="0", email="b@mail.example")
                + wxr_comment(3, approved="spam"),
            ),
            wxr_post(11, slug="about", post_type="page", link="https://news.example/about/"),
            wxr_post(
                12,
                slug="team",
                post_type="page",
                parent=11,
                link="https://news.example/about/team/",
            ),
        )
        run_import(source)
        before = content_snapshot()
        exported = tmp_path / "export.xml"
        export_to(exported)
        delete_site()
        run_import(exported)
        assert content_snapshot() == before
        assert before["articles"][0][-1] == 1821


@pytest.mark.django_db
class TestFormat:
    """The file is what WordPress's own exporter writes: RSS 2.0 with the wp, content,
    excerpt and dc namespaces of WXR 1.2, authors and terms before the items."""

    def test_layout(self, theme_unit_test, tmp_path):
        run_import(theme_unit_test)
        exported = tmp_path / "export.xml"
        export_to(exported)
        root = parse(exported).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        assert channel.findtext(f"{WP}wxr_version") == "1.2"
        assert channel.findtext(f"{WP}base_blog_url") == "https://byline.example"
        names = [child.tag for child in channel]
        assert names.index(f"{WP}author") < names.index(f"{WP}category") < names.index("item")
        item = next(
            element
            for element in channel.findall("item")
            if element.findtext(f"{WP}post_type") == "post"
        )
        for field in (
            "title", "link", "pubDate", "{http://purl.org/dc/elements/1.1/}creator", "guid",
            "{http://purl.org/rss/1.0/modules/content/}encoded",
            "{http://wordpress.org/export/1.2/excerpt/}encoded", f"{WP}post_id",
            f"{WP}post_date", f"{WP}post_date_gmt", f"{WP}comment_status", f"{WP}post_name",
            f"{WP}status", f"{WP}post_parent", f"{WP}menu_order", f"{WP}post_type",
        ):  # fmt: skip
            assert item.find(field) is not None, field
        assert all(
            item.get("domain") in ("category", "post_tag") and item.get("nicename")
            for item in channel.iter("category")
        )

    def test_markdown_articles_round_trip_with_their_source(self, tmp_path):
        article = ArticleFactory(
            body="Close a CDATA section with `]]>`.\n\n**Bold** claim.",
            published_at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),  # WXR dates: to the second
        )
        out = io.StringIO()
        wordpress_export(out=out, site_url="https://byline.example")
        assert "]]]]><![CDATA[>" in out.getvalue()
        assert "<strong>Bold</strong>" in out.getvalue()  # content:encoded, for WordPress
        exported = tmp_path / "export.xml"
        exported.write_text(out.getvalue(), encoding="utf-8")
        before = content_snapshot()
        delete_site()
        run_import(exported)
        assert content_snapshot() == before
        assert Article.objects.get(slug=article.slug).body == article.body
