"""Comments that stay clean, in a real browser on the running demo site: the learning
filter catches a spammy comment, an editor's one-click "Not spam" publishes it, and the
rate limit answers with a readable page that keeps the reader's text."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_reference_page import reader_page
from tests.live import ARTICLE_PATH

TEACH = """
from byline.comments.spam_filter import features_of, spam_filter_learn
from byline.comments.models import ModerationSettings as M
spam = ["Check out my channel for free bitcoin giveaways http://coins.example",
        "Earn money fast with bitcoin, visit http://rich.example now",
        "Subscribe to my channel please, free gift cards",
        "Cheap pills online, best prices http://pills.example",
        "Make $500 a day from home, click http://work.example"]
ham = ["Xiaomi's phones are getting better every year.",
       "I doubt Facebook would invest, their China plans failed before.",
       "Great article, thanks for the clear explanation.",
       "The Mi 4 was a solid phone for the price.",
       "Interesting, I did not know about these talks."]
spam_filter_learn([(features_of(body=t, name="Reader"), True) for t in spam])
spam_filter_learn([(features_of(body=t, name="Reader"), False) for t in ham])
m = M.current(); m.spam_filter_min_decisions = 10; m.flood_interval = 0; m.save()
"""
SPAMMY = "My channel reviews the Xiaomi Mi 5 and bitcoin wallets, check it out"


def post(page, text: str, name: str, email: str) -> None:
    page.fill("#comment", text)
    page.fill("#author", name)
    page.fill("#email", email)
    page.get_by_role("button", name="Post Comment").click()


@pytest.mark.browser
@pytest.mark.live
class TestModerationInTheBrowser:
    """Reader and editor, end to end."""

    def test_filter_then_not_spam_then_published(self, browser, start_site):
        site = start_site(command="demo")
        site.shell(TEACH)
        article_url = site.url(ARTICLE_PATH)

        reader = reader_page(browser)
        reader.goto(article_url)
        post(reader, SPAMMY, "Mia Reviewer", "mia@mail.example")
        expect(reader.locator("#comments")).to_have_count(0)  # caught: not shown

        editor = browser.new_context().new_page()
        editor.goto(site.url("/admin/comments/comment/?status__exact=spam"))
        editor.fill("#id_username", "editor")
        editor.fill("#id_password", site.editor_password)
        editor.get_by_role("button", name="Log in").click()
        row = editor.locator("#result_list tbody tr", has_text="Mia Reviewer")
        expect(row).to_contain_text("spam filter: spam score 0.9")
        expect(editor.locator("#changelist-filter")).to_contain_text("Spam (1)")
        row.get_by_role("button", name="Not spam").click()
        expect(editor.locator(".messagelist")).to_contain_text("Comment by Mia Reviewer: not spam.")
        expect(editor.locator("#changelist-filter")).to_contain_text("Spam (0)")

        reader.goto(article_url)
        expect(reader.locator("#comments")).to_contain_text(SPAMMY)
        expect(reader.locator(".entry-meta .comments-link")).to_have_text("1 Comment")

    def test_rate_limit_page_keeps_the_text(self, browser, start_site):
        site = start_site(command="demo")
        site.shell(
            "from byline.comments.models import ModerationSettings as M\n"
            "m = M.current(); m.rate_limit = 1; m.flood_interval = 0; m.save()"
        )
        page = reader_page(browser)
        page.goto(site.url(ARTICLE_PATH))
        post(page, "First thought.", "Ada Reader", "ada@mail.example")
        expect(page.locator(".comment-awaiting-moderation")).to_be_visible()
        second = "A second, longer thought that must not be lost."
        post(page, second, "Ada Reader", "ada@mail.example")
        expect(page.locator("#comment-errors")).to_contain_text(
            "Too many comments from your network: at most 1 in 10 minutes"
        )
        expect(page.locator("#comment")).to_have_value(second)
