"""Bad HTTP input never makes a 500: oversized bodies, invalid UTF-8, malformed cookies
and headers, path traversal, and random Unicode in every form field each get a 4xx
with a clear message (or are accepted), and what is stored is rendered escaped."""

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from byline.comments.models import Comment, ModerationSettings
from tests.comments.helpers import post_comment
from tests.conftest import BROWSER_UA

# Text a hostile or unlucky reader can type: any code point a form can carry (no lone
# surrogates, which UTF-8 cannot encode), with the troublesome ones made likely:
# control characters, right-to-left overrides, zero-width characters, markup.
TROUBLE = [
    "\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\u0085", "\u202e", "\u202d", "\u2066",
    "\u200b", "\u200d", "\ufeff", "\ufffd", "<", ">", "&", '"', "'", "`", "\\", "\r", "\n",
    "\U0001f4a9", "\u0301", "²", "٣",
]  # fmt: skip
any_text = st.text(
    alphabet=st.one_of(st.sampled_from(TROUBLE), st.characters(codec="utf-8")),
    max_size=300,
)
huge_text = st.sampled_from([*TROUBLE, "a", "é", "\U0001f4a9"]).map(lambda c: c * 100_000)
field_text = st.one_of(any_text, any_text, any_text, huge_text)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_clear_4xx(response, *words: str) -> None:
    assert 400 <= response.status_code < 500, response.status_code
    text = response.content.decode(errors="replace")
    for word in words:
        assert word in text, (word, text[:600])


@pytest.fixture
def open_rules(db):
    """No flood interval or per-address limit: every example is a new comment, not a
    'too quickly'."""
    rules = ModerationSettings.current()
    rules.flood_interval = 0
    rules.rate_limit = 0
    rules.save()
    return rules


@pytest.mark.django_db
class TestOversizedBodies:
    """413 with a message, before the body is read."""

    def test_declared_length_over_the_limit(self, client, article, settings):
        response = client.post(
            "/comments/post/",
            b"comment=short",
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(settings.BYLINE_MAX_REQUEST_BYTES + 1),
        )
        assert_clear_4xx(response, "Too large to send", "nothing was saved")
        assert response.status_code == 413
        assert Comment.objects.count() == 0

    def test_form_data_over_the_form_limit(self, client, article):
        body = b"comment=" + b"a" * 3_000_000
        response = client.post(
            "/comments/post/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 413
        assert_clear_4xx(response, "at most 2.5", "your text is still in the form")

    def test_too_many_fields(self, client, article):
        body = "&".join(f"f{n}=1" for n in range(5000))
        response = client.post(
            "/comments/post/", body, content_type="application/x-www-form-urlencoded"
        )
        assert_clear_4xx(response, "too many fields")


@pytest.mark.django_db
class TestMalformedRequests:
    """Broken encodings, cookies, headers and bodies: 4xx or an ordinary page."""

    def test_invalid_utf8_in_the_form_body(self, client, article, open_rules):
        body = (
            b"comment=\xff\xfe%FF&author=\xc3&email=a%40mail.example&article="
            + str(article.pk).encode()
        )
        response = client.post(
            "/comments/post/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (303, 400)
        for comment in Comment.objects.all():
            assert "\ufffd" in comment.body  # undecodable bytes became U+FFFD, not a crash

    @pytest.mark.parametrize(
        "query", ["replytocom=%FF%FE", "replytocom=²", "replytocom=9" * 40, "before=%00-1",
                  "after=99999999999999999999999-1", "before=%C0%AF", "replytocom=-1"],
    )  # fmt: skip
    def test_invalid_query_strings(self, client, article, query):
        response = client.get(f"{article.get_absolute_url()}?{query}")
        assert response.status_code in (200, 404)
        response = client.get(f"/?{query}")
        assert response.status_code in (200, 404)

    @pytest.mark.parametrize(
        "path", ["/2014/12/%FF%FE/", "/%C0%AE%C0%AE/", "/author/%00/", "/tag/%E2%80%AE/",
                 "/99999999999999999999/", "/2014/13/x/", "/comments/post/%FF"],
    )  # fmt: skip
    def test_invalid_paths(self, client, article, path):
        response = client.get(path)
        assert response.status_code in (404, 405)
        if response.status_code == 404:
            assert "Page not found" in response.content.decode()

    def test_malformed_cookies(self, client, article):
        raw = (
            'byline_held=%FF"\x01; comment_author="<b>\\"; ;;=; a=b=c; '
            "comment_author_email=\xff\xfe; csrftoken=" + "x" * 5000
        )
        response = client.get(article.get_absolute_url(), HTTP_COOKIE=raw)
        assert response.status_code == 200
        assert "<b>" not in response.content.decode().split("id=author ")[1][:200]

    def test_malformed_headers(self, client, article):
        bad = {
            "HTTP_HOST": "evil..example:99999",
        }
        response = client.get(article.get_absolute_url(), **bad)
        assert_clear_4xx(response, "does not serve the host name")
        odd = {
            "HTTP_USER_AGENT": "\x00" * 10_000,
            "HTTP_ACCEPT_LANGUAGE": "';--" * 500,
            "HTTP_REFERER": "javascript:alert(1)",
            "HTTP_X_FORWARDED_FOR": "not-an-ip, \u202e",
            "HTTP_SEC_PURPOSE": "\ufffd" * 100,
        }
        assert client.get(article.get_absolute_url(), **odd).status_code == 200

    @pytest.mark.parametrize(
        ("content_type", "body"),
        [("multipart/form-data", b"no boundary"),
         ("multipart/form-data; boundary=zz", b"--zz\r\nbroken"),
         ("multipart/form-data; boundary=" + "z" * 300, b"--"),
         ("application/x-www-form-urlencoded; charset=klingon", b"comment=a")],
    )  # fmt: skip
    def test_malformed_bodies(self, client, article, content_type, body):
        response = client.generic("POST", "/comments/post/", body, content_type=content_type)
        assert_clear_4xx(response)
        assert Comment.objects.count() == 0
        if "klingon" in content_type:
            assert "character set" in response.content.decode()


@pytest.mark.django_db
class TestPathTraversal:
    """Static and media URLs never reach outside their folders."""

    @pytest.mark.parametrize(
        "path",
        ["/media/../secret_key", "/media/%2e%2e/secret_key", "/media/..%2fsecret_key",
         "/media/%2e%2e%2f%2e%2e%2fetc/passwd", "/media//etc/passwd", "/media/\\..\\secret_key",
         "/media/%00", "/media/avatars/%00.png", "/static/../secret_key",
         "/static/%2e%2e/%2e%2e/etc/passwd", "/static/byline/..%2f..%2fsettings.py",
         "/media/%c0%ae%c0%ae/secret_key"],
    )  # fmt: skip
    def test_refused_without_the_file(self, client, path, settings):
        secret = (settings.DATA_DIR / "secret_key").read_text()
        response = client.get(path)
        assert 400 <= response.status_code < 500
        body = b"".join(response) if response.streaming else response.content
        assert secret.encode() not in body
        assert b"root:" not in body


@pytest.mark.django_db
class TestRandomTextInEveryField:
    """Random Unicode (controls, RTL overrides, zero-width, 100 KB strings) in every
    field of the comment form and the login form: a 4xx with field messages, or
    accepted and rendered escaped."""

    @FUZZ
    @given(comment=field_text, author=field_text, email=field_text, url=field_text,
           parent=field_text, remember=any_text, homepage=any_text)  # fmt: skip
    def test_comment_form(self, article, open_rules, comment, author, email, url, parent,
                          remember, homepage):  # fmt: skip
        reader = Client(HTTP_USER_AGENT=BROWSER_UA)
        response = post_comment(
            reader, article, comment=comment, author=author, email=email, url=url,
            parent=parent, remember=remember, homepage=homepage,
        )  # fmt: skip
        assert response.status_code in (303, 400), response.status_code
        if response.status_code == 400:
            assert "Your comment was not posted" in response.content.decode()
            return
        stored = Comment.objects.latest("pk")
        page = reader.get(response.url).content.decode()
        assert escape(stored.author_name) in page
        assert "<script" not in stored.body_html.lower()

    @FUZZ
    @given(username=field_text, password=field_text, code=any_text)
    def test_login_form(self, db, username, password, code):
        response = Client().post(
            "/admin/login/", {"username": username, "password": password, "otp_token": code}
        )
        assert response.status_code in (200, 429), response.status_code
        assert "errornote" in response.content.decode() or response.status_code == 429

    @FUZZ
    @given(before=any_text, after=any_text, reply=any_text, path=any_text)
    def test_query_strings_and_paths(self, article, before, after, reply, path):
        reader = Client()
        for url, data in [
            ("/", {"before": before}),
            ("/", {"after": after}),
            (article.get_absolute_url(), {"replytocom": reply}),
            ("/" + path, {}),
            ("/author/" + path + "/", {}),
            ("/media/" + path, {}),
        ]:
            response = reader.get(url, data)
            assert response.status_code < 500, (url, data, response.status_code)
