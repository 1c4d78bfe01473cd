"""No script injection anywhere: every XSS vector of ../shared/corpus, stored as readers,
authors and editors store text (tests/security/xss_seed.py), is rendered by a real
`byline serve` and loaded in Chromium, where nothing may run (tests/security/xss_probe.js
records any call of alert/prompt/confirm/print, the __xss flag, dialogs, page errors,
pop-ups, navigations, CSP violations, and active content in the DOM)."""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.security import xss_report
from tests.security.xss_corpus import corpus_or_skip, load_vectors

HERE = Path(__file__).resolve().parent
BATCH = 200  # vectors per article page; the admin shows up to 200 rows on one page
SETTLE_MS = 50  # after "load", for events a browser fires a moment later (autofocus…)
# An article's Markdown may name an image on another site: the policy blocks loading it
# (no third-party origin), which is counted, but it is not script.
PASSIVE_DIRECTIVES = {"img-src", "media-src", "font-src"}
CONTEXTS = (
    "comment",
    "commenter's name",
    "commenter's website (form)",
    "commenter's website (stored raw, as an import would)",
    "author's display name",
    "author's bio",
    "article title",
    "article Markdown",
    "admin moderation queue (comment, name, website)",
)


@dataclass
class Findings:
    pages: int = 0
    executed: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    blocked_loads: list = field(default_factory=list)  # images etc. from other origins
    active_content: list = field(default_factory=list)
    outside_requests: list = field(default_factory=list)


class Visitor:
    """One Chromium tab with the probe installed, visiting pages and collecting what
    they did."""

    def __init__(self, context, findings: Findings, site) -> None:
        self.findings = findings
        self.site = site
        self.base_url = site.base_url
        context.add_init_script(path=str(HERE / "xss_probe.js"))
        context.route("**/*", self._only_this_site)
        self.page = context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self._executed("page error", str(error)))
        self.page.on("popup", lambda popup: self._executed("pop-up", popup.url))
        self.current = ""

    def _only_this_site(self, route) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.findings.outside_requests.append((self.current, route.request.url[:120]))
            route.abort()

    def _dialog(self, dialog) -> None:
        self._executed(f"{dialog.type} dialog", dialog.message)
        dialog.dismiss()

    def _executed(self, kind: str, detail: str) -> None:
        self.findings.executed.append({"page": self.current, "kind": kind, "detail": detail})

    def visit(self, url: str) -> None:
        self.current = url
        try:
            response = self.page.goto(url, wait_until="load")
        except PlaywrightError as error:
            server = "".join(self.site.output[-40:])
            raise AssertionError(f"{url}: {error}\nserver said:\n{server}") from None
        assert response is not None and response.status == 200, url
        self.page.wait_for_timeout(SETTLE_MS)
        if self.page.url != url:
            self._executed("navigation", self.page.url)
            return
        report = self.page.evaluate("window.__xssReport()")
        for hit in report["hits"]:
            self._executed(hit["kind"], f"{hit['args']} in #{hit['where']}")
        for violation in report["violations"]:
            passive = violation["directive"] in PASSIVE_DIRECTIVES
            kept = self.findings.blocked_loads if passive else self.findings.violations
            kept.append({"page": url, **violation})
        self.findings.active_content += [
            {"page": url, **found} for found in self.page.evaluate("window.__xssAudit()")
        ]
        self.findings.pages += 1


def _seed(site, vectors: list[str], tmp_path: Path) -> dict:
    vectors_file, manifest_file = tmp_path / "vectors.json", tmp_path / "manifest.json"
    vectors_file.write_text(json.dumps(vectors), encoding="utf-8")
    code = (
        f"import runpy; runpy.run_path({str(HERE / 'xss_seed.py')!r})['main']"
        f"({str(vectors_file)!r}, {str(manifest_file)!r}, {BATCH})"
    )
    # Storing 7,000 vectors several ways takes a minute or two on a busy machine.
    subprocess.run(
        [sys.executable, "-m", "byline", "manage", "shell", "--no-imports", "-c", code],
        env=site.env, check=True, timeout=900,
    )  # fmt: skip
    return json.loads(manifest_file.read_text(encoding="utf-8"))


def _listing_pages(visitor: Visitor, site) -> int:
    """The home page and every older page after it: titles, names and excerpts."""
    url, seen = site.url("/"), 0
    while url:
        visitor.visit(url)
        seen += 1
        older = visitor.page.locator("a[rel=next]")
        url = site.url("/" + older.get_attribute("href")) if older.count() else None
    return seen


def _admin_queue(browser, findings: Findings, site, manifest: dict) -> None:
    context = browser.new_context()
    visitor = Visitor(context, findings, site)
    visitor.page.goto(site.url("/admin/login/"))
    visitor.page.fill("#id_username", "xss-editor")
    visitor.page.fill("#id_password", manifest["editor_password"])
    visitor.page.get_by_role("button", name="Log in").click()
    visitor.page.wait_for_url(site.url("/admin/"))
    for batch in manifest["batches"]:
        visitor.visit(site.url(f"/admin/comments/comment/?article={batch['article_id']}&all="))
        rows = visitor.page.locator("#result_list tbody tr").count()
        assert rows == batch["count"], "the queue shows every comment of the batch"
    context.close()


@pytest.mark.browser
@pytest.mark.live
class TestNoScriptInjection:
    """Every vector, in every place people put text, renders in Chromium without running
    anything; vectors tried and executed are reported (executed must be 0)."""

    @pytest.mark.timeout(1500)  # about 5 minutes on a busy 2-core machine
    def test_corpus_vectors_never_execute(self, browser, start_site, tmp_path):
        vectors = [vector.text for vector in load_vectors(corpus_or_skip())]
        site = start_site(command="serve", workers=2, extra_env={"BYLINE_ARTICLES_PER_PAGE": "500"})
        started = time.monotonic()
        manifest = _seed(site, vectors, tmp_path)
        assert manifest["comments_approved"] == len(vectors)
        seeded = time.monotonic()

        findings = Findings()
        reader = Visitor(browser.new_context(), findings, site)
        for batch in manifest["batches"]:
            reader.visit(site.url(batch["url"]))
        alone = sorted({index for batch in manifest["batches"] for index in batch["alone"]})
        for index in alone:
            reader.visit(site.url(manifest["singles"][index]))
        listing_pages = _listing_pages(reader, site)
        _admin_queue(browser, findings, site, manifest)
        browsed = time.monotonic()

        summary = xss_report.summarize(
            vectors=len(vectors),
            contexts=CONTEXTS,
            refusals=manifest["refusals"],
            findings=findings,
            pages={
                "article pages, one per batch of vectors": len(manifest["batches"]),
                "article pages of a vector alone (its Markdown differs in a batch)": len(alone),
                "home and older pages": listing_pages,
                "admin moderation queue pages": len(manifest["batches"]),
            },
            seconds={"storing": seeded - started, "browsing": browsed - seeded},
        )
        xss_report.publish(summary, os.environ.get("BYLINE_XSS_REPORT"))
        assert findings.executed == [], summary
        assert findings.violations == [], summary
        assert findings.active_content == [], summary
        assert findings.outside_requests == [], summary
