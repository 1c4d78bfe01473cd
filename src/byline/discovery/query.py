"""What a reader typed into the search box, read into a small, safe query.

The grammar is the one readers know from search engines, and every backend gets the same
parsed query, so both give the same results for the same text:

- `xiaomi investment`: articles with every word (a word matches its other forms:
  "investing" finds "investment");
- `"lei jun"`: the words in this order;
- `xiao*`: words that start with "xiao" (two letters at least);
- `-samsung`: articles without the word.

Everything else (operators, brackets, colons, stray quotes) is read as plain text: a
query can never be a syntax error for the database. Only the first `MAX_QUERY_CHARS`
characters and `MAX_PARTS` parts are used. Common words ("the", "of") are ignored
outside phrases, as PostgreSQL's English dictionary ignores them."""

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200
MAX_PARTS = 10
MIN_PREFIX = 2
MAX_WORD = 40

# Letters and digits, as SQLite's unicode61 tokenizer splits text ("_" separates too).
WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')

# PostgreSQL's English stop words (snowball's list), so that SQLite skips the same ones.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can did do does doing don down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own s same she should so some such t than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with you your yours
    yourself yourselves""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    is_prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    text: str  # what was searched for, after cutting (shown back to the reader)
    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)
    was_cut: bool = False  # the query was longer than what is searched
    ignored: list[str] = field(default_factory=list)  # common words left out

    @property
    def is_searchable(self) -> bool:
        return bool(self.include)

    def plain_words(self) -> list[str]:
        """The single, whole words searched for: the ones a spelling fix may replace."""
        return [t.words[0] for t in self.include if not t.is_phrase and not t.is_prefix]

    def replaced(self, corrections: dict[str, str]) -> "ParsedQuery":
        """The same query with some plain words replaced (a spelling suggestion)."""

        def fix(term: Term) -> Term:
            if term.is_phrase or term.is_prefix or term.words[0] not in corrections:
                return term
            return Term((corrections[term.words[0]],))

        include = [fix(term) for term in self.include]
        text = " ".join(_display(term) for term in include)
        text += "".join(f" -{_display(term)}" for term in self.exclude)
        return ParsedQuery(text=text, include=include, exclude=list(self.exclude))


def _display(term: Term) -> str:
    if term.is_phrase:
        return '"' + " ".join(term.words) + '"'
    return term.words[0] + ("*" if term.is_prefix else "")


def _words(text: str) -> tuple[str, ...]:
    return tuple(word[:MAX_WORD] for word in WORD.findall(text.lower()))


def parse_query(raw: str) -> ParsedQuery:
    """Read what the reader typed; never fails, whatever the text."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    was_cut = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    parsed = ParsedQuery(text=text, was_cut=was_cut)
    seen: set[tuple[Term, bool]] = set()
    for match in _PART.finditer(text):
        negative = bool(match.group("neg"))
        if match.group("phrase") is not None:
            terms = [Term(w) for w in [_words(match.group("phrase"))] if w]
        else:
            raw_word = match.group("word")
            words = _words(raw_word)
            if len(words) == 1 and raw_word.endswith("*") and len(words[0]) >= MIN_PREFIX:
                terms = [Term(words, is_prefix=True)]
            else:  # "e-mail" is two words, as the index sees it
                terms = [Term((word,)) for word in words]
        for term in terms:
            if not term.is_phrase and not term.is_prefix and term.words[0] in STOP_WORDS:
                parsed.ignored.append(term.words[0])
                continue
            if (term, negative) in seen:
                continue
            if len(parsed.include) + len(parsed.exclude) >= MAX_PARTS:
                parsed.was_cut = True
                break
            seen.add((term, negative))
            (parsed.exclude if negative else parsed.include).append(term)
    return parsed
