"""The editors' statistics in Chromium: the site chart and an article's chart are drawn
(uPlot, from the package's own static files), with the table beside them; and the beacon
counting mode, where the page's script counts the view and shows the fresh count."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import BROWSER_UA
from tests.live import ARTICLE_PATH

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs"
# Counts the canvas pixels a chart has drawn on (not transparent).
DRAWN_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
  return drawn;
}"""


def log_in(page: Page, site) -> None:
    page.goto(site.url("/admin/"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", site.editor_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("editor".upper(), ignore_case=True)


def expect_chart(page: Page, container: str) -> None:
    chart = page.locator(f"{container} [data-views-chart]")
    expect(chart).to_have_attribute("data-chart-ready", "")
    canvas = chart.locator("canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box["width"] > 250 and box["height"] > 150
    assert canvas.evaluate(DRAWN_PIXELS) > 500  # axes, grid and the line


@pytest.mark.browser
@pytest.mark.live
class TestStatisticsChart:
    """An editor opens the statistics and an article's admin page: charts are drawn."""

    def test_charts_are_drawn(self, browser, start_site, tmp_path):
        site = start_site(command="demo")
        reader = browser.new_context(user_agent=BROWSER_UA).new_page()
        for _ in range(3):
            reader.goto(site.url(ARTICLE_PATH))
        expect(reader.locator(".view-count")).to_have_text("1823 views")

        errors: list[str] = []
        page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        log_in(page, site)
        page.get_by_role("link", name="Statistics").first.click()
        expect(page.locator("h1")).to_have_text("Statistics")
        expect_chart(page, "#site-views")
        expect(page.locator(".stats-totals")).to_contain_text("Views today")
        expect(page.locator("#top-articles")).to_contain_text("Facebook mulled investing in Xiaomi")
        # The legend follows the cursor: uPlot reads the same numbers as the table.
        plot = page.locator("#site-views .u-over")
        plot.hover(position={"x": plot.bounding_box()["width"] - 2, "y": 50})
        expect(page.locator("#site-views .u-legend")).to_contain_text("3")
        folder = SCREENSHOTS if os.environ.get("BYLINE_UPDATE_SCREENSHOTS") == "1" else tmp_path
        page.screenshot(path=folder / "statistics.png", full_page=True)

        page.click("text=90 days")
        expect(page.locator("#site-views figcaption")).to_contain_text("last 90 days")
        expect_chart(page, "#site-views")

        page.goto(site.url("/admin/articles/article/"))
        page.get_by_role("link", name="Facebook mulled investing in Xiaomi").click()
        expect_chart(page, ".views-chart")
        expect(page.locator(".views-chart figcaption")).to_contain_text("3 views")
        assert errors == []


@pytest.mark.browser
@pytest.mark.live
class TestBeaconInBrowser:
    """Beacon mode: the page's script counts the view and shows the fresh count; the
    headless browser, a bot by its User-Agent, is not counted."""

    def test_beacon_counts_and_shows(self, browser, start_site):
        site = start_site(command="demo", extra_env={"BYLINE_VIEW_COUNTING": "beacon"})
        reader = browser.new_context(user_agent=BROWSER_UA).new_page()
        reader.goto(site.url(ARTICLE_PATH))
        expect(reader.locator(".view-count")).to_have_text("1821 views")
        reader.reload()
        expect(reader.locator(".view-count")).to_have_text("1822 views")

        headless = browser.new_context().new_page()  # "HeadlessChrome": a bot
        with headless.expect_response(lambda r: "/views/" in r.url) as answer:
            headless.goto(site.url(ARTICLE_PATH))
        assert answer.value.json() == {"views": 1822}
        assert site.views_shown() == 1822
