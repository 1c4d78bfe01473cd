"""The learning spam filter's arithmetic: a comment's features, and how likely it is to
be spam given what the filter was taught. Pure functions: the counts are read and written
by the caller (`services`), so the same code scores a comment on the site and in the
evaluation script (`bench/spam_eval.py`).

The method is naive Bayes with a multinomial event model (the one that did best of the
simple, incrementally trainable methods on the YouTube spam collection, see
bench/RESULTS.md): each feature has a count in spam and in legitimate comments; a
comment's score is the log-likelihood ratio of its features under the two classes,
Laplace-smoothed, squashed into 0 (legitimate) … 1 (spam). It starts neutral (0.5, no
evidence) and each moderator's decision adds one comment's features to one side.
"""

import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Laplace smoothing: each feature is counted as if seen SMOOTHING more times.
SMOOTHING = 0.3
# The log-likelihood ratio is divided by this before the logistic squash, so that the
# score spreads over 0…1 (a ratio of e^SCALE to 1 scores 0.73) instead of sitting at 0 or 1.
# With 13.3 the default spam threshold (0.9) falls where, on the corpus's held-out files,
# at most 2% of legitimate comments score above it (bench/RESULTS.md).
SCALE = 13.3
# The lengths of the character pieces taken from each whitespace-separated token.
PIECE_SIZES = (2, 3, 4)
MAX_FEATURE_LENGTH = 100

_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(
    r"""(?:https?://|www\.)[^\s<>"']+"""
    r"""|\b(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|ru|ly|me|tv|co|io|us|uk|de|in)\b(?:/[^\s<>"']*)?""",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_](?:[\w$€£%'\u2019-]*[^\W_%'\u2019-])?")
_TOKEN = re.compile(r"\w+")
_LONG = 20


def _domain(address: str) -> str:
    if "://" not in address:
        address = "http://" + address
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _bucket(number: int) -> int:
    """0, 1, 2, 3-4, 5-8, 9-16, …: lengths and counts by order of magnitude."""
    return 0 if number <= 0 else number.bit_length()


def comment_features(*, body: str, name: str = "", url: str = "", email: str = "") -> set[str]:
    """The features the filter weighs: the comment's words, word pairs and triples, the 2-
    to 4-character pieces of what it typed (which survive misspellings like "y0utube"), the sites it
    links to, and a few facts about its shape and its author's details. A set: a feature
    counts once per comment, however often it occurs."""
    text = html.unescape(body.replace("\ufeff", ""))
    features: set[str] = set()

    links = _URL.findall(text)
    for link in links:
        if domain := _domain(link):
            features.add(f"link:{domain}")
    features.add(f"links:{min(len(links), 3)}")
    if re.search(r"<a\s", text, re.IGNORECASE):
        features.add("html:a")

    plain = _URL.sub(" ", _TAG.sub(" ", text))
    words = [word.lower() for word in _WORD.findall(plain)]
    previous = None
    for word in words:
        if len(word) > _LONG:
            features.add(f"long:{word[:4]}")
            previous = None
            continue
        features.add(word)
        if previous:
            features.add(f"{previous} {word}")
        previous = word
    # Triples over everything typed, links and markup included ("like this comment",
    # "check out my", "a href http").
    tokens = _TOKEN.findall(text.lower())
    features.update(" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2))

    for piece in text.lower().split():
        padded = f" {piece} "
        for size in PIECE_SIZES:
            features.update(f"~{padded[i : i + size]}" for i in range(len(padded) - size + 1))

    letters = [char for char in plain if char.isalpha()]
    features.add(f"length:{_bucket(len(words))}")
    if len(letters) >= 10 and sum(char.isupper() for char in letters) / len(letters) > 0.5:
        features.add("shape:shouting")
    if "!!" in text:
        features.add("shape:!!")
    if "?" in text:
        features.add("shape:question")

    for part in name.lower().split():
        features.add(f"name:{part}")
    if any(char.isdigit() for char in name):
        features.add("name:has-digits")
    if url:
        features.add("website")
        features.add(f"website:{_domain(url)}")
    if "@" in email:
        features.add(f"email:{email.rsplit('@', 1)[1].lower()}")
    return {feature[:MAX_FEATURE_LENGTH] for feature in features}


@dataclass
class Evidence:
    """What the filter knows: how many spam and legitimate comments it was taught, how many
    features those had in all, how many distinct features it has seen, and, for the
    features of the comment at hand, in how many spam and legitimate comments each was."""

    spam_comments: int = 0
    ham_comments: int = 0
    spam_features: int = 0
    ham_features: int = 0
    vocabulary: int = 0
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # feature: (spam, ham)

    @property
    def trained(self) -> int:
        return self.spam_comments + self.ham_comments


@dataclass(frozen=True)
class Score:
    probability: float  # 0: legitimate … 0.5: no evidence … 1: spam
    clues: tuple[tuple[str, float], ...]  # the most telling features and their weight

    def describe(self, count: int = 3) -> str:
        return ", ".join(f"{feature.strip()!r}" for feature, _ in self.clues[:count])


def spam_score(features: Iterable[str], evidence: Evidence) -> Score:
    """Multinomial naive Bayes over the features the filter has seen before."""
    if not evidence.spam_comments or not evidence.ham_comments:
        return Score(0.5, ())
    vocabulary = max(evidence.vocabulary, 1)
    spam_denominator = evidence.spam_features + SMOOTHING * vocabulary
    ham_denominator = evidence.ham_features + SMOOTHING * vocabulary
    ratio = math.log(evidence.spam_comments / evidence.ham_comments)
    clues = []
    for feature in set(features):
        spam, ham = evidence.counts.get(feature, (0, 0))
        if spam or ham:
            weight = math.log((spam + SMOOTHING) / spam_denominator) - math.log(
                (ham + SMOOTHING) / ham_denominator
            )
            ratio += weight
            clues.append((feature, weight))
    clues.sort(key=lambda clue: (-abs(clue[1]), clue[0]))
    probability = 1.0 / (1.0 + math.exp(-max(min(ratio / SCALE, 500.0), -500.0)))
    return Score(probability, tuple(clues[:10]))


def evidence_add(evidence: Evidence, features: set[str], *, is_spam: bool, sign: int = 1) -> None:
    """Teach (sign=1) or unteach (sign=-1) one comment, in memory: what `services` does in
    the database."""
    if is_spam:
        evidence.spam_comments += sign
        evidence.spam_features += sign * len(features)
    else:
        evidence.ham_comments += sign
        evidence.ham_features += sign * len(features)
    for feature in features:
        spam, ham = evidence.counts.get(feature, (0, 0))
        if not spam and not ham:
            evidence.vocabulary += 1
        if is_spam:
            spam = max(spam + sign, 0)
        else:
            ham = max(ham + sign, 0)
        evidence.counts[feature] = (spam, ham)
