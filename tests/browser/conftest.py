import pytest

from tests.conftest import browser_required, chromium_path

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """The system's Chromium, driven by Playwright. Missing: skipped with the reason,
    or a failure when BYLINE_REQUIRE_BROWSER=1 (as in CI)."""
    path = chromium_path()
    if path is None:
        if browser_required():
            pytest.fail("BYLINE_REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium")
        pytest.skip("no Chromium found (apt install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()
