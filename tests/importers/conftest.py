import os
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
THEME_UNIT_TEST = "wxr-theme-unit-test/themeunittestdata.wordpress.xml"


def corpus_file(relative: str) -> Path:
    """A file of ../shared/corpus, read in place. Absent: the test is skipped with the
    reason, or fails under BYLINE_REQUIRE_CORPUS=1 (as in CI)."""
    path = CORPUS / relative
    if not path.is_file():
        message = f"corpus file {path} not found"
        if os.environ.get("BYLINE_REQUIRE_CORPUS") == "1":
            pytest.fail(f"BYLINE_REQUIRE_CORPUS=1 but {message}")
        pytest.skip(f"{message}; corpus tests skipped")
    return path


@pytest.fixture
def theme_unit_test() -> Path:
    return corpus_file(THEME_UNIT_TEST)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Imported media go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
