"""The learning spam filter, stored in the database: what it was taught (`SpamWord`,
`SpamTally`), scoring a new comment, and teaching it from moderators' decisions and from
labelled files. The arithmetic is in `spam.py`."""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from byline.comments.models import Comment, ModerationSettings, SpamTally, SpamWord
from byline.comments.spam import Evidence, Score, comment_features, spam_score

# Longer comments are judged on their beginning: enough to tell, and a bounded query.
FEATURE_TEXT_LIMIT = 3000
_CHUNK = 900

SPAM, HAM = "spam", "ham"


def features_of(*, body: str, name: str = "", url: str = "", email: str = "") -> set[str]:
    return comment_features(body=body[:FEATURE_TEXT_LIMIT], name=name, url=url, email=email)


def comment_features_of(comment: Comment) -> set[str]:
    return features_of(
        body=comment.body, name=comment.author_name, url=comment.author_url,
        email=comment.author_email,
    )  # fmt: skip


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def spam_filter_evidence(features: set[str]) -> Evidence:
    tally = SpamTally.objects.filter(pk=1).first() or SpamTally()
    counts: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(sorted(features)):
        for word, spam, ham in SpamWord.objects.filter(word__in=chunk).values_list(
            "word", "spam", "ham"
        ):
            counts[word] = (spam, ham)
    return Evidence(
        spam_comments=tally.spam_comments,
        ham_comments=tally.ham_comments,
        spam_features=tally.spam_features,
        ham_features=tally.ham_features,
        vocabulary=tally.vocabulary,
        counts=counts,
    )


def spam_filter_is_active(*, rules: ModerationSettings, evidence: Evidence) -> bool:
    """Neutral until it was taught enough decisions, with both kinds among them."""
    return (
        rules.spam_filter
        and evidence.spam_comments > 0
        and evidence.ham_comments > 0
        and evidence.trained >= rules.spam_filter_min_decisions
    )


def spam_filter_score(
    *, rules: ModerationSettings, body: str, name: str, url: str, email: str
) -> Score | None:
    """The filter's score for a new comment, or None while it is off or still learning."""
    if not rules.spam_filter:
        return None
    features = features_of(body=body, name=name, url=url, email=email)
    evidence = spam_filter_evidence(features)
    if not spam_filter_is_active(rules=rules, evidence=evidence):
        return None
    return spam_score(features, evidence)


def spam_filter_learn(examples: Iterable[tuple[set[str], bool]], *, sign: int = 1) -> int:
    """Teach (sign=1) or unteach (sign=-1) the filter comments given as (features,
    is_spam); return how many. The counts are added up in memory first, then each chunk of
    features is locked in a fixed order, read and written back, in one transaction."""
    spam_counts: Counter[str] = Counter()
    ham_counts: Counter[str] = Counter()
    totals = Counter()
    for features, is_spam in examples:
        (spam_counts if is_spam else ham_counts).update(features)
        totals["spam_comments" if is_spam else "ham_comments"] += 1
        totals["spam_features" if is_spam else "ham_features"] += len(features)
    words = sorted(spam_counts.keys() | ham_counts.keys())
    with transaction.atomic():
        new = 0
        for chunk in _chunks(words):
            known = {
                word.word: word
                for word in SpamWord.objects.select_for_update()
                .filter(word__in=chunk)
                .order_by("word")
            }
            changed, created = [], []
            for word in chunk:
                row = known.get(word)
                if row is None:
                    if sign < 0:
                        continue
                    row = SpamWord(word=word)
                    created.append(row)
                else:
                    changed.append(row)
                row.spam = max(row.spam + sign * spam_counts[word], 0)
                row.ham = max(row.ham + sign * ham_counts[word], 0)
            SpamWord.objects.bulk_update(changed, ["spam", "ham"], batch_size=500)
            SpamWord.objects.bulk_create(created, batch_size=500)
            new += len(created)
        SpamTally.objects.get_or_create(pk=1)
        SpamTally.objects.filter(pk=1).update(
            vocabulary=F("vocabulary") + new,
            **{
                name: Greatest(F(name) + sign * totals[name], 0)
                for name in ("spam_comments", "ham_comments", "spam_features", "ham_features")
            },
        )
    return totals["spam_comments"] + totals["ham_comments"]


def spam_filter_teach(*, comment: Comment, label: str) -> None:
    """A moderator decided `comment` is spam or ham: teach the filter, replacing what an
    earlier, opposite decision on the same comment taught it."""
    if comment.trained_as == label:
        return
    features = comment_features_of(comment)
    with transaction.atomic():
        if comment.trained_as:
            spam_filter_learn([(features, comment.trained_as == SPAM)], sign=-1)
        spam_filter_learn([(features, label == SPAM)])
        Comment.objects.filter(pk=comment.pk).update(trained_as=label)
        comment.trained_as = label


def spam_filter_forget_all() -> None:
    """Start over, neutral (the admin's and `byline spam reset`'s)."""
    with transaction.atomic():
        SpamWord.objects.all().delete()
        SpamTally.objects.all().delete()
        Comment.objects.exclude(trained_as="").update(trained_as="")
