"""`byline demo` on a fresh data folder, and run again; `byline serve` on an unmigrated
database; `byline manage`."""

import os

import pytest

from tests.live import ARTICLE_PATH, byline

READER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.mark.live
class TestDemo:
    """The demo publishes the reference article once, and a rerun keeps the data."""

    def test_fresh_demo(self, start_site):
        site = start_site(command="demo")
        assert site.views_shown() == 1820  # read by a bot: the first reader's view is 1821
        site.get(ARTICLE_PATH, user_agent=READER_UA)
        assert site.views_shown() == 1821
        assert len(site.editor_password or "") >= 12
        status, home = site.get("/")
        assert status == 200
        assert "Facebook mulled investing in Xiaomi" in home
        _, author_page = site.get("/author/tech-guru/")
        assert "Passionate about the latest Technology. I enjoy traveling and Photography." in (
            author_page
        )
        status, css = site.get("/static/byline/site.css")
        assert status == 200 and ".comment-list" in css

    def test_rerun_keeps_data_and_does_not_duplicate(self, start_site):
        site = start_site(command="demo")
        site.get(ARTICLE_PATH, user_agent=READER_UA)
        assert site.views_shown() == 1821
        site.stop_server()
        site.launch("demo", workers=2)
        assert site.views_shown() == 1821
        count = site.shell(
            "from byline.articles.models import Article; print(Article.objects.count())"
        )
        assert count.strip() == "1"
        assert site.editor_password is None
        assert any("byline manage changepassword editor" in line for line in site.output)


class TestServe:
    """`byline serve` refuses to run on a database that needs migrating, or with a
    setting its system checks find wrong."""

    def test_unmigrated_database_is_refused_with_a_message(self, tmp_path):
        env = {**os.environ, "BYLINE_DATA_DIR": str(tmp_path)}
        if env.get("DATABASE_URL", "").startswith("postgres"):
            env.pop("DATABASE_URL")  # a new SQLite file is the unmigrated database here
        result = byline(env, "serve", "--port", "1", check=False)
        assert result.returncode != 0
        assert "Run `byline manage migrate` first" in result.stderr

    def test_a_wrong_setting_is_refused_by_the_system_checks(self, tmp_path):
        env = {**os.environ, "BYLINE_DATA_DIR": str(tmp_path), "BYLINE_VIEW_COUNTING": "cdn"}
        result = byline(env, "serve", "--port", "1", check=False)
        assert result.returncode != 0
        assert "(pageviews.E001) BYLINE_VIEW_COUNTING is 'cdn'." in result.stderr
        assert "not serving until the errors above are fixed" in result.stderr

    def test_manage_runs_django_commands(self, tmp_path):
        env = {**os.environ, "BYLINE_DATA_DIR": str(tmp_path)}
        result = byline(env, "manage", "check", check=False)
        assert result.returncode == 0, result.stderr
        assert "System check identified no issues" in result.stdout
