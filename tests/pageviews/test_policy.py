"""What is not a reader's view is not counted: HEAD, prefetch and prerender, bots (AI
fetchers too), excluded addresses, logged-in editors when the setting says so, and repeat
views within the interval when one is set. The admin states the rules in force."""

from pathlib import Path

import pytest
from crawlerdetect import CrawlerDetect
from django.core import checks
from django.test import Client, override_settings

from byline.pageviews import policy
from byline.pageviews.models import RecentView, VisitorSalt
from byline.pageviews.services import article_views, visitor_hash
from tests.conftest import BROWSER_UA
from tests.factories import UserFactory
from tests.pageviews.conftest import flush_pending

AI_FETCHERS = [
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; "
    "+https://openai.com/bot",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
    "+claudebot@anthropic.com)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
    "+https://perplexity.ai/perplexitybot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
]
# Real User-Agents of fetchers crawlerdetect 0.4 misses: our supplement catches them.
MISSED_BY_CRAWLERDETECT = [
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; "
    "+https://perplexity.ai/perplexity-user)",
    "Mozilla/5.0 (compatible; anthropic-ai/1.0)",
    "Mozilla/5.0 (compatible; cohere-ai/1.0)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; meta-externalagent/1.1)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; MistralAI-User/1.0)",
    "Mozilla/5.0 (compatible; img2dataset/1.45)",
]
BROWSERS = [
    BROWSER_UA,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1",
]


def views_of(article) -> int:
    flush_pending()
    return article_views(article_id=article.pk)


class TestBotList:
    """Bots by crawlerdetect's maintained list; the AI fetchers it misses by our short
    supplement, which holds only what crawlerdetect does not already recognise."""

    @pytest.mark.parametrize("user_agent", AI_FETCHERS)
    def test_crawlerdetect_knows_the_big_ai_fetchers(self, user_agent):
        assert CrawlerDetect(user_agent=user_agent).isCrawler()
        assert policy.is_bot(user_agent)

    @pytest.mark.parametrize("user_agent", MISSED_BY_CRAWLERDETECT)
    def test_the_supplement_catches_what_it_misses(self, user_agent):
        assert not CrawlerDetect(user_agent=user_agent).isCrawler()
        assert policy.is_bot(user_agent)

    @pytest.mark.parametrize("token", policy.AI_FETCHERS)
    def test_every_supplement_entry_is_needed(self, token):
        user_agent = f"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; {token})"
        assert not CrawlerDetect(user_agent=user_agent).isCrawler(), f"{token}: drop it"
        assert policy.is_bot(user_agent)

    @pytest.mark.parametrize("user_agent", [*BROWSERS, ""])
    def test_browsers_are_not_bots(self, user_agent):
        assert not policy.is_bot(user_agent)

    def test_a_token_inside_a_word_is_not_a_bot(self):
        assert not policy.is_bot(f"{BROWSER_UA} notanthropic-ai-fan")

    def test_headless_chrome_is_a_bot(self):
        assert policy.is_bot(BROWSER_UA.replace("Chrome/", "HeadlessChrome/"))


@pytest.mark.django_db
class TestNotCounted:
    """Requests that are not views leave the count alone; the page still shows it."""

    def test_head_is_not_counted(self, client, article):
        assert client.head(article.get_absolute_url()).status_code == 200
        assert views_of(article) == 0

    @pytest.mark.parametrize(
        "user_agent",
        [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "curl/8.5.0",
            "python-requests/2.32.3",
            *AI_FETCHERS,
            *MISSED_BY_CRAWLERDETECT,
        ],
    )
    def test_bots_are_not_counted(self, article, user_agent):
        response = Client(HTTP_USER_AGENT=user_agent).get(article.get_absolute_url())
        assert response.status_code == 200
        assert views_of(article) == 0

    @pytest.mark.parametrize(
        "header",
        [
            {"HTTP_SEC_PURPOSE": "prefetch"},
            {"HTTP_PURPOSE": "prefetch"},
            {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
            {"HTTP_X_MOZ": "prefetch"},
        ],
    )
    def test_prefetch_is_not_counted(self, client, article, header):
        assert client.get(article.get_absolute_url(), **header).status_code == 200
        assert views_of(article) == 0

    def test_failed_comment_post_is_not_a_view(self, client, article):
        client.post("/comments/post/", {"article": article.pk, "comment": ""})
        assert views_of(article) == 0

    @override_settings(BYLINE_VIEWS_EXCLUDED_IPS=["203.0.113.0/24", "2001:db8::/32", "10.1.2.3"])
    @pytest.mark.parametrize(
        ("address", "counted"),
        [
            ("203.0.113.77", 0),
            ("10.1.2.3", 0),
            ("2001:db8::5", 0),
            ("::ffff:203.0.113.9", 0),
            ("203.0.114.1", 1),
            ("10.1.2.4", 1),
        ],
    )
    def test_excluded_addresses(self, client, article, address, counted):
        client.get(article.get_absolute_url(), REMOTE_ADDR=address)
        assert views_of(article) == counted

    def test_editors_count_by_default(self, client, article):
        client.force_login(UserFactory(is_staff=True))
        client.get(article.get_absolute_url())
        assert views_of(article) == 1

    @override_settings(BYLINE_VIEWS_EXCLUDE_EDITORS=True)
    def test_editors_are_not_counted_when_set(self, client, article):
        client.force_login(UserFactory(is_staff=True))
        response = client.get(article.get_absolute_url())
        assert "0 views" in response.content.decode()
        client.logout()
        client.force_login(UserFactory(is_staff=False))  # a reader with an account counts
        client.get(article.get_absolute_url())
        assert views_of(article) == 1


@pytest.mark.django_db
class TestInterval:
    """With BYLINE_VIEWS_INTERVAL, one view per visitor and article per interval; the
    visitor is a salted hash (no cookie, no stored address), so a private window, which
    has no cookies, does not reset it."""

    @pytest.mark.parametrize("backend", ["configured", "database"])
    def test_one_view_per_visitor_per_interval(self, article, backend):
        redis_url = {} if backend == "configured" else {"REDIS_URL": ""}
        with override_settings(BYLINE_VIEWS_INTERVAL=3600, **redis_url):
            self.one_view_per_visitor(article)

    def one_view_per_visitor(self, article):
        first, private_window = (
            Client(HTTP_USER_AGENT=BROWSER_UA),
            Client(HTTP_USER_AGENT=BROWSER_UA),
        )
        assert "1 view<" in first.get(article.get_absolute_url()).content.decode()
        assert "1 view<" in first.get(article.get_absolute_url()).content.decode()
        private_window.get(article.get_absolute_url())
        assert set(first.cookies) == {"csrftoken"}  # the comment form's; none for counting
        assert views_of(article) == 1
        # Another address, or another browser at the same address, is another visitor.
        first.get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.4")
        Client(HTTP_USER_AGENT=BROWSERS[2]).get(article.get_absolute_url())
        assert views_of(article) == 3

    @override_settings(BYLINE_VIEWS_INTERVAL=3600, REDIS_URL="")
    def test_no_address_is_stored(self, client, article):
        client.get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.23")
        (mark,) = RecentView.objects.all()
        assert "198.51.100.23" not in mark.visitor and len(mark.visitor) == 32

    @override_settings(BYLINE_VIEWS_INTERVAL=3600, REDIS_URL="")
    def test_the_salt_changes_every_day(self):
        from datetime import date

        one = visitor_hash(ip="198.51.100.23", user_agent=BROWSER_UA, day=date(2026, 1, 1))
        again = visitor_hash(ip="198.51.100.23", user_agent=BROWSER_UA, day=date(2026, 1, 1))
        other = visitor_hash(ip="198.51.100.23", user_agent=BROWSER_UA, day=date(2026, 1, 2))
        assert one == again != other
        # The new day's salt replaced the old one, which is gone for good.
        assert list(VisitorSalt.objects.values_list("day", flat=True)) == [date(2026, 1, 2)]

    def test_zero_counts_every_view(self, client, article):
        for _ in range(3):
            client.get(article.get_absolute_url())
        assert views_of(article) == 3


class TestDefinition:
    """The definition of a view in force, in words, follows the settings."""

    def test_default(self):
        text = " ".join(policy.definition())
        assert "every GET of an article page" in text
        assert "HEAD requests" in text and "prefetches" in text and "bots" in text
        assert "Every view counts" in text
        assert "Perplexity-User" in text

    @override_settings(
        BYLINE_VIEW_COUNTING="beacon",
        BYLINE_VIEWS_EXCLUDE_EDITORS=True,
        BYLINE_VIEWS_EXCLUDED_IPS=["203.0.113.0/24"],
        BYLINE_VIEWS_INTERVAL=1800,
    )
    def test_every_rule(self):
        text = " ".join(policy.definition())
        assert "beacon" in text
        assert "Not counted: logged-in editors" in text
        assert "203.0.113.0/24" in text
        assert "per 1800 seconds" in text


class TestSettingsChecks:
    """A wrong setting is named by the system checks that `byline serve` runs."""

    @override_settings(
        BYLINE_VIEW_COUNTING="cdn",
        BYLINE_VIEWS_EXCLUDED_IPS=["203.0.113.0/24", "not-an-ip"],
        BYLINE_VIEWS_INTERVAL=-5,
    )
    def test_wrong_values_are_reported(self):
        from byline.pageviews.checks import counting_settings

        ids = sorted(message.id for message in counting_settings(None))
        assert ids == ["pageviews.E001", "pageviews.E002", "pageviews.E003"]
        assert all(message.level == checks.ERROR for message in counting_settings(None))

    def test_defaults_pass(self):
        from byline.pageviews.checks import counting_settings

        assert counting_settings(None) == []


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
fileserver:/export/sites /srv/sites nfs4 rw,relatime,vers=4.2 0 0
//nas/share /srv/sites/local\\040copy cifs rw 0 0
"""


class TestSharedTableOnLocalDisk:
    """The views table the server processes map together must be on the machine's disk."""

    def test_the_file_system_is_the_longest_mount_point_holding_the_path(self):
        from byline.pageviews.checks import file_system_type

        assert file_system_type(Path("/srv/sites/news/var"), MOUNTS) == "nfs4"
        assert file_system_type(Path("/srv/sites/local copy/var"), MOUNTS) == "cifs"
        assert file_system_type(Path("/srv/sitesX/var"), MOUNTS) == "ext4"  # not a prefix
        assert file_system_type(Path("/tmp/site"), MOUNTS) == "tmpfs"

    def test_a_data_folder_on_this_machines_disk_passes(self, tmp_path):
        from byline.pageviews.checks import shared_table_on_local_disk

        with override_settings(DATA_DIR=tmp_path):
            assert shared_table_on_local_disk(None) == []

    def test_a_data_folder_on_a_network_share_is_named(self, tmp_path):
        from byline.pageviews.checks import network_folder_warnings

        mounts = Path("/proc/self/mounts").read_text()
        shared = mounts + f"server:/export {tmp_path} nfs4 rw 0 0\n"
        with override_settings(DATA_DIR=tmp_path):
            assert network_folder_warnings(mounts) == []
            (warning,) = network_folder_warnings(shared)
        assert warning.id == "pageviews.W001" and warning.level == checks.WARNING
        assert str(tmp_path) in warning.msg and "nfs4" in warning.msg
