"""The WXR reader: streamed in bounded memory, namespaces as WordPress reads them."""

import importlib.util
import tracemalloc
from pathlib import Path

import pytest

from byline.importers.wordpress.parser import Author, Post, Site, Term, WXRError, read_wxr
from tests.importers.conftest import corpus_file

BENCH = Path(__file__).resolve().parents[2] / "bench" / "wxr_generate.py"


def generator():
    spec = importlib.util.spec_from_file_location("wxr_generate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def peak_while_reading(path: Path) -> tuple[int, int]:
    """(items read, peak bytes allocated by Python while reading them all)."""
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            items = sum(isinstance(record, Post) for record in read_wxr(stream))
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class TestStreaming:
    """Reading holds one item at a time: a file ten times larger needs no more memory."""

    def test_memory_does_not_grow_with_the_file(self, tmp_path):
        generate = generator()
        small, large = tmp_path / "small.xml", tmp_path / "large.xml"
        generate(small, posts=100, comments=1_000)
        generate(large, posts=1_000, comments=10_000)
        assert large.stat().st_size > 9 * small.stat().st_size
        small_items, small_peak = peak_while_reading(small)
        large_items, large_peak = peak_while_reading(large)
        assert (small_items, large_items) == (100, 1_000)
        assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
        assert large_peak < large.stat().st_size / 5


class TestNamespaces:
    """Elements count only in WordPress's own namespaces (1.0 to 1.2, http or https), as in
    the WordPress importer's edge-case fixtures."""

    def test_namespace_edge_cases(self):
        with corpus_file("wxr-importer-edge-cases/namespace-edge-cases.xml").open("rb") as f:
            records = list(read_wxr(f))
        logins = [record.login for record in records if isinstance(record, Author)]
        assert logins == ["real_user", "version_conflict"]  # not the fake or custom ones
        first = next(record for record in records if isinstance(record, Post))
        assert first.post_id == "1"
        assert "malicious_key" not in first.meta

    def test_https_namespace_and_multiline_values(self, theme_unit_test):
        with theme_unit_test.open("rb") as stream:
            site = next(read_wxr(stream))
        assert isinstance(site, Site) and site.wxr_version == "1.2"
        assert site.base_blog_url == "https://wpthemetestdata.wordpress.com"
        with corpus_file("wxr-importer-edge-cases/authors-multiline.xml").open("rb") as f:
            authors = [r for r in read_wxr(f) if isinstance(r, Author)]
        assert [a.login for a in authors] == ["alice", "bob", "carol"]

    def test_terms_of_every_taxonomy_are_read(self):
        with corpus_file("wxr-importer-edge-cases/term-formats.xml").open("rb") as f:
            terms = [r for r in read_wxr(f) if isinstance(r, Term)]
        assert {term.taxonomy for term in terms} >= {"category", "post_tag", "nav_menu"}

    def test_not_an_export(self, tmp_path):
        html = tmp_path / "page.xml"
        html.write_text("<html><body>hello</body></html>")
        with pytest.raises(WXRError, match="root element is <html>, not <rss>"):
            list(read_wxr(html.open("rb")))
