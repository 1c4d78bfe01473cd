"""Reading a WordPress export (WXR 1.0, 1.1 or 1.2) as a stream of records.

The file is parsed with defusedxml's `iterparse`, one element at a time: each author,
term and item is turned into a small record and then dropped from the tree, so memory
stays flat however large the file is. A document type declaration (the way to XXE and
entity-expansion attacks) is refused outright, as WordPress never writes one; a file that
is not well-formed (damaged or truncated) raises `WXRError` with the line and column."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import ParseError, iterparse

SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WXRError(Exception):
    """The file cannot be imported; the message says why, for the person running it."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    author_id: str = ""
    # Not written by WordPress itself; Byline's exporter adds them (WordPress's importer
    # ignores elements it does not know).
    description: str = ""
    nicename: str = ""


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag", or another taxonomy (skipped)
    slug: str
    name: str = ""
    term_id: str = ""
    parent_slug: str = ""
    description: str = ""


@dataclass
class Comment:
    comment_id: str
    parent_id: str = "0"
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    type: str = ""
    user_id: str = ""


@dataclass
class Post:
    post_id: str
    post_type: str = "post"
    title: str = ""
    link: str = ""
    guid: str = ""
    pub_date: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: str = ""
    date_gmt: str = ""
    comment_status: str = "open"
    name: str = ""
    status: str = "publish"
    parent_id: str = "0"
    menu_order: str = "0"
    password: str = ""
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


Record = Site | Author | Term | Post


@lru_cache(maxsize=256)
def _name(tag: str) -> str:
    """`{namespace}local` → `wp:local`, `content:local`, … or the bare local name; an
    element in a namespace that is not WordPress's (even with the `wp` prefix) gets `?:`."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if _WP_NAMESPACE.match(namespace):
        return f"wp:{local}"
    if _EXCERPT_NAMESPACE.match(namespace):
        return f"excerpt:{local}"
    return f"{_NAMESPACES.get(namespace, '?')}:{local}"


def _text(element) -> str:
    return (element.text or "").strip()


def _fields(element) -> dict[str, str]:
    """The text of an element's simple children, by normalised name (first one wins)."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(_name(child.tag), _text(child))
    return found


def _author(element) -> Author | None:
    values = _fields(element)
    login = values.get("wp:author_login", "")
    if not login:
        return None
    return Author(
        login=login,
        email=values.get("wp:author_email", ""),
        display_name=values.get("wp:author_display_name", ""),
        first_name=values.get("wp:author_first_name", ""),
        last_name=values.get("wp:author_last_name", ""),
        author_id=values.get("wp:author_id", ""),
        description=values.get("wp:author_description", ""),
        nicename=values.get("wp:author_nicename", ""),
    )


def _term(element, kind: str) -> Term | None:
    values = _fields(element)
    if kind == "wp:category":
        term = Term(
            taxonomy="category",
            slug=values.get("wp:category_nicename", ""),
            name=values.get("wp:cat_name", ""),
            parent_slug=values.get("wp:category_parent", ""),
            description=values.get("wp:category_description", ""),
        )
    elif kind == "wp:tag":
        term = Term(
            taxonomy="post_tag",
            slug=values.get("wp:tag_slug", ""),
            name=values.get("wp:tag_name", ""),
            description=values.get("wp:tag_description", ""),
        )
    else:
        term = Term(
            taxonomy=values.get("wp:term_taxonomy", ""),
            slug=values.get("wp:term_slug", ""),
            name=values.get("wp:term_name", ""),
            parent_slug=values.get("wp:term_parent", ""),
            description=values.get("wp:term_description", ""),
        )
    term.term_id = values.get("wp:term_id", "")
    return term if term.slug or term.name else None


def _comment(element) -> Comment | None:
    values = _fields(element)
    comment_id = values.get("wp:comment_id", "")
    if not comment_id:
        return None
    return Comment(
        comment_id=comment_id,
        parent_id=values.get("wp:comment_parent", "") or "0",
        author=values.get("wp:comment_author", ""),
        email=values.get("wp:comment_author_email", ""),
        url=values.get("wp:comment_author_url", ""),
        ip=values.get("wp:comment_author_IP", ""),
        date=values.get("wp:comment_date", ""),
        date_gmt=values.get("wp:comment_date_gmt", ""),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "1"),
        type=values.get("wp:comment_type", ""),
        user_id=values.get("wp:comment_user_id", ""),
    )


def _post(element) -> Post | None:
    values: dict[str, str] = {}
    terms, meta, comments = [], {}, []
    for child in element:
        name = _name(child.tag)
        if name == "category":
            slug = child.get("nicename") or ""
            terms.append((child.get("domain") or "category", slug, _text(child)))
        elif name == "wp:postmeta":
            pair = {_name(part.tag): part.text or "" for part in child}
            if key := pair.get("wp:meta_key", "").strip():
                meta[key] = pair.get("wp:meta_value", "")  # as written: not stripped
        elif name == "wp:comment":
            if comment := _comment(child):
                comments.append(comment)
        else:
            values.setdefault(name, _text(child))
    post_id = values.get("wp:post_id", "")
    if not post_id:
        return None
    return Post(
        post_id=post_id,
        post_type=values.get("wp:post_type", "") or "post",
        title=values.get("title", ""),
        link=values.get("link", ""),
        guid=values.get("guid", ""),
        pub_date=values.get("pubDate", ""),
        creator=values.get("dc:creator", "") or values.get("wp:author", ""),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date=values.get("wp:post_date", ""),
        date_gmt=values.get("wp:post_date_gmt", ""),
        comment_status=values.get("wp:comment_status", "") or "open",
        name=values.get("wp:post_name", ""),
        status=values.get("wp:status", "") or "publish",
        parent_id=values.get("wp:post_parent", "") or "0",
        menu_order=values.get("wp:menu_order", "") or "0",
        password=values.get("wp:post_password", ""),
        attachment_url=values.get("wp:attachment_url", ""),
        terms=terms,
        meta=meta,
        comments=comments,
    )


_SITE_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}


class _ReadCounter:
    """A file wrapper that reports how many bytes have been read, for a progress bar."""

    def __init__(self, stream: BinaryIO, on_read: Callable[[int], None]) -> None:
        self._stream = stream
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._on_read(len(data))
        return data


def _check_site(site: Site) -> None:
    if not site.wxr_version:
        raise WXRError(
            "This does not look like a WordPress export: the file has no "
            "<wp:wxr_version>. Export it again from WordPress (Tools → Export)."
        )
    if site.wxr_version not in SUPPORTED_VERSIONS:
        raise WXRError(
            f"Unsupported WXR version {site.wxr_version[:20]!r}: Byline reads versions "
            f"{', '.join(sorted(SUPPORTED_VERSIONS))}."
        )


def read_wxr(stream: BinaryIO, *, on_read: Callable[[int], None] | None = None) -> Iterator[Record]:
    """Yield the export's `Site` first, then its authors, terms and items in file order.

    Raises `WXRError` for a file that is unsafe, not well-formed, or not a WXR export;
    records already yielded before that point must then be thrown away by the caller."""
    source = _ReadCounter(stream, on_read) if on_read else stream
    events = iterparse(source, events=("start", "end"), forbid_dtd=True)
    site = Site()
    site_sent = False
    depth = 0
    channel = None
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    raise WXRError(
                        "This is not a WordPress export: its root element is "
                        f"<{_name(element.tag)[:40]}>, not <rss>."
                    )
                if depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            name = _name(element.tag)
            record: Record | None = None
            if name in _SITE_FIELDS:
                setattr(site, _SITE_FIELDS[name], _text(element))
            elif name == "wp:author":
                record = _author(element)
            elif name in ("wp:category", "wp:tag", "wp:term"):
                record = _term(element, name)
            elif name == "item":
                record = _post(element)
            channel.remove(element)
            if record is None:
                continue
            if not site_sent:
                _check_site(site)
                site_sent = True
                yield site
            yield record
    except DTDForbidden as error:
        raise WXRError(
            "Refused: the file contains a document type declaration (<!DOCTYPE …>). "
            "WordPress never writes one, and it is how XML external entity (XXE) and "
            "entity-expansion (“billion laughs”) attacks work. Nothing was imported."
        ) from error
    except DefusedXmlException as error:
        raise WXRError(
            f"Refused: the file declares XML entities or external references ({error}). "
            "Nothing was imported."
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":", 1)[0]
        raise WXRError(
            f"The file is not well-formed XML ({reason} at line {line}, column {column}): "
            "it may be truncated or damaged. Nothing was imported; export it again."
        ) from error
    if channel is None:
        raise WXRError("This is not a WordPress export: it has no <channel>.")
    if not site_sent:
        _check_site(site)
        yield site
