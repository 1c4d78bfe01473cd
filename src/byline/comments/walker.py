"""The comment list of an article page as compact HTML, built in Python: a template tag
per comment made the list both the heaviest part of the page (about 780 bytes a comment)
and the slowest to render. Every value that comes from a commenter goes through
`escape()`; `body_html` was made safe when the comment was saved.

One comment (the CSS in static/byline/site.css and comment-reply.js read this markup):

    <li id=comment-7 class=comment-held><b class=c5 data-i=AR>Ada Reader</b>
    <a href=#comment-7><time>2015-01-12 10:10</time></a>
    <p class=comment-awaiting-moderation>Your comment is awaiting moderation.</p>BODY_HTML
    <a href="?replytocom=7#respond" aria-label="Reply to Ada Reader">Reply</a>
    <a href=/comments/7/report/>Report</a></li>

`class=comment-held` and the "awaiting moderation" note only on the reader's own held
comment, which has no Reply or Report link; replies follow in a nested `<ol>` before the `</li>`.
"""

import re
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from byline.authors.avatars import colour_index, initials
from byline.comments.selectors import ThreadItem

GRAVATAR = "https://www.gravatar.com/avatar/"
_BARE = re.compile(r"[A-Za-z0-9_.:/#-]+")  # safe as an unquoted attribute value


def attr(value: object) -> str:
    """An attribute value, escaped, quoted only when it has to be."""
    text = str(value)
    return text if _BARE.fullmatch(text) else f'"{escape(text)}"'


def _avatar_and_name(comment) -> str:
    name = escape(comment.author_name)
    website = comment.website
    if website:
        name = f'<a href="{escape(website)}" rel="nofollow ugc">{name}</a>'
    digest = getattr(comment, "avatar_hash", None)
    if digest:
        # Gravatar, when the operator turned it on: a hash of the address, never the address.
        return (
            f'<img class=g src="{GRAVATAR}{escape(digest)}?s=96&amp;d=identicon" alt="" '
            f"width=40 height=40 loading=lazy referrerpolicy=no-referrer><b>{name}</b>"
        )
    # The initials badge is drawn by CSS from data-i (b[data-i]::before), hidden from
    # screen readers, which read the name that follows.
    return (
        f"<b class=c{colour_index(comment.author_name)} "
        f"data-i={attr(initials(comment.author_name))}>{name}</b>"
    )


def _date(comment) -> str:
    """The permalink: the date and time in the site's time zone, in a form that is both
    short to read and a valid <time> content, so it needs no datetime attribute."""
    shown = f"{timezone.localtime(comment.created_at):%Y-%m-%d %H:%M}"
    return f"<a href=#comment-{comment.pk}><time>{shown}</time></a>"


def comment_list_html(items: Iterable[ThreadItem]) -> str:
    """The `<li>`s of the thread (without the outer `<ol>`), nested as `items` say."""
    report_url = reverse("comments:report", args=[0]).replace("/0/", "/{}/")
    out: list[str] = []
    for item in items:
        comment = item.comment
        pk = int(comment.pk)
        held = " class=comment-held" if item.is_held else ""
        out.append(f"<li id=comment-{pk}{held}>{_avatar_and_name(comment)} {_date(comment)}")
        if item.is_held:
            out.append(
                "<p class=comment-awaiting-moderation>Your comment is awaiting moderation.</p>"
            )
        out.append(comment.body_html)
        if item.can_reply:
            label = escape(f"Reply to {comment.author_name}")
            out.append(f'\n<a href="?replytocom={pk}#respond" aria-label="{label}">Reply</a>')
        if not item.is_held:
            # No rel=nofollow: robots.txt keeps crawlers out of /comments/.
            out.append(f" <a href={attr(report_url.format(pk))}>Report</a>")
        if item.has_children:
            out.append("\n<ol>")
        else:
            out.append("</li>")
            out.append("</ol></li>" * len(item.closes))
        out.append("\n")
    return "".join(out)
