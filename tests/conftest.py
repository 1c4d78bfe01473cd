import os

import pytest
from django.test import Client, override_settings

from tests.factories import ArticleFactory, AuthorFactory

# Plain static storage in-process: the manifest is built by `byline serve`, which the
# live-server tests start for real.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    with override_settings(STORAGES=PLAIN_STATIC):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (Redis too, when configured)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> Client:
    """A reader's browser: a real browser's User-Agent, so views are counted."""
    return Client(HTTP_USER_AGENT=BROWSER_UA)


@pytest.fixture
def bot_client() -> Client:
    return Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")


@pytest.fixture
def author(db):
    return AuthorFactory(display_name="Tech Guru", slug="tech-guru", bio="Loves phones.")


@pytest.fixture
def article(author):
    return ArticleFactory(author=author, title="Facebook mulled investing in Xiaomi")


def browser_required() -> bool:
    return os.environ.get("BYLINE_REQUIRE_BROWSER") == "1"


def chromium_path() -> str | None:
    """Debian's Chromium, the browser the tests are written for."""
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@pytest.fixture
def start_site(tmp_path_factory):
    """Start real `byline` servers; each is stopped (and its database dropped) after the
    test."""
    from tests.live import start_site as start

    started = []

    def starter(**options):
        site = start(tmp_path_factory.mktemp("site"), **options)
        started.append(site)
        return site

    yield starter
    for site in started:
        site.stop()


LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """The system's Chromium, driven by Playwright, one for the whole run (tests/browser,
    tests/security). Missing: skipped with the reason, or a failure when
    BYLINE_REQUIRE_BROWSER=1 (as in CI)."""
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
