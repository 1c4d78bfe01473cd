"""The reference page in a real browser, as a reader, a second reader and an editor use
it, on the running demo site."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import BROWSER_UA
from tests.live import ARTICLE_PATH

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs"
COMMENT = "Xiaomi's growth since 2011 is remarkable; a Facebook stake would have changed a lot."
REPLY = "Agreed, and the political fallout would have been real."


def screenshot(page: Page, name: str, tmp_path: Path) -> None:
    """Screenshots for the README are refreshed with BYLINE_UPDATE_SCREENSHOTS=1."""
    folder = SCREENSHOTS if os.environ.get("BYLINE_UPDATE_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=folder / name, full_page=True)


def reader_page(browser, **options) -> Page:
    # Headless Chromium announces itself as "HeadlessChrome", which the bot list rightly
    # excludes from counting; a reader's browser sends the ordinary Chrome name.
    return browser.new_context(user_agent=BROWSER_UA, **options).new_page()


@pytest.mark.browser
@pytest.mark.live
class TestReferencePage:
    """Reader, second reader and editor, end to end."""

    def test_reader_commenter_editor(self, browser, start_site, tmp_path):
        site = start_site(command="demo")
        article_url = site.url(ARTICLE_PATH)
        page = reader_page(browser, viewport={"width": 1280, "height": 900})
        page.goto(article_url)

        # 1-2: the title as the only h1, and the meta line with the live count.
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("h1")).to_have_text("Facebook mulled investing in Xiaomi")
        expect(page.locator(".view-count")).to_have_text("1821 views")
        meta = page.locator(".entry-meta")
        expect(meta.get_by_role("link", name="Tech Guru")).to_have_attribute(
            "href", "/author/tech-guru/"
        )
        expect(meta.locator("time")).to_have_text("December 18, 2014")
        leave = meta.get_by_role("link", name="Leave a comment")
        expect(leave).to_have_attribute("href", "#respond")
        # 3: the body from Markdown.
        expect(page.locator(".entry-content p").first).to_contain_text(
            "Mark Zuckerberg reportedly met with Xiaomi Inc CEO Lei Jun"
        )
        # 4: the Author Bio box.
        bio = page.locator(".author-bio")
        expect(bio.get_by_role("heading")).to_have_text("Author Bio")
        expect(bio.get_by_role("link", name="Tech Guru")).to_be_visible()
        expect(bio.locator(".avatar")).to_be_visible()
        expect(bio).to_contain_text(
            "Passionate about the latest Technology. I enjoy traveling and Photography."
        )
        # 6: the comment form, word for word.
        respond = page.locator("#respond")
        expect(respond.get_by_role("heading")).to_have_text("Leave a Reply Cancel reply")
        expect(respond.locator("#cancel-comment-reply-link")).to_be_hidden()
        expect(respond.locator(".comment-notes")).to_have_text(
            "Your email address will not be published. Required fields are marked *"
        )
        for field, label in [("comment", "Comment *"), ("author", "Name *"),
                             ("email", "Email *"), ("url", "Website")]:  # fmt: skip
            expect(page.locator(f"label[for={field}]")).to_have_text(label)
        expect(page.locator("label[for=remember]")).to_have_text(
            "Save my name, email, and website in this browser for the next time I comment."
        )
        expect(page.get_by_role("button", name="Post Comment")).to_be_visible()
        expect(page.locator("#homepage")).not_to_be_in_viewport()
        screenshot(page, "reference-page.png", tmp_path)

        # The count is live: the next load is the next view.
        page.reload()
        expect(page.locator(".view-count")).to_have_text("1822 views")

        # A first-time commenter's comment waits for moderation, seen by its author only.
        page.fill("#comment", COMMENT)
        page.fill("#author", "Ada Reader")
        page.fill("#email", "ada.reader@mail.example")
        page.check("#remember")
        page.get_by_role("button", name="Post Comment").click()
        posted_at = time.monotonic()
        held = page.locator(".comment-held")
        expect(held).to_contain_text(COMMENT)
        expect(held.locator(".comment-awaiting-moderation")).to_have_text(
            "Your comment is awaiting moderation."
        )

        stranger = reader_page(browser)
        stranger.goto(article_url)
        expect(stranger.locator("body")).not_to_contain_text(COMMENT)
        expect(stranger.locator(".entry-meta")).to_contain_text("Leave a comment")

        # The editor approves it in the admin's moderation queue.
        editor = browser.new_context().new_page()
        editor.goto(site.url("/admin/"))
        editor.fill("#id_username", "editor")
        editor.fill("#id_password", site.editor_password)
        editor.get_by_role("button", name="Log in").click()
        expect(editor.locator(".byline-queue")).to_have_text("1 comment awaiting moderation")
        editor.locator(".byline-queue").click()
        row = editor.locator("#result_list tbody tr", has_text="Ada Reader")
        expect(row).to_contain_text("first comment from this author")
        row.locator("input[name=_selected_action]").check()
        editor.select_option("select[name=action]", "mark_approved")
        editor.get_by_role("button", name="Run").or_(
            editor.get_by_role("button", name="Go")
        ).click()
        expect(editor.locator(".messagelist")).to_contain_text("1 comment marked approve")

        # Now everyone sees it, and the meta line counts it.
        fresh = reader_page(browser)
        fresh.goto(article_url)
        expect(fresh.locator("#comments")).to_contain_text(COMMENT)
        expect(fresh.locator(".entry-meta .comments-link")).to_have_text("1 Comment")
        expect(fresh.locator(".entry-meta .comments-link")).to_have_attribute("href", "#comments")
        expect(fresh.locator(".comment-awaiting-moderation")).to_have_count(0)
        expect(fresh.locator("body")).not_to_contain_text("ada.reader@mail.example")
        assert "ada.reader@mail.example" not in fresh.content()

        # A reply through the form that moves under the comment.
        page.goto(article_url)
        comment = page.locator("#comments li").first
        comment.get_by_role("link", name="Reply to Ada Reader").click()
        expect(comment.locator("#respond")).to_be_visible()
        expect(page.locator("#reply-title-text")).to_have_text("Leave a Reply to Ada Reader")
        expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
        expect(page.locator("#author")).to_have_value("Ada Reader")  # remembered
        page.fill("#comment", REPLY)
        page.get_by_role("button", name="Post Comment").click()
        if page.locator("#comment-errors").count():
            # WordPress's flood rule: one comment per 15 s from one address. The text
            # is kept; the reader sends it again a little later.
            expect(page.locator("#comment-errors")).to_contain_text("posting comments too quickly")
            expect(page.locator("#comment")).to_have_value(REPLY)
            time.sleep(max(0, 16 - (time.monotonic() - posted_at)))
            page.get_by_role("button", name="Post Comment").click()
        nested = page.locator("#comments li li")
        expect(nested).to_contain_text(REPLY)  # approved: Ada is now a known commenter

        everyone = reader_page(browser, viewport={"width": 390, "height": 844})
        everyone.goto(article_url)
        expect(everyone.locator("#comments li li")).to_contain_text(REPLY)
        expect(everyone.locator(".entry-meta .comments-link")).to_have_text("2 Comments")
        screenshot(everyone, "reference-page-phone.png", tmp_path)
