"""Content Security Policy (Django's own) and the other security headers on every
answer, and `check --deploy` with the production settings of the README."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines
from django.test import RequestFactory

KEYWORDS = {"'self'", "'none'"}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
class TestSecurityHeaders:
    """Pages, errors and static files carry the policy and the other headers."""

    @pytest.mark.parametrize("path", ["/", "ARTICLE", "/no-such-page/", "/admin/login/"])
    def test_policy_allows_nothing_inline_and_no_other_origin(self, client, article, path):
        response = client.get(article.get_absolute_url() if path == "ARTICLE" else path)
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        for name, values in policy.items():
            if name == "report-uri":
                assert values == ["/csp-report/"]
                continue
            for value in values:
                # Only 'self', 'none' and this answer's nonce: no 'unsafe-inline', no
                # 'unsafe-eval', no host, no scheme such as data: or https:.
                assert value in KEYWORDS or value.startswith("'nonce-"), (name, value)

    def test_other_security_headers(self, client, article):
        response = client.get(article.get_absolute_url())
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        permissions = response.headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "browsing-topics=()"):
            assert feature in permissions

    def test_a_template_gets_the_nonce_the_header_allows(self):
        """`csp_nonce` in a template (for other apps' inline scripts) matches the header."""
        template = engines["django"].from_string("<script nonce='{{ csp_nonce }}'></script>")

        def view(request):
            return HttpResponse(template.render({}, request))

        request = RequestFactory().get("/")
        response = ContentSecurityPolicyMiddleware(view)(request)
        nonce = response.content.decode().split("'")[1]
        assert len(nonce) >= 16
        assert (
            f"'nonce-{nonce}'"
            in directives(response.headers["Content-Security-Policy"])["script-src"]
        )

    def test_csp_reports_are_logged_not_stored(self, client, caplog):
        report = {
            "csp-report": {
                "document-uri": "http://localhost/2014/12/x/",
                "effective-directive": "script-src-elem",
                "blocked-uri": "inline",
            }
        }
        with caplog.at_level("WARNING", logger="byline.security"):
            response = client.post(
                "/csp-report/", json.dumps(report), content_type="application/csp-report"
            )
        assert response.status_code == 204
        assert "CSP violation: script-src-elem blocked inline" in caplog.text
        bad = client.post("/csp-report/", b"\xff{", content_type="application/csp-report")
        assert bad.status_code == 400
        assert b"JSON" in bad.content


def run_check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BYLINE_", "DJANGO_")) and key not in {"SECRET_KEY", "DEBUG"}
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "byline", "manage", "check", "--deploy", "--fail-level",
         "WARNING"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


class TestDeployCheck:
    """`byline manage check --deploy` passes, warnings included, with the README's
    production settings, and fails without HTTPS switched on."""

    PRODUCTION = {
        "BYLINE_HTTPS": "1",
        "ALLOWED_HOSTS": "news.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }

    def test_production_settings_pass(self, tmp_path):
        result = run_check(
            {
                **self.PRODUCTION,
                "BYLINE_DATA_DIR": str(tmp_path),
                "SECRET_KEY": secrets.token_urlsafe(50),
            }
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_without_https_it_fails(self, tmp_path):
        production = {**self.PRODUCTION, "BYLINE_HTTPS": ""}
        result = run_check(
            {
                **production,
                "BYLINE_DATA_DIR": str(tmp_path),
                "SECRET_KEY": secrets.token_urlsafe(50),
            }
        )
        assert result.returncode != 0
        for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
            assert warning in result.stderr + result.stdout
