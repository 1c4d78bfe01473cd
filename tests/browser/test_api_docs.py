"""The API's documentation page in a real browser: it lists the operations and runs one
against the live site ("Try it out"), with no outside service (Swagger UI is served by
the site itself)."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.test_reference_page import SCREENSHOTS


@pytest.mark.browser
@pytest.mark.live
class TestApiDocumentation:
    """A developer reads the docs and tries an operation."""

    def test_browse_and_try(self, browser, start_site, tmp_path):
        site = start_site(command="demo")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        outside = []
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((site.base_url, "data:"))
                else outside.append(request.url)
            ),
        )
        page.goto(site.url("/api/v1/docs"))
        expect(page.locator(".information-container .title")).to_contain_text("Byline API")
        operation = page.locator("#operations-articles-get_article")
        expect(operation).to_contain_text("/api/v1/articles/{article_id}")
        expect(page.locator("#operations-editing-create_article")).to_be_visible()
        expect(page.get_by_role("button", name="Authorize")).to_be_visible()
        # The README's picture (BYLINE_UPDATE_SCREENSHOTS=1): the first screen of the page.
        folder = SCREENSHOTS if os.environ.get("BYLINE_UPDATE_SCREENSHOTS") == "1" else tmp_path
        page.screenshot(path=folder / "api-docs.png")

        operation.locator(".opblock-summary").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.locator("input[placeholder='article_id']").fill("1")
        operation.get_by_role("button", name="Execute").click()
        result = operation.locator(".responses-wrapper .live-responses-table")
        expect(result).to_contain_text("Facebook mulled investing in Xiaomi")
        expect(result).to_contain_text("etag")
        assert outside == []
