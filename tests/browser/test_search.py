"""A reader searches from the box in the site's header, in a real browser, on the
running demo site."""

import pytest
from playwright.sync_api import expect

from tests.conftest import BROWSER_UA
from tests.live import ARTICLE_PATH


@pytest.mark.browser
@pytest.mark.live
class TestSearchInTheBrowser:
    """Header search box → ranked results with marked words → the article."""

    def test_search_from_the_header(self, browser, start_site, tmp_path):
        site = start_site(command="demo")
        page = browser.new_context(user_agent=BROWSER_UA).new_page()
        page.goto(site.url("/"))
        box = page.get_by_role("searchbox", name="Search")
        box.fill("zuckerberg xiaomi")
        box.press("Enter")
        expect(page.locator("h1")).to_have_text("Search results for “zuckerberg xiaomi”")
        result = page.locator(".search-results li").first
        expect(result.locator("mark").first).to_have_text("Xiaomi")
        expect(result.locator(".search-snippet mark").first).to_be_visible()
        page.screenshot(path=tmp_path / "search.png", full_page=True)
        result.get_by_role("link", name="Facebook mulled investing in Xiaomi").click()
        expect(page).to_have_url(site.url(ARTICLE_PATH))

        # A misspelling is corrected; a hostile query is a page like any other.
        page.goto(site.url("/search/?q=zuckerbreg"))
        expect(page.locator(".search-corrected")).to_contain_text("Showing results for zuckerberg")
        page.goto(site.url('/search/?q="NEAR(*) AND -'))
        expect(page.locator("h1")).to_contain_text("Search results for")
        expect(page.locator(".no-results")).to_be_visible()
