"""`byline import-wxr` and `byline export-wxr` as a person runs them: a summary table,
clear errors with a non-zero exit, and a real server answering old links afterwards."""

import os
import uuid

import pytest

from tests.importers.helpers import write_wxr, wxr_comment, wxr_post
from tests.live import byline, create_database, drop_database


@pytest.fixture
def new_site(tmp_path_factory):
    """A migrated, empty site of its own (data folder, and database on PostgreSQL)."""
    made = []

    def make() -> dict:
        env = {**os.environ, "BYLINE_DATA_DIR": str(tmp_path_factory.mktemp("site"))}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if env.get("DATABASE_URL", "").startswith("postgres"):
            env["DATABASE_URL"] = create_database(env["DATABASE_URL"])
            made.append(env["DATABASE_URL"])
        if env.get("REDIS_URL"):
            env["BYLINE_CACHE_PREFIX"] = f"cli-{uuid.uuid4().hex[:8]}"
        byline(env, "manage", "migrate", "--no-input", "-v0")
        return env

    yield make
    for database_url in made:
        drop_database(database_url)


def count(env: dict, model: str) -> int:
    app = {"Article": "articles", "Page": "pages", "Comment": "comments"}[model]
    code = f"from byline.{app}.models import {model}; print({model}.objects.count())"
    return int(byline(env, "manage", "shell", "--no-imports", "-c", code).stdout)


def table_row(output: str, kind: str) -> list[str]:
    line = next(line for line in output.splitlines() if f" {kind} " in line)
    return [cell.strip() for cell in line.strip("│┃ ").split("│")]


class TestImportCommand:
    """The summary says created / updated / skipped per kind; errors exit non-zero."""

    def test_import_then_reimport(self, new_site, theme_unit_test):
        env = new_site()
        first = byline(env, "import-wxr", str(theme_unit_test))
        assert "Imported wpthemetestdata.wordpress.com" in first.stdout
        assert table_row(first.stdout, "articles") == ["articles", "58", "0", "0"]
        assert table_row(first.stdout, "pages") == ["pages", "21", "0", "0"]
        assert "70 items of type 'nav_menu_item' skipped" in first.stdout
        second = byline(env, "import-wxr", str(theme_unit_test))
        assert table_row(second.stdout, "articles") == ["articles", "0", "0", "58"]
        assert table_row(second.stdout, "comments") == ["comments", "0", "0", "28"]
        assert count(env, "Article") == 58

    def test_dry_run(self, new_site, theme_unit_test):
        env = new_site()
        result = byline(env, "import-wxr", "--dry-run", str(theme_unit_test))
        assert "Dry run: nothing was saved" in result.stdout
        assert table_row(result.stdout, "articles") == ["articles", "58", "0", "0"]
        assert count(env, "Article") == 0

    def test_bad_input_is_refused_with_a_message(self, new_site, theme_unit_test, tmp_path):
        env = new_site()
        cut = tmp_path / "cut.xml"
        cut.write_bytes(theme_unit_test.read_bytes()[:400_000])
        result = byline(env, "import-wxr", str(cut), check=False)
        assert result.returncode == 1
        assert "not well-formed XML" in result.stderr and "Nothing was imported" in result.stderr
        assert count(env, "Article") == 0
        missing = byline(env, "import-wxr", str(tmp_path / "nope.xml"), check=False)
        assert missing.returncode == 1 and "No such file" in missing.stderr
        folder = byline(env, "import-wxr", str(cut), "--uploads", "/nonexistent", check=False)
        assert folder.returncode == 1 and "--uploads: no such folder" in folder.stderr


class TestExportCommand:
    """export-wxr writes a file that a new site imports to the same content."""

    def test_export_into_a_new_site(self, new_site, theme_unit_test, tmp_path):
        old, new = new_site(), new_site()
        byline(old, "import-wxr", str(theme_unit_test))
        exported = tmp_path / "site.xml"
        result = byline(old, "export-wxr", "-o", str(exported), "--site-url", "https://x.example")
        assert "Exported 2 authors, 68 categories, 114 tags, 58 articles, 21 pages" in (
            result.stderr
        )
        imported = byline(new, "import-wxr", str(exported))
        assert table_row(imported.stdout, "articles") == ["articles", "58", "0", "0"]
        assert [count(new, model) for model in ("Article", "Page", "Comment")] == [58, 21, 28]
        to_stdout = byline(old, "export-wxr")
        assert to_stdout.stdout.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
        assert to_stdout.stdout.rstrip().endswith("</rss>")


@pytest.mark.live
class TestLiveSite:
    """After `byline import-wxr`, a running server sends old links to the new pages."""

    def test_old_links_on_a_running_server(self, start_site, tmp_path):
        site = start_site(command="serve")
        export = write_wxr(
            tmp_path / "site.xml",
            wxr_post(
                77,
                slug="moved-story",
                title="The moved story",
                meta={"views": "41"},
                comments=wxr_comment(5, email="hidden@mail.example", ip="203.0.113.5"),
            ),
            wxr_post(78, slug="contact", title="Contact us", post_type="page",
                     link="https://news.example/contact/"),
        )  # fmt: skip
        site.manage("import_wxr", str(export))
        for old in ("/?p=77", "/2014/12/18/moved-story/", "/2014/12/18/moved-story"):
            status, html = site.get(old)  # urllib follows the 301
            assert status == 200, old
            assert '<h1 class="entry-title">The moved story</h1>' in html
            assert "41 views" in html
            assert "hidden@mail.example" not in html and "203.0.113.5" not in html
        status, html = site.get("/?page_id=78")
        assert status == 200 and "Contact us" in html
