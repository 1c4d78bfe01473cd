"""The moderation policy: given a new comment and the site's rules, which state it starts
in and why. Pure functions; the database questions (is this author trusted? what does the
learning filter say?) are asked by the caller and passed in."""

import re
from dataclasses import dataclass

from byline.comments.models import Comment, ModerationSettings
from byline.comments.spam import Score

# WordPress's own link count: every "//" of a URL, with an href= before it counted once.
_LINK = re.compile(r"""(href\s*=\s*['"]?)?(https?:)?//""", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    discard: bool = False  # obvious spam, not to be stored (when the site says so)


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def find_listed_word(words: list[str], *fields: str) -> str | None:
    haystack = "\n".join(fields).lower()
    return next((word for word in words if word in haystack), None)


def _fixed_rules(
    *, rules: ModerationSettings, fields: tuple[str, ...], body: str, honeypot: str,
    trusted: bool, trust_reason: str,
) -> Verdict:  # fmt: skip
    """WordPress's rules, in its order, with a honeypot in front."""
    if honeypot:
        return Verdict(Comment.Status.SPAM, "honeypot field filled in")
    if word := find_listed_word(rules.word_list(rules.disallowed_words), *fields):
        return Verdict(Comment.Status.TRASH, f"disallowed word: {word}")
    if rules.max_links and (links := count_links(body)) >= rules.max_links:
        return Verdict(Comment.Status.PENDING, f"{links} links")
    if word := find_listed_word(rules.word_list(rules.moderation_words), *fields):
        return Verdict(Comment.Status.PENDING, f"moderation word: {word}")
    if rules.hold_all:
        return Verdict(Comment.Status.PENDING, "every comment is held")
    if rules.require_previous_approval and not trusted:
        return Verdict(Comment.Status.PENDING, "first comment from this author")
    if rules.require_previous_approval:
        return Verdict(Comment.Status.APPROVED, trust_reason)
    return Verdict(Comment.Status.APPROVED, "no rule held it")


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
    trusted: bool,
    trust_reason: str = "previously approved author",
    spam: Score | None = None,
) -> Verdict:
    """The fixed rules first, then the learning filter (when it is active), which can only
    make a verdict stricter: a held or approved comment goes to spam at the spam score, an
    approved one is held at the hold score. The reason names the rule and the score."""
    verdict = _fixed_rules(
        rules=rules,
        fields=(body, name, email, url, ip, user_agent),
        body=body,
        honeypot=honeypot,
        trusted=trusted,
        trust_reason=trust_reason,
    )
    if spam is None or verdict.status in {Comment.Status.SPAM, Comment.Status.TRASH}:
        return verdict
    score = f"spam score {spam.probability:.2f}"
    if spam.probability >= rules.spam_threshold:
        clues = spam.describe()
        return Verdict(
            Comment.Status.SPAM,
            f"spam filter: {score}" + (f" ({clues})" if clues else ""),
            discard=rules.discard_spam and spam.probability >= rules.discard_threshold,
        )
    if spam.probability >= rules.hold_threshold and verdict.status == Comment.Status.APPROVED:
        return Verdict(Comment.Status.PENDING, f"spam filter: {score}, unsure")
    return Verdict(verdict.status, f"{verdict.reason}; {score}")
