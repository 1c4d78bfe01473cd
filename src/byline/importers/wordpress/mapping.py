"""How WordPress values map onto Byline's: dates, states, slugs, addresses, view counts.
Pure functions of the export's text, so that the same file always maps the same way."""

import ipaddress
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.text import slugify

from byline.articles.models import Article
from byline.comments.models import Comment
from byline.pages.models import Page

# Post meta keys that view-counting plugins and themes store a post's total views under:
# WP-PostViews (`views`), the common `post_views_count` snippet and themes built on it,
# WPBeginner's `wpb_post_views_count`, Post Views Counter's `post_views`, and the theme
# families that keep their own (`tie_views`, `penci_post_views_count`, `_count-views_all`).
VIEW_META_KEYS = (
    "post_views_count", "views", "wpb_post_views_count", "post_views", "_post_views_count",
    "tie_views", "penci_post_views_count", "_count-views_all", "pvc_views",
)  # fmt: skip
EXPORT_VIEW_META_KEY = "post_views_count"
# Byline's own exports keep an article's editable source here (`content:encoded` has the
# rendered HTML, for WordPress); it is sanitised when rendered, like any editor's text.
BODY_META_KEY = "_byline_body"

ARTICLE_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_APPROVED = {  # for the export: Byline state → WordPress's comment_approved
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
_ZERO_DATE = "0000-00-00 00:00:00"
_email = EmailValidator()
_LOGIN_JUNK = re.compile(r"[^\w .@-]")
_url = URLValidator(schemes=["http", "https"])


def source_key(site_url: str) -> str:
    """The WordPress site an export comes from, as a stable key: host and path, without
    scheme or trailing slash (so a move from http to https keeps the same key)."""
    parts = urlsplit(site_url.strip())
    return (parts.netloc + parts.path).rstrip("/").lower()[:200] or "wordpress"


def wordpress_datetime(value: str, *, local: bool = False) -> datetime | None:
    """A WXR date (`2023-01-16 07:08:31`) as an aware datetime: UTC for the `_gmt`
    fields; for the local ones, the site's TIME_ZONE (the export does not say WordPress's
    own zone). WordPress's zero date is None."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        naive = datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE) if local else UTC)


def rss_datetime(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def published_at(*, date_gmt: str, date: str, pub_date: str = "") -> datetime | None:
    """GMT-correct: the `_gmt` date when WordPress wrote one, else the RSS pubDate (which
    carries its offset), else the local date in the site's zone."""
    return (
        wordpress_datetime(date_gmt)
        or rss_datetime(pub_date)
        or wordpress_datetime(date, local=True)
    )


def wordpress_date_strings(moment: datetime | None) -> tuple[str, str]:
    """(local, gmt) date strings for the export, WordPress's zero date for none."""
    if moment is None:
        return _ZERO_DATE, _ZERO_DATE
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.strftime("%Y-%m-%d %H:%M:%S"), moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def article_status(*, wp_status: str, password: str) -> str:
    """publish → Published, future → Scheduled; drafts, pending review, private and
    trashed posts, and password-protected ones (Byline has no passwords) → Draft, so that
    nothing that was not public becomes public."""
    if password:
        return Article.Status.DRAFT
    return ARTICLE_STATUS.get(wp_status, Article.Status.DRAFT)


def page_status(*, wp_status: str, password: str) -> str:
    if wp_status == "publish" and not password:
        return Page.Status.PUBLISHED
    return Page.Status.DRAFT


def comment_status(approved: str) -> str:
    return COMMENT_STATUS.get(approved.strip().lower(), Comment.Status.PENDING)


def decoded_slug(value: str) -> str:
    """A WordPress slug as its author wrote it (`caf%c3%a9` → `café`)."""
    return unquote(value.strip())


def slug_base(*candidates: str, fallback: str, max_length: int = 200) -> str:
    """The first candidate that makes an ASCII slug (what Byline's addresses take),
    else `fallback`."""
    for candidate in candidates:
        slug = slugify(unescape(decoded_slug(candidate)))[:max_length].strip("-")
        if slug:
            return slug
    return fallback


def link_path(link: str) -> str:
    """The path of an old address (`https://site/2014/12/18/slug/` →
    `/2014/12/18/slug/`), decoded; empty for a plain `?p=123` address."""
    if not link:
        return ""
    parts = urlsplit(link.strip())
    if parts.query and parts.path in ("", "/"):
        return ""
    return unquote(parts.path)[:500]


def clean_login(value: str) -> str:
    """A WordPress login as `sanitize_user` leaves it (a stray `>` in an export's
    `dc:creator` names the same user)."""
    return _LOGIN_JUNK.sub("", value).strip()


def clean_email(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 100:
        return ""
    try:
        _email(value)
    except ValidationError:
        return ""
    return value


def clean_url(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 200 or value in ("http://", "https://"):
        return ""
    try:
        _url(value)
    except ValidationError:
        return ""
    return value


def clean_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def view_count(meta: dict[str, str]) -> int:
    """The largest total among the view-counting meta keys the post has (0: none)."""
    counts = []
    for key in VIEW_META_KEYS:
        raw = meta.get(key, "").strip()
        if raw.isdigit():
            counts.append(int(raw))
    return max(counts, default=0)
