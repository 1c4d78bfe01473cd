"""A WordPress site imported with `byline import-wxr`, read in a real browser: old links
land on the new pages, and no block comment or shortcode shows."""

import pytest
from playwright.sync_api import expect

from tests.conftest import BROWSER_UA
from tests.importers.conftest import THEME_UNIT_TEST, corpus_file


@pytest.mark.browser
@pytest.mark.live
def test_old_links_and_clean_content(browser, start_site):
    export = corpus_file(THEME_UNIT_TEST)
    site = start_site(command="serve")
    site.manage("import_wxr", str(export))
    page = browser.new_context(user_agent=BROWSER_UA).new_page()

    page.goto(site.url("/2013/01/10/markup-image-alignment/"))  # the old permalink
    assert page.url == site.url("/2013/01/markup-image-alignment/")
    expect(page.locator("h1")).to_have_text("Markup: Image Alignment")
    text = page.locator(".entry-content").inner_text()
    assert "[caption" not in text and "[/caption]" not in text
    expect(page.locator(".entry-content figure figcaption").first).to_be_visible()

    page.goto(site.url("/?p=555"))  # a gallery post, by its WordPress ID
    assert page.url == site.url("/2010/09/post-format-gallery/")
    assert "[gallery" not in page.locator(".entry-content").inner_text()
    assert page.locator(".entry-content img").count() > 3

    page.goto(site.url("/2012/01/03/template-comments/"))
    expect(page.locator("#comments li li li li li").first).to_be_visible()
    html = page.content()
    assert "<!-- wp:" not in html

    page.goto(site.url("/about/"))
    expect(page.locator("h1")).to_have_text("About The Tests")
