"""The per-IP rate limit on comment posting: a 429 with a readable page, the reader's
text kept, and nothing saved; counted in the cache, so shared by every server through
Redis."""

import http.client
import os
import re
from urllib.parse import urlencode

import pytest

from byline.comments.models import Comment
from byline.comments.ratelimit import client_key
from tests.comments.helpers import post_comment, set_rules
from tests.live import ARTICLE_PATH

TEXT = "A long, careful answer that took twenty minutes to write."


@pytest.mark.django_db
class TestRateLimit:
    """At most N comments per IP address in the period; then 429."""

    @pytest.fixture(autouse=True)
    def _rules(self):
        set_rules(rate_limit=2, rate_window=600, flood_interval=0)

    def post(self, client, article, number: int, **fields):
        return post_comment(
            client, article, email=f"reader{number}@mail.example", comment=f"{TEXT} {number}",
            **fields,
        )  # fmt: skip

    def test_over_the_limit_gets_429_with_the_text_kept(self, client, article):
        assert self.post(client, article, 1).status_code == 303
        assert self.post(client, article, 2).status_code == 303
        response = self.post(client, article, 3)
        assert response.status_code == 429
        page = response.content.decode()
        assert "Too many comments from your network: at most 2 in 10 minutes" in page
        assert f"{TEXT} 3</textarea>" in page
        assert 'value="reader3@mail.example"' in page
        assert 0 < int(response["Retry-After"]) <= 600
        assert Comment.objects.count() == 2

    def test_other_addresses_are_not_limited(self, client, article):
        self.post(client, article, 1)
        self.post(client, article, 2)
        assert self.post(client, article, 3, ip="198.51.100.4").status_code == 303

    def test_an_ipv6_network_shares_one_limit(self, client, article):
        self.post(client, article, 1, ip="2001:db8:1:2::1")
        self.post(client, article, 2, ip="2001:db8:1:2::ffff")
        assert self.post(client, article, 3, ip="2001:db8:1:2:abcd::9").status_code == 429
        assert self.post(client, article, 4, ip="2001:db8:1:3::1").status_code == 303

    def test_limit_switched_off(self, client, article):
        set_rules(rate_limit=0)
        for number in range(4):
            assert self.post(client, article, number).status_code == 303

    def test_the_count_lives_in_the_cache(self, client, article):
        from django.core.cache import cache

        self.post(client, article, 1)
        cache.clear()  # a new window, as far as the limit knows
        self.post(client, article, 2)
        assert self.post(client, article, 3).status_code == 303


def test_client_keys():
    assert client_key("203.0.113.9") == "203.0.113.9"
    assert client_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert client_key("not an ip") == "unknown"
    assert client_key(None) == "unknown"


def _post_form(port: int, fields: dict, cookie: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urlencode(fields)
    connection.request(
        "POST",
        "/comments/post/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "User-Agent": "Mozilla/5.0 Chrome/156.0",
        },
    )
    response = connection.getresponse()
    return response.status, response.read().decode()


@pytest.mark.live
def test_limit_is_shared_by_all_server_processes_through_redis(start_site):
    """Two server workers behind one port: the limit holds whichever worker answers."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the limit is per process without Redis")
    site = start_site(workers=2)
    site.shell(
        "from byline.comments.models import ModerationSettings as M\n"
        "m = M.current(); m.rate_limit = 3; m.flood_interval = 0; m.save()"
    )
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    connection.request("GET", ARTICLE_PATH, headers={"User-Agent": "Mozilla/5.0 Chrome/156.0"})
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    article = re.search(r'name="article" value="(\d+)"', page)[1]
    statuses = []
    for number in range(5):
        status, body = _post_form(
            site.port,
            {
                "csrfmiddlewaretoken": token,
                "article": article,
                "parent": "",
                "homepage": "",
                "comment": f"Comment number {number}",
                "author": f"Reader {number}",
                "email": f"reader{number}@mail.example",
                "url": "",
            },
            cookie,
        )
        statuses.append(status)
        if status == 429:
            assert f"Comment number {number}</textarea>" in body
    assert statuses == [303, 303, 303, 429, 429]
