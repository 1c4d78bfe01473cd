"""The WordPress Theme Unit Test export (../shared/corpus) imported whole: everything in
the file is in Byline, threads included; a second import changes nothing; broken and
hostile files change nothing."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from defusedxml.ElementTree import parse

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.models import Comment
from byline.importers.models import WordPressItem
from byline.importers.wordpress.parser import WXRError
from byline.pages.models import Page, PageComment
from tests.importers.helpers import database_rows, run_import

WP = "{https://wordpress.org/export/1.2/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def file_facts(path) -> dict:
    """What the export holds, counted straight from its XML (not through Byline's
    parser): item types, comments and their parents, terms, authors."""
    channel = parse(path).getroot().find("channel")
    items = channel.findall("item")
    content = [item for item in items if item.findtext(f"{WP}post_type") in ("post", "page")]
    categories = {c.findtext(f"{WP}category_nicename") for c in channel.findall(f"{WP}category")}
    tags = {t.findtext(f"{WP}tag_slug") for t in channel.findall(f"{WP}tag")}
    for term in channel.findall(f"{WP}term"):
        taxonomy = term.findtext(f"{WP}term_taxonomy")
        {"category": categories, "post_tag": tags}.get(taxonomy, set()).add(
            term.findtext(f"{WP}term_slug")
        )
    parents, comment_types = {}, Counter()
    for item in content:
        if item.findtext(f"{WP}post_type") == "post":
            for term in item.findall("category"):
                {"category": categories, "post_tag": tags}.get(term.get("domain"), set()).add(
                    term.get("nicename")
                )
        for comment in item.findall(f"{WP}comment"):
            parents[comment.findtext(f"{WP}comment_id")] = comment.findtext(f"{WP}comment_parent")
            comment_types[item.findtext(f"{WP}post_type")] += 1
    return {
        "types": Counter(item.findtext(f"{WP}post_type") for item in items),
        "parents": parents,
        "comments by type": comment_types,
        "categories": categories,
        "tags": tags,
        "authors": {a.findtext(f"{WP}author_login") for a in channel.findall(f"{WP}author")},
    }


def comment_depth(parents: dict[str, str], comment_id: str) -> int:
    depth = 1
    while parents[comment_id] != "0":
        comment_id, depth = parents[comment_id], depth + 1
    return depth


@pytest.mark.django_db
class TestEverythingArrives:
    """The numbers of posts, pages, comments, categories, tags and authors in Byline are
    those in the file, and every comment has the parent it had."""

    def test_counts_equal_the_file(self, theme_unit_test):
        facts = file_facts(theme_unit_test)
        summary = run_import(theme_unit_test)

        assert Article.objects.count() == facts["types"]["post"] == 58
        assert Page.objects.count() == facts["types"]["page"] == 21
        assert Comment.objects.count() == facts["comments by type"]["post"]
        assert PageComment.objects.count() == facts["comments by type"]["page"]
        assert Comment.objects.count() + PageComment.objects.count() == len(facts["parents"])
        assert len(facts["parents"]) == 33
        assert set(Category.objects.values_list("slug", flat=True)) == facts["categories"]
        assert set(Tag.objects.values_list("slug", flat=True)) == facts["tags"]
        assert Author.objects.count() == len(facts["authors"]) == 2
        assert summary.counts["articles"]["created"] == 58
        assert summary.notes["items of type 'nav_menu_item' skipped (not content)"] == 70

    def test_thread_structure_is_kept(self, theme_unit_test):
        facts = file_facts(theme_unit_test)
        run_import(theme_unit_test)
        wp_id_of = {
            (ref.kind, ref.object_id): ref.wp_id
            for ref in WordPressItem.objects.filter(kind__in=["comment", "page-comment"])
        }
        seen = 0
        for kind, model in (("comment", Comment), ("page-comment", PageComment)):
            for comment in model.objects.all():
                wp_id = wp_id_of[(kind, comment.pk)]
                expected_parent = facts["parents"][wp_id]
                actual_parent = wp_id_of[(kind, comment.parent_id)] if comment.parent_id else "0"
                assert actual_parent == expected_parent, wp_id
                assert comment.depth == comment_depth(facts["parents"], wp_id)
                seen += 1
        assert seen == 33
        assert max(Comment.objects.values_list("depth", flat=True)) == 10
        for comment in Comment.objects.all():  # each reply knows its thread's top comment
            top = comment
            while top.parent_id:
                top = top.parent
            assert comment.root_id == (None if top.pk == comment.pk else top.pk)

    def test_states_dates_and_authors(self, theme_unit_test):
        run_import(theme_unit_test)
        pending = Comment.Status.PENDING
        held = Comment.objects.filter(status=pending).count()
        assert held + PageComment.objects.filter(status=pending).count() == 3
        # GMT-correct: the post's wp:post_date is 2030-01-01 12:00:18 on the old site's
        # clock, its wp:post_date_gmt 2030-01-01 19:00:18.
        scheduled = Article.objects.get(slug="scheduled")
        assert scheduled.status == Article.Status.SCHEDULED
        assert scheduled.published_at == datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC)
        draft = Article.objects.get(title="Draft")
        assert draft.status == Article.Status.DRAFT and not draft.is_public
        protected = Article.objects.get(title__startswith="Template: Password Protected")
        assert protected.status == Article.Status.DRAFT  # Byline has no post passwords
        reviewer = Author.objects.get(user__username="themereviewteam")
        assert reviewer.display_name == "Theme Reviewer"
        assert reviewer.user.email == "themereviewteam@gmail.com"
        assert not reviewer.user.has_usable_password()
        assert set(Article.objects.values_list("author__slug", flat=True)) == {
            "themedemos", "themereviewteam",
        }  # fmt: skip
        child = Category.objects.get(slug="child-category-01")
        assert child.parent.slug == "parent-category"
        grandchild = Category.objects.get(slug="grandchild-category")
        assert grandchild.parent.slug == "child-category-03"

    def test_comment_counts_on_articles_count_approved_comments(self, theme_unit_test):
        run_import(theme_unit_test)
        for article in Article.objects.all():
            approved = article.comments.filter(status=Comment.Status.APPROVED).count()
            assert article.comment_count == approved
        assert Article.objects.get(slug="template-comments").comment_count > 10


@pytest.mark.django_db
class TestReimport:
    """Importing the same file a second time changes nothing."""

    def test_second_import_is_a_no_op(self, theme_unit_test):
        run_import(theme_unit_test)
        before = database_rows()
        summary = run_import(theme_unit_test)
        assert database_rows() == before
        assert summary.total("created") == 0
        assert summary.total("updated") == 0
        assert summary.counts["articles"]["skipped"] == 58
        assert summary.counts["comments"]["skipped"] == 28


@pytest.mark.django_db
class TestRefusedFiles:
    """A truncated file, an XXE file and a "billion laughs" file are refused with a clear
    message, and the database is exactly as it was."""

    def test_truncated_copy_changes_nothing(self, theme_unit_test, tmp_path):
        run_import(theme_unit_test)
        Article.objects.filter(slug="hello-world").update(title="Edited in Byline")
        before = database_rows()
        data = theme_unit_test.read_bytes()
        cut = tmp_path / "cut.xml"
        cut.write_bytes(data[: int(len(data) * 0.8)])
        with pytest.raises(WXRError, match=r"not well-formed XML .* truncated"):
            run_import(cut)
        assert database_rows() == before

    def test_truncated_copy_on_an_empty_site_leaves_it_empty(self, theme_unit_test, tmp_path):
        data = theme_unit_test.read_bytes()
        cut = tmp_path / "cut.xml"
        cut.write_bytes(data[: len(data) - 200])  # every item read, the end missing
        with pytest.raises(WXRError, match="line"):
            run_import(cut)
        assert Article.objects.count() == Comment.objects.count() == Page.objects.count() == 0
        assert WordPressItem.objects.count() == 0

    def test_xxe_is_refused(self, theme_unit_test, tmp_path):
        run_import(theme_unit_test)
        before = database_rows()
        hostile = tmp_path / "xxe.xml"
        hostile.write_text(
            '<?xml version="1.0"?>\n'
            '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
            '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
            "<wp:wxr_version>1.2</wp:wxr_version><item><title>&secret;</title>"
            "<wp:post_id>999</wp:post_id><wp:post_type>post</wp:post_type></item>"
            "</channel></rss>"
        )
        with pytest.raises(WXRError, match=r"document type declaration.*XXE"):
            run_import(hostile)
        assert database_rows() == before
        assert not Article.objects.filter(title__contains="root:").exists()

    def test_billion_laughs_is_refused(self, tmp_path):
        lol = "".join(
            f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
        )
        hostile = tmp_path / "laughs.xml"
        hostile.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>\n'
            '<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
        )
        with pytest.raises(WXRError, match="billion laughs"):
            run_import(hostile)
        assert WordPressItem.objects.count() == 0

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("malformed.xml", "mismatched tag at line 90"),
            ("malformed-simple.xml", "no element found"),
            ("crazy-cdata.xml", "not well-formed"),
            ("invalid-version-tag.xml", "Unsupported WXR version 'abc'"),
            ("missing-version-tag.xml", "no <wp:wxr_version>"),
        ],
    )
    def test_broken_edge_case_files(self, name, message):
        from tests.importers.conftest import corpus_file

        with pytest.raises(WXRError, match=message):
            run_import(corpus_file(f"wxr-importer-edge-cases/{name}"))
        assert WordPressItem.objects.count() == Category.objects.count() == 0

    def test_dry_run_saves_nothing_and_reports_everything(self, theme_unit_test):
        summary = run_import(theme_unit_test, dry_run=True)
        assert summary.counts["articles"]["created"] == 58
        assert summary.counts["comments"]["created"] == 28
        assert Article.objects.count() == WordPressItem.objects.count() == 0
