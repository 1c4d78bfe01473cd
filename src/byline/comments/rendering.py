"""A comment's text to safe HTML, once, when it is saved. Readers may use the few inline
tags WordPress allows in comments; everything else is dropped or escaped."""

import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s", "strike",
    "strong",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def render_comment(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        clean = nh3.clean(
            chunk.strip(),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https"},
            link_rel="nofollow ugc noopener",
        )
        if clean:
            paragraphs.append("<p>" + clean.replace("\n", "<br>\n") + "</p>")
    return "\n".join(paragraphs)
