"""The moderation policy: given a new comment and the site's rules, which state it starts
in and why. Pure functions; the one database question ("has this author been approved
before?") is asked by the caller and passed in."""

import re
from dataclasses import dataclass

from byline.comments.models import Comment, ModerationSettings

# WordPress's own link count: every "//" of a URL, with an href= before it counted once.
_LINK = re.compile(r"""(href\s*=\s*['"]?)?(https?:)?//""", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def find_listed_word(words: list[str], *fields: str) -> str | None:
    haystack = "\n".join(fields).lower()
    return next((word for word in words if word in haystack), None)


def moderate(
    *,
    rules: ModerationSettings,
    body: str,
    name: str,
    email: str,
    url: str,
    ip: str,
    user_agent: str,
    honeypot: str,
    approved_before: bool,
) -> Verdict:
    """WordPress's rules, in its order, with a honeypot in front."""
    if honeypot:
        return Verdict(Comment.Status.SPAM, "honeypot field filled in")
    fields = (body, name, email, url, ip, user_agent)
    if word := find_listed_word(rules.word_list(rules.disallowed_words), *fields):
        return Verdict(Comment.Status.TRASH, f"disallowed word: {word}")
    if rules.max_links and (links := count_links(body)) >= rules.max_links:
        return Verdict(Comment.Status.PENDING, f"{links} links")
    if word := find_listed_word(rules.word_list(rules.moderation_words), *fields):
        return Verdict(Comment.Status.PENDING, f"moderation word: {word}")
    if rules.hold_all:
        return Verdict(Comment.Status.PENDING, "every comment is held")
    if rules.require_previous_approval and not approved_before:
        return Verdict(Comment.Status.PENDING, "first comment from this author")
    if rules.require_previous_approval:
        return Verdict(Comment.Status.APPROVED, "previously approved author")
    return Verdict(Comment.Status.APPROVED, "no rule held it")
