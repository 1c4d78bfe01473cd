"""View counts from the view plugins' meta keys, counted once; media found in --uploads
copied and re-addressed, nothing fetched; galleries built from the attachments."""

import pytest
from django.core.files.storage import default_storage

from byline.articles.models import Article
from byline.pageviews.services import article_view_record, article_views
from tests.importers.helpers import database_rows, run_import, write_wxr, wxr_post

OLD = "https://news.example/wp-content/uploads"


@pytest.mark.django_db
class TestViewCounts:
    """`post_views_count`, `views` and the other plugins' keys become the article's
    count; a re-import adds nothing, a changed count adds only the difference."""

    def test_views_are_imported_once(self, tmp_path):
        path = write_wxr(
            tmp_path / "site.xml",
            wxr_post(1, slug="one", meta={"post_views_count": "1821"}),
            wxr_post(2, slug="two", meta={"views": "42", "_edit_last": "1"}),
            wxr_post(3, slug="three", meta={"views": "not a number"}),
        )
        summary = run_import(path)
        counts = {a.slug: article_views(article_id=a.pk) for a in Article.objects.all()}
        assert counts == {"one": 1821, "two": 42, "three": 0}
        assert summary.counts["view counts"]["created"] == 2

        before = database_rows()
        run_import(path)
        assert database_rows() == before

    def test_a_changed_count_adds_the_difference(self, tmp_path):
        run_import(write_wxr(tmp_path / "a.xml", wxr_post(1, slug="one", meta={"views": "100"})))
        article = Article.objects.get()
        article_view_record(article_id=article.pk)  # a reader on the new site meanwhile
        summary = run_import(
            write_wxr(tmp_path / "b.xml", wxr_post(1, slug="one", meta={"views": "150"}))
        )
        assert article_views(article_id=article.pk) == 151
        assert summary.counts["view counts"]["updated"] == 1


@pytest.mark.django_db
class TestMedia:
    """With --uploads, files found there are copied under media/uploads and the post
    points at them; the rest keep their old address."""

    def test_found_files_are_copied_and_rewritten(self, tmp_path):
        uploads = tmp_path / "uploads"
        (uploads / "2014" / "12").mkdir(parents=True)
        (uploads / "2014" / "12" / "phone.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
        (tmp_path / "secret.txt").write_text("private")
        content = (
            f'<p><img src="{OLD}/2014/12/phone.jpg?w=300" alt="Phone"></p>'
            f'<p><img src="{OLD}/2014/12/missing.jpg" alt="Gone"></p>'
            f'<p><a href="{OLD}/../../secret.txt">escape</a></p>'
            '<p><img src="https://elsewhere.example/hot.jpg" alt="Hotlinked"></p>'
        )
        path = write_wxr(tmp_path / "site.xml", wxr_post(1, slug="pics", content=content))
        summary = run_import(path, uploads_dir=uploads)
        body = Article.objects.get().body
        assert '<img src="/media/uploads/2014/12/phone.jpg" alt="Phone">' in body
        assert f"{OLD}/2014/12/missing.jpg" in body
        assert "https://elsewhere.example/hot.jpg" in body
        assert "/media/uploads/secret.txt" not in body and "/media/secret.txt" not in body
        assert default_storage.open("uploads/2014/12/phone.jpg").read().startswith(b"\xff\xd8")
        assert summary.counts["media files"]["created"] == 1
        assert summary.notes["media files referenced but not found in --uploads"] == 2

        before = database_rows()
        again = run_import(path, uploads_dir=uploads)
        assert database_rows() == before
        assert again.counts["media files"]["skipped"] == 1

    def test_a_failed_import_removes_the_files_it_copied(self, tmp_path):
        uploads = tmp_path / "uploads"
        (uploads / "2014").mkdir(parents=True)
        (uploads / "2014" / "a.jpg").write_bytes(b"jpeg")
        path = write_wxr(
            tmp_path / "site.xml",
            wxr_post(1, slug="pics", content=f'<img src="{OLD}/2014/a.jpg">'),
        )
        broken = tmp_path / "broken.xml"
        broken.write_bytes(path.read_bytes()[:-40])
        with pytest.raises(Exception, match="not well-formed"):
            run_import(broken, uploads_dir=uploads)
        assert not default_storage.exists("uploads/2014/a.jpg")
        assert Article.objects.count() == 0

    def test_gallery_shows_the_posts_attached_images(self, tmp_path):
        attachment = wxr_post(
            21,
            slug="shot",
            title="Shot one",
            post_type="attachment",
            parent=20,
            extra=f"<wp:attachment_url>{OLD}/2014/shot.jpg</wp:attachment_url>",
        )
        path = write_wxr(
            tmp_path / "site.xml",
            wxr_post(20, slug="album", content='Before.\n\n[gallery columns="2"]\n\nAfter.'),
            attachment,
        )
        run_import(path)
        body = Article.objects.get().body
        assert "[gallery" not in body
        assert f'<img src="{OLD}/2014/shot.jpg" alt="Shot one">' in body
        assert body.startswith("<p>Before.</p>") and body.endswith("<p>After.</p>\n")
        before = database_rows()
        run_import(path)
        assert database_rows() == before
