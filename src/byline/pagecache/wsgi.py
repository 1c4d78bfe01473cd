"""The page cache's WSGI layer, in front of Django.

An anonymous GET of a page Django marked cacheable is answered from the "pages" cache
without running Django: the kept page with the article's view counted and its fresh
count written in, and a CSRF token masked for this reader's own cookie (a new cookie if
they have none). Anything personal (a session, a held comment, a remembered commenter),
any other query parameter, and every other method go to Django untouched.

Imported once Django is set up (byline.wsgi), so it may import models."""

import gzip
import hashlib
import logging
import os
import struct
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.http import parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from byline.articles.models import Article
from byline.comments.cookies import HELD_COOKIE, IDENTITY_COOKIES, TRUST_COOKIE
from byline.pagecache.marks import ARTICLE_HEADER, INTERNAL_HEADERS, SECONDS_HEADER, TAGS_HEADER
from byline.pagecache.purge import pages_cache, tags_current, tags_register
from byline.pageviews.services import article_view_for_request

logger = logging.getLogger("byline.pagecache")

# Query parameters of a shared page: archive cursors and the comment page.
SHARED_PARAMETERS = {"before", "after", "cpage"}
MAX_QUERY = 200
COUNT_MARK = b"data-views>"
CSRF_MARK = b'name="csrfmiddlewaretoken" value="'
COUNT, CSRF = "count", "csrf"
# Headers of the kept answer that belong to one reader or one encoding of the body.
NOT_KEPT = {"set-cookie", "content-length", "content-encoding", "etag"}
NOT_KEPT.update(name.lower() for name in INTERNAL_HEADERS)


@dataclass
class Entry:
    """A kept page: its body in parts, with the slots to fill between them."""

    tags: list[str]
    built: float  # when Django started to build it (time.time())
    expires: float
    status: str
    headers: list[tuple[str, str]]
    parts: list[bytes]  # len(slots) + 1 pieces
    slots: list[str]
    article_id: int | None


def personal_cookies() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, "messages", HELD_COOKIE, TRUST_COOKIE} | set(
        IDENTITY_COOKIES.values()
    )


class Config:
    """The settings a hit needs, read once (and again when a test changes one)."""

    def __init__(self) -> None:
        self.enabled = settings.BYLINE_PAGE_CACHE
        self.personal = personal_cookies()
        self.csrf_name = settings.CSRF_COOKIE_NAME
        # The Set-Cookie value Django's CsrfViewMiddleware would send, around the secret.
        placeholder = "Q" * CSRF_SECRET_LENGTH
        cookie = SimpleCookie()
        cookie[self.csrf_name] = placeholder
        morsel = cookie[self.csrf_name]
        morsel["max-age"] = settings.CSRF_COOKIE_AGE
        morsel["path"] = settings.CSRF_COOKIE_PATH
        if settings.CSRF_COOKIE_DOMAIN:
            morsel["domain"] = settings.CSRF_COOKIE_DOMAIN
        if settings.CSRF_COOKIE_SECURE:
            morsel["secure"] = True
        if settings.CSRF_COOKIE_HTTPONLY:
            morsel["httponly"] = True
        if settings.CSRF_COOKIE_SAMESITE:
            morsel["samesite"] = settings.CSRF_COOKIE_SAMESITE
        self.csrf_cookie = morsel.OutputString().partition(placeholder)[::2]


config = Config()


def _reload_config(**kwargs) -> None:
    global config
    config = Config()


setting_changed.connect(_reload_config)


def request_key(environ: dict) -> str | None:
    """The kept page's key for this request, or None when it must go to Django."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_AUTHORIZATION"):
        return None
    query = environ.get("QUERY_STRING", "")
    if query:
        if len(query) > MAX_QUERY:
            return None
        names = [name for name, _ in parse_qsl(query, keep_blank_values=True)]
        if not names or len(names) != len(set(names)) or set(names) - SHARED_PARAMETERS:
            return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and parse_cookie(cookie).keys() & config.personal:
        return None
    forwarded = environ.get("HTTP_X_FORWARDED_PROTO") == "https"  # one of two values, no more
    scheme = "https" if forwarded else environ.get("wsgi.url_scheme", "http")
    address = f"{scheme}://{environ.get('HTTP_HOST', '').lower()}{environ.get('PATH_INFO', '')}"
    raw = f"{address}?{query}".encode("utf-8", "surrogateescape")
    return "page:" + hashlib.blake2b(raw, digest_size=20).hexdigest()


def _split(body: bytes, *, count: bool) -> tuple[list[bytes], list[str]] | None:
    """The body in pieces around the view count and the CSRF token; None when a slot
    the page needs is not where it should be."""
    found: list[tuple[int, int, str]] = []
    marks = [(CSRF_MARK, b'"', CSRF)] + ([(COUNT_MARK, b"<", COUNT)] if count else [])
    for mark, end, slot in marks:
        start = body.find(mark)
        stop = body.find(end, start + len(mark)) if start >= 0 else -1
        if stop < 0:
            if slot == COUNT:
                return None
            continue
        found.append((start + len(mark), stop, slot))
    found.sort()
    parts, slots, position = [], [], 0
    for start, stop, slot in found:
        parts.append(body[position:start])
        slots.append(slot)
        position = stop
    parts.append(body[position:])
    return parts, slots


def build_entry(
    *, status: str, headers: list[tuple[str, str]], body: bytes, built: float
) -> Entry | None:
    """What to keep of a response Django marked cacheable, or None if it cannot be."""
    named = {name.lower(): value for name, value in headers}
    if "'nonce-" in named.get("content-security-policy", ""):
        return None  # its inline script or style is allowed for this response only
    for name, value in headers:
        if name.lower() == "set-cookie" and not value.startswith(f"{settings.CSRF_COOKIE_NAME}="):
            return None  # a cookie of this reader's own (a session, a message)
    if named.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    elif named.get("content-encoding"):
        return None
    article = named.get(ARTICLE_HEADER.lower())
    split = _split(body, count=article is not None)
    if split is None:
        logger.warning("Not kept: the page has no view count where the cache expects it")
        return None
    seconds = named.get(SECONDS_HEADER.lower(), "")
    expires = built + (int(seconds) if seconds.isdecimal() else settings.BYLINE_PAGE_CACHE_SECONDS)
    if upcoming := Article.objects.next_publication():
        expires = min(expires, upcoming.timestamp())
    kept = [(name, value) for name, value in headers if name.lower() not in NOT_KEPT]
    return Entry(
        tags=named[TAGS_HEADER.lower()].split(),
        built=built,
        expires=expires,
        status=status,
        headers=kept,
        parts=split[0],
        slots=split[1],
        article_id=int(article) if article else None,
    )


_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Random bytes to characters: each byte below the largest multiple of 62 maps to one
# character (no bias), the rest are dropped.
_UNBIASED = 256 - 256 % len(CSRF_ALLOWED_CHARS)
_TO_CHARS = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(256))
_DROPPED = bytes(range(_UNBIASED, 256))


def _random_chars(count: int) -> str:
    """`count` characters of CSRF_ALLOWED_CHARS from os.urandom (Django's own generator,
    which picks them one by one with SystemRandom, costs a millisecond per reader)."""
    chars = b""
    while len(chars) < count:
        chars += os.urandom(count + 8).translate(_TO_CHARS, _DROPPED)
    return chars[:count].decode()


def _mask(secret: str) -> str:
    """A CSRF token for `secret`, masked as django.middleware.csrf masks it (it unmasks
    and checks it the same way)."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    size = len(CSRF_ALLOWED_CHARS)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CHAR_INDEX[x] + _CHAR_INDEX[y]) % size]
        for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _csrf(request: WSGIRequest) -> tuple[str, str | None]:
    """A token masked for this reader's CSRF secret, and a Set-Cookie value when the
    reader has none yet (as Django's CsrfViewMiddleware would send)."""
    secret = request.COOKIES.get(config.csrf_name, "")
    if len(secret) == CSRF_SECRET_LENGTH and set(secret) <= _CHAR_INDEX.keys():
        return _mask(secret), None
    secret = _random_chars(CSRF_SECRET_LENGTH)
    before, after = config.csrf_cookie
    return _mask(secret), f"{before}{secret}{after}"


def views_label(count: int) -> str:
    """As the article template writes it: "1821 views", "1 view"."""
    return f"{count} view{'' if count == 1 else 's'}"


_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, mtime 0
_DEFLATE_END = zlib.compressobj(6, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # last, empty


def _deflated(data: bytes) -> bytes:
    """`data` as deflate blocks that end on a byte boundary and are not the last, so that
    other blocks may follow (their back-references stay inside `data`)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _stored(data: bytes) -> bytes:
    """`data` (under 64 KB) as one stored, not-last deflate block: nothing to compute."""
    return struct.pack("<BHH", 0, len(data), len(data) ^ 0xFFFF) + data


class Prepared:
    """What every hit of a kept page would otherwise compute again: a digest of its
    fixed parts (the ETag is a digest of it and of the slots' values) and, once a reader
    accepts gzip, the fixed parts compressed; a hit then compresses only the slots'
    few bytes (as stored blocks) and computes the CRC of the body."""

    def __init__(self, entry: Entry) -> None:
        self.parts = entry.parts
        self.size = sum(len(part) for part in entry.parts)
        digest = hashlib.blake2b(digest_size=16)
        for part in entry.parts:
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        self.digest = digest.digest()
        self._deflated: list[bytes] | None = None

    def etag(self, values: list[bytes]) -> str:
        digest = hashlib.blake2b(self.digest, digest_size=16)
        for value in values:
            digest.update(len(value).to_bytes(8, "little"))
            digest.update(value)
        return f'W/"{digest.hexdigest()}"'

    def gzipped(self, body: bytes, values: list[bytes]) -> bytes:
        if self._deflated is None:
            self._deflated = [_deflated(part) for part in self.parts]
        pieces = [_GZIP_HEADER, self._deflated[0]]
        for value, part in zip(values, self._deflated[1:], strict=True):
            pieces += (_stored(value), part)
        pieces += (_DEFLATE_END, struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF))
        return b"".join(pieces)


Copy = tuple[Entry, Prepared]


class Copies:
    """This process's copies of the kept pages it served last, each with its Prepared,
    up to LIMIT_BYTES of pages (the least recently served dropped first). A copy is as
    good as the kept page it was made from for as long as that is: until it expires or
    one of its tags is purged, which every hit checks. A hit of a copied page reads only
    its tags' purge times, a few bytes, not the page (19 KB from Redis, unpickled)."""

    LIMIT_BYTES = 8 * 1024 * 1024

    def __init__(self) -> None:
        self._copies: OrderedDict[str, Copy] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Copy | None:
        with self._lock:
            found = self._copies.get(key)
            if found is not None:
                self._copies.move_to_end(key)
            return found

    def keep(self, key: str, entry: Entry) -> Copy:
        copy = (entry, Prepared(entry))
        with self._lock:
            self._drop(key)
            self._copies[key] = copy
            self._size += copy[1].size
            while self._size > self.LIMIT_BYTES and len(self._copies) > 1:
                self._drop(next(iter(self._copies)))
        return copy

    def forget(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        dropped = self._copies.pop(key, None)
        if dropped is not None:
            self._size -= dropped[1].size


def _good(entry: Entry, *, copy: bool = False) -> bool:
    """Whether a kept page may still be served: not expired, no tag purged since. For a
    process's copy, a tag without a purge time (the cache emptied, say) is not stamped:
    the cache's own page is looked for next, as if there were no copy."""
    return time.time() < entry.expires and tags_current(
        entry.tags, since=entry.built, stamp_missing=not copy
    )


def _with_vary(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for index, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if "accept-encoding" not in value.lower():
                headers[index] = (name, f"{value}, Accept-Encoding")
            return headers
    headers.append(("Vary", "Accept-Encoding"))
    return headers


class PageCache:
    def __init__(self, application) -> None:
        self.application = application
        self.copies = Copies()

    def __call__(self, environ: dict, start_response):
        key = request_key(environ) if config.enabled else None
        if key is None:
            return self.application(environ, _without_internal(start_response))
        kept = self.kept(key)
        if kept is not None:
            try:
                return self.answer(*kept, environ, start_response)
            except Exception:  # the database is down, say: Django answers (a clear 503)
                logger.exception("Serving a kept page failed; passing the request to Django")
        return self.miss(key, environ, start_response)

    def kept(self, key: str) -> Copy | None:
        """The kept page for `key` (this process's copy when it is still good) and its
        Prepared, or None when Django must build it."""
        copy = self.copies.get(key)
        if copy is not None:
            if _good(copy[0], copy=True):
                return copy
            self.copies.forget(key)
        entry = pages_cache().get(key)
        if isinstance(entry, Entry) and _good(entry):
            return self.copies.keep(key, entry)
        return None

    def answer(self, entry: Entry, ready: Prepared, environ: dict, start_response):
        """Answer from the kept page: count the view, fill the slots."""
        request = WSGIRequest(environ)
        views = b""
        # No close_old_connections() here, unlike Django's request cycle (with health
        # checks on, it costs a round trip to PostgreSQL): a connection that broke makes
        # this raise, and the request then goes to Django, which replaces it.
        if entry.article_id is not None:
            count = article_view_for_request(request=request, article_id=entry.article_id)
            views = views_label(count).encode()
        token, set_cookie = _csrf(request) if CSRF in entry.slots else ("", None)
        filled = {COUNT: views, CSRF: token.encode()}
        values = [filled[slot] for slot in entry.slots]
        pieces = [entry.parts[0]]
        for value, part in zip(values, entry.parts[1:], strict=True):
            pieces += (value, part)
        body = b"".join(pieces)
        etag = ready.etag(values)
        headers = _with_vary(list(entry.headers))
        headers += [("ETag", etag), ("X-Byline-Cache", "hit")]
        if set_cookie:
            headers.append(("Set-Cookie", set_cookie))
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", headers)
            return [b""]
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and len(body) > 200:
            body = ready.gzipped(body, values)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(entry.status, headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def miss(self, key: str, environ: dict, start_response):
        """Django answers; a GET answer it marked cacheable is kept on the way out."""
        built = time.time()
        captured: dict = {}

        def intercept(status: str, headers: list, exc_info=None):
            marked = any(name.lower() == TAGS_HEADER.lower() for name, _ in headers)
            if marked and status.startswith("200") and environ["REQUEST_METHOD"] == "GET":
                captured.update(status=status, headers=headers)
                return lambda data: captured.setdefault("written", []).append(data)
            return _without_internal(start_response)(status, headers, exc_info)

        result = self.application(environ, intercept)
        if not captured:
            return result
        try:
            body = b"".join([*captured.get("written", []), *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        entry = build_entry(status=status, headers=headers, body=body, built=built)
        if entry is not None and entry.expires > time.time():
            tags_register(entry.tags, since=built)
            pages_cache().set(key, entry, timeout=max(1, int(entry.expires - time.time()) + 1))
            self.copies.keep(key, entry)
        headers = [(n, v) for n, v in headers if n.lower() not in INTERNAL_LOWER]
        start_response(status, [*headers, ("X-Byline-Cache", "miss")])
        return [body]


INTERNAL_LOWER = {name.lower() for name in INTERNAL_HEADERS}


def _without_internal(start_response):
    def start(status: str, headers: list, exc_info=None):
        headers = [(n, v) for n, v in headers if n.lower() not in INTERNAL_LOWER]
        return start_response(status, headers, exc_info)

    return start
