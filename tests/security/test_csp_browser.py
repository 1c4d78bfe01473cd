"""The Content Security Policy leaves the site and the admin working: a reader and an
editor go through their pages in Chromium and the browser reports no violation."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import BROWSER_UA
from tests.live import ARTICLE_PATH

PROBE = Path(__file__).with_name("xss_probe.js")


def violations_on(page) -> list:
    return page.evaluate("window.__xssReport().violations")


@pytest.mark.browser
@pytest.mark.live
class TestPolicyKeepsEverythingWorking:
    """Reader's page, comment form, admin login, article editor with its live preview,
    moderation queue and two-factor page: all work, with no CSP violation."""

    def test_reader_and_editor_pages(self, browser, start_site):
        site = start_site(command="demo")
        errors: list[str] = []
        context = browser.new_context(user_agent=BROWSER_UA)
        context.add_init_script(path=str(PROBE))
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        seen = {}

        page.goto(site.url(ARTICLE_PATH))
        expect(page.locator("h1")).to_have_text("Facebook mulled investing in Xiaomi")
        seen["article"] = violations_on(page)
        page.fill("#comment", "Under a strict policy.")
        page.fill("#author", "Ada Reader")
        page.fill("#email", "ada@mail.example")
        page.get_by_role("button", name="Post Comment").click()
        expect(page.locator(".comment-awaiting-moderation")).to_be_visible()
        seen["after posting"] = violations_on(page)

        page.goto(site.url("/admin/"))
        page.fill("#id_username", "editor")
        page.fill("#id_password", site.editor_password)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".byline-queue")).to_be_visible()
        seen["admin index"] = violations_on(page)

        page.goto(site.url("/admin/articles/article/1/change/"))
        page.fill("#id_body", "Preview *works* under the policy.")
        expect(page.locator(".byline-preview em")).to_have_text("works")
        seen["article editor"] = violations_on(page)

        page.goto(site.url("/admin/comments/comment/?status__exact=pending"))
        expect(page.locator("#result_list")).to_contain_text("Ada Reader")
        seen["moderation queue"] = violations_on(page)

        page.goto(site.url("/admin/two-factor/"))
        expect(page.locator(".byline-qr svg")).to_be_visible()
        seen["two-factor"] = violations_on(page)

        assert all(found == [] for found in seen.values()), seen
        assert errors == []
