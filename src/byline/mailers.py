"""Django's MAILERS setting from the environment: EMAIL_URL, or the usual EMAIL_HOST,
EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL and
EMAIL_TIMEOUT, or EMAIL_BACKEND; the console when none is set.

EMAIL_URL forms: smtp://user:password@host:port (STARTTLS with ?tls=1, and by default on
port 587), smtps://user:password@host:465 (TLS from the start), console://, and
file:///folder (one file per message). User and password are percent-decoded."""

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
FILE = "django.core.mail.backends.filebased.EmailBackend"
TRUE = {"1", "true", "yes", "on"}


def _smtp_from_url(url: str) -> dict:
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    ssl = parts.scheme == "smtps" or query.get("ssl", "").lower() in TRUE
    port = parts.port or (465 if ssl else 587 if parts.scheme == "submission" else 25)
    tls = not ssl and (query.get("tls", "").lower() in TRUE or port == 587)
    options = {
        "host": parts.hostname or "localhost",
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": tls,
        "use_ssl": ssl,
    }
    if "timeout" in query:
        options["timeout"] = float(query["timeout"])
    return {"BACKEND": SMTP, "OPTIONS": options}


def mailer_from_environ(environ: Mapping[str, str]) -> dict:
    if url := environ.get("EMAIL_URL", "").strip():
        scheme = urlsplit(url).scheme
        if scheme in {"smtp", "smtps", "submission"}:
            return _smtp_from_url(url)
        if scheme == "console":
            return {"BACKEND": CONSOLE}
        if scheme == "file":
            return {"BACKEND": FILE, "OPTIONS": {"file_path": unquote(urlsplit(url).path)}}
        raise ValueError(
            f"EMAIL_URL: unknown scheme {scheme!r}; use smtp://, smtps://, console:// or file://"
        )
    if host := environ.get("EMAIL_HOST", "").strip():
        ssl = environ.get("EMAIL_USE_SSL", "").lower() in TRUE
        options = {
            "host": host,
            "port": int(environ.get("EMAIL_PORT") or (465 if ssl else 25)),
            "username": environ.get("EMAIL_HOST_USER", ""),
            "password": environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": environ.get("EMAIL_USE_TLS", "").lower() in TRUE,
            "use_ssl": ssl,
        }
        if timeout := environ.get("EMAIL_TIMEOUT"):
            options["timeout"] = float(timeout)
        return {"BACKEND": SMTP, "OPTIONS": options}
    return {"BACKEND": environ.get("EMAIL_BACKEND") or CONSOLE}


def mailers_from_environ(environ: Mapping[str, str]) -> dict:
    return {"default": mailer_from_environ(environ)}
