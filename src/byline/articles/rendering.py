"""Markdown to safe HTML, done once when an article is saved, never on a page view.

Editors may mix HTML into their Markdown (as they did in WordPress), so the output of
markdown-it always goes through nh3 with an allow-list: no scripts, no event handlers, no
`javascript:` links, no inline styles, whoever wrote the source."""

import re
from html import unescape

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "code": {"class"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_LANGUAGE_CLASS = re.compile(r"^language-[\w+-]{1,30}$")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "code" and attribute == "class":
        return value if _LANGUAGE_CLASS.match(value) else None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer",
    )


def render_markdown(source: str) -> str:
    return sanitize_html(_markdown.render(source))


def plain_text(html: str) -> str:
    """The text of sanitised HTML, for excerpts and descriptions."""
    text = nh3.clean(html, tags=set())
    return " ".join(unescape(text).split())


def summarize(html: str, words: int = 55) -> str:
    """The first paragraph's text, cut at a word boundary."""
    first = html.split("</p>", 1)[0] if "</p>" in html else html
    parts = plain_text(first).split()
    summary = " ".join(parts[:words])
    return summary + "…" if len(parts) > words else summary
