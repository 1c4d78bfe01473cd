"""Byline's one settings module: every value comes from an environment variable with a
working default, so that `byline demo` runs on a fresh machine with nothing else.

| variable          | default                                   |
| ----------------- | ----------------------------------------- |
| BYLINE_DATA_DIR   | ./var (database, secret key, media, static) |
| DATABASE_URL      | SQLite file in the data folder            |
| REDIS_URL         | none: in-process cache                    |
| SECRET_KEY        | generated once, stored in the data folder |
| ALLOWED_HOSTS     | localhost,127.0.0.1,[::1]                 |
| DEBUG             | off                                       |
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("BYLINE_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The operator's SECRET_KEY, else one generated on first run and kept in the data
    folder (readable by its owner only) so that sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        try:  # O_EXCL: when two processes start at once, the first one's key wins
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "byline.admin_site.BylineAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "byline.authors",
    "byline.articles",
    "byline.comments",
    "byline.pageviews",
    "django_tasks_db",
    "byline.security",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "byline.discovery",
    "ninja",  # the API's documentation page and its static files, served from here
    "corsheaders",
    "byline.api",
    "byline.pages",
    "byline.importers",
    "byline.pagecache",
]

MIDDLEWARE = [
    "byline.security.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # CORS for /api/ only (CORS_URLS_REGEX)
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "byline.pagecache.middleware.ConditionalPageMiddleware",  # ETag and 304 on public pages
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Old WordPress addresses (/?p=123, /2014/12/18/slug/, /feed/) answer with a 301.
    "byline.importers.middleware.WordPressRedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "byline.urls"
WSGI_APPLICATION = "byline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "byline.context_processors.site",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL says otherwise. SQLite runs in
# WAL mode with IMMEDIATE transactions so several server processes can write (view
# counts, comments) without "database is locked" errors. Each connection keeps up to
# 8 MB of the database's pages (SQLite's default is 2 MB): a search of a word in most of
# 100,000 articles reads the rows of 1,000 candidates, which the default cache could not
# hold, so every search read them from the file again (1.4 ms instead of 0.45).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'byline.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-8192;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL down or unreachable: fail fast with a clear 503 page (byline.security).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache; when Redis is down, pages are served without the
            # cache and a warning is logged.
            "BACKEND": "byline.security.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": 1,
                "socket_timeout": 2,
                # Keys every uncached page reads, kept in each process while Redis
                # reports no change to them (byline.security.tracking).
                "TRACKED_PREFIXES": [
                    "articles:",
                    "comments:moderation-settings",
                    "comments:bans",
                    "pageviews:most-viewed:",
                    "discovery:related:",
                ],
            },
            "KEY_PREFIX": os.environ.get("BYLINE_CACHE_PREFIX", "byline"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The JSON API's validators (when each representation first appeared: its Last-Modified)
# must be seen by every server process: Redis when configured, else files in the data folder.
CACHES["api"] = (
    CACHES["default"]
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "api",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
)

# Kept pages and their tags' purge times: in Redis, shared by every server; without it,
# in files in the data folder, shared by the server processes of this machine.
CACHES["pages"] = (
    {
        **CACHES["default"],
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-pages",
        # The tags' purge times, checked by every hit; not the pages (each process keeps
        # copies of those itself: byline.pagecache.wsgi.Copies).
        "OPTIONS": {**CACHES["default"]["OPTIONS"], "TRACKED_PREFIXES": ["tag:"]},
    }
    if REDIS_URL
    else {
        "BACKEND": "byline.pagecache.filecache.RememberingFileCache",
        "LOCATION": DATA_DIR / "cache" / "pages",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
)

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Far-future expiry for fingerprinted files is WhiteNoise's default; the rest get a day.
WHITENOISE_MAX_AGE = 86400

# Email goes to the console unless the operator configures SMTP: EMAIL_URL
# (smtp://user:password@host:587, smtps://…) or EMAIL_HOST and its companions.
from byline.mailers import mailers_from_environ  # noqa: E402

MAILERS = mailers_from_environ(os.environ)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "byline@localhost")

# Security headers that hold everywhere; HTTPS-only ones follow BYLINE_HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("BYLINE_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("BYLINE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Byline's own settings.
BYLINE_SITE_NAME = os.environ.get("BYLINE_SITE_NAME", "Byline")
BYLINE_SITE_DESCRIPTION = os.environ.get(
    "BYLINE_SITE_DESCRIPTION", "Technology news, reviews and analysis."
)
BYLINE_ARTICLES_PER_PAGE = int(os.environ.get("BYLINE_ARTICLES_PER_PAGE", "10"))

# View counting (the pageviews app; README "View counting" explains each).
BYLINE_VIEW_COUNTING = os.environ.get("BYLINE_VIEW_COUNTING", "server")  # or "beacon"
BYLINE_VIEWS_EXCLUDE_EDITORS = env_bool("BYLINE_VIEWS_EXCLUDE_EDITORS")
BYLINE_VIEWS_EXCLUDED_IPS = env_list("BYLINE_VIEWS_EXCLUDED_IPS", "")
BYLINE_VIEWS_INTERVAL = int(os.environ.get("BYLINE_VIEWS_INTERVAL", "0"))  # seconds
BYLINE_VIEWS_FLUSH_SECONDS = float(os.environ.get("BYLINE_VIEWS_FLUSH_SECONDS", "1"))
BYLINE_VIEWS_FLUSH_IN_SERVER = env_bool("BYLINE_VIEWS_FLUSH_IN_SERVER", default=True)
BYLINE_MOST_VIEWED_SECONDS = int(os.environ.get("BYLINE_MOST_VIEWED_SECONDS", "60"))

# The page cache (the pagecache app; README "Page cache"). Anonymous readers get pages
# kept for at most BYLINE_PAGE_CACHE_SECONDS: a change purges the pages it touches at
# once, so this bounds only how old the view counts in lists may be (an article's own
# count is always exact). BYLINE_CDN_SECONDS is the s-maxage offered to a CDN.
BYLINE_PAGE_CACHE = env_bool("BYLINE_PAGE_CACHE", default=True)
BYLINE_PAGE_CACHE_SECONDS = int(os.environ.get("BYLINE_PAGE_CACHE_SECONDS", "10"))
BYLINE_CDN_SECONDS = int(os.environ.get("BYLINE_CDN_SECONDS", "60"))

# The site's public address, for links in emails (a worker has no request to ask).
BYLINE_SITE_URL = os.environ.get("BYLINE_SITE_URL", "http://localhost:8000").rstrip("/")
# Commenters' avatars from Gravatar: off, so no email hash reaches a public page.
BYLINE_GRAVATAR = env_bool("BYLINE_GRAVATAR")

# Background tasks (comment notifications, housekeeping): stored in the database, run by
# `byline worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The JSON API (byline.api). Cross-origin requests are allowed for the origins listed in
# BYLINE_API_CORS_ORIGINS (comma-separated, e.g. "https://app.example.com", or "*" for
# any origin); none by default. Only /api/ answers them.
BYLINE_API_CORS_ORIGINS = env_list("BYLINE_API_CORS_ORIGINS", "")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = BYLINE_API_CORS_ORIGINS == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else BYLINE_API_CORS_ORIGINS
CORS_ALLOW_HEADERS = (
    "accept", "authorization", "content-type", "if-modified-since", "if-none-match",
)  # fmt: skip
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After")  # Last-Modified is exposed by default
CORS_PREFLIGHT_MAX_AGE = 3600
# Security (issue 9): Content Security Policy, login protection, request limits. No
# inline script or style without the request's nonce (`csp_nonce` in templates), no
# third-party origin; JSON-LD data blocks are not scripts and need nothing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-src": [CSP.NONE],
    "worker-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "report-uri": ["/csp-report/"],
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "browsing-topics",
    )
}  # fmt: skip
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Request bodies: larger ones get 413 before they are read (uploads are admin avatars).
BYLINE_MAX_REQUEST_BYTES = int(os.environ.get("BYLINE_MAX_REQUEST_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields without files: 413 past 2.5 MB

# Editors' logins: django-axes locks an account out from an address after repeated
# failures (the address as the server saw it: REMOTE_ADDR, never a client's header);
# django-otp adds optional TOTP two-factor login.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("BYLINE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("BYLINE_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = BYLINE_SITE_NAME
