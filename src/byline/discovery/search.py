"""Full-text search of the published articles, on the database in use: SQLite's FTS5, or
PostgreSQL's full-text search with a GIN index. Both get the same parsed query
(`byline.discovery.query`), rank a match in the title above a match in the body, stem
English words (Porter on SQLite, Snowball on PostgreSQL) and mark the matched words in
the title and in a snippet of the body.

The index follows every save of an article, after its transaction commits
(`byline.discovery.signals`); `search_index_rebuild()` builds it anew from the articles.
"""

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from byline.articles.models import Article
from byline.articles.rendering import plain_text
from byline.discovery.models import SearchEntry, SearchWord
from byline.discovery.query import STOP_WORDS, ParsedQuery, Term

# The database marks matches with these two characters; they are removed from indexed
# text, so that after HTML-escaping the rest they safely become <mark> and </mark>.
MARK_START, MARK_END = "\x02", "\x03"
_MARKERS = str.maketrans("", "", MARK_START + MARK_END)
SNIPPET_WORDS = 30
MAX_PAGE = 50  # results are ranked; past page 50 a reader should refine the query
# A query matching more articles than this ranks the ones most recently added (highest
# ids: the order FTS5 and the primary key give for free): the cost of ranking stays
# bounded (a word in most articles would otherwise rank 60,000 rows of 100,000), and on
# a news site recent matches are the ones a reader is after.
CANDIDATES = 1000
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")
PUBLIC_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


@dataclass
class SearchHit:
    article: Article
    title_html: SafeString  # the title with the matched words in <mark>
    snippet_html: SafeString  # a passage of the body, matches in <mark>


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[SearchHit]
    page: int
    has_next: bool
    # When nothing matched and a spelling fix does: the fixed query, whose hits are shown.
    corrected: ParsedQuery | None = None


def _marked(text: str) -> SafeString:
    escaped = html.escape(text, quote=False)
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


# --- the index --------------------------------------------------------------------------


def _entry_text(article: Article) -> tuple[str, str]:
    title = article.title.translate(_MARKERS)
    body = plain_text(article.body_html).translate(_MARKERS)
    return title, body


def _vocabulary(texts: Iterable[str]) -> set[str]:
    return {w for text in texts for w in _VOCABULARY_WORD.findall(text.lower())} - STOP_WORDS


def search_entry_update(*, article_id: int) -> None:
    """Index one article as it is now (or drop it from the index if it is a draft or gone)."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None or article.status == Article.Status.DRAFT:
        SearchEntry.objects.filter(article_id=article_id).delete()
        return
    title, body = _entry_text(article)
    with transaction.atomic():
        SearchEntry.objects.update_or_create(
            article_id=article_id, defaults={"title": title, "body": body}
        )
        _vocabulary_add(_vocabulary([title, body]))


def _vocabulary_add(words: set[str]) -> None:
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in words], ignore_conflicts=True, batch_size=500
    )


def search_index_rebuild(*, batch_size: int = 500) -> int:
    """Index every article that is not a draft, from scratch; the number indexed."""
    indexed = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        articles = (
            Article.objects.exclude(status=Article.Status.DRAFT)
            .only("id", "title", "body_html")
            .order_by("id")
        )
        batch: list[SearchEntry] = []
        for article in articles.iterator(chunk_size=batch_size):
            title, body = _entry_text(article)
            batch.append(SearchEntry(article_id=article.pk, title=title, body=body))
            if len(batch) >= batch_size:
                indexed += _index_batch(batch)
                batch = []
        indexed += _index_batch(batch)
        search_index_compact()
    return indexed


def search_index_compact() -> None:
    """Merge the index's parts into one, after a bulk load.

    FTS5 adds each batch of rows as a new segment of its index and merges only some of
    them as it goes; a search then looks every word up in each segment. After 100,000
    articles added in batches, marking ten results' matches read the common word's
    entries in every segment (1.0 ms instead of 0.3). PostgreSQL's GIN index keeps new
    entries in a pending list that every search reads through until it is merged."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT gin_clean_pending_list('discovery_searchentry_document_idx')")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO discovery_search_fts(discovery_search_fts) VALUES ('optimize')"
            )


def search_entries_add(
    *, entries: list[tuple[int, str, str]], words: Iterable[str] | None = None
) -> int:
    """Index new articles in bulk: (article id, title, plain text of the body) each, for
    generated or imported data that saves no Article one by one. `words`, when the caller
    knows them, are the articles' vocabulary; otherwise it is read from their text."""
    batch = [
        SearchEntry(article_id=pk, title=title.translate(_MARKERS), body=body.translate(_MARKERS))
        for pk, title, body in entries
    ]
    SearchEntry.objects.bulk_create(batch)
    if words is None:
        _vocabulary_add(_vocabulary(text for entry in batch for text in (entry.title, entry.body)))
    else:
        known = {word.lower() for word in words if _VOCABULARY_WORD.fullmatch(word)}
        _vocabulary_add(known - STOP_WORDS)
    return len(batch)


def _index_batch(batch: list[SearchEntry]) -> int:
    SearchEntry.objects.bulk_create(batch)
    _vocabulary_add(_vocabulary(text for entry in batch for text in (entry.title, entry.body)))
    return len(batch)


# --- the backends -----------------------------------------------------------------------


class _SQLiteSearch:
    """FTS5 (`discovery_search_fts`, an external-content table over SearchEntry), ranked
    by BM25 with the title weighted ten times the body."""

    @staticmethod
    def _term(term: Term) -> str:
        # Words are letters and digits only (query.WORD), so quoting them is enough.
        quoted = '"' + " ".join(term.words) + '"'
        return quoted + " *" if term.is_prefix else quoted

    def match_expression(self, query: ParsedQuery, *, any_term: bool = False) -> str:
        joiner = " OR " if any_term else " AND "
        expression = "(" + joiner.join(self._term(t) for t in query.include) + ")"
        for term in query.exclude:
            expression += f" NOT {self._term(term)}"
        return expression

    def ranked_ids(self, match: str, *, limit: int, offset: int, exclude_id: int = 0) -> list:
        # The last-added CANDIDATES matches (FTS5 walks its doclists by rowid, the article's
        # id), then BM25 among them, then the published ones only.
        sql = """
            WITH candidates AS (
                SELECT rowid AS id, bm25(discovery_search_fts, 10.0, 1.0) AS score
                FROM discovery_search_fts WHERE discovery_search_fts MATCH %s
                ORDER BY rowid DESC LIMIT %s
            )
            SELECT c.id FROM candidates AS c JOIN articles_article AS a ON a.id = c.id
            WHERE a.status IN (%s, %s) AND a.published_at <= %s AND a.id <> %s
            ORDER BY c.score, a.published_at DESC, a.id DESC
            LIMIT %s OFFSET %s
        """
        params = [match, CANDIDATES, *PUBLIC_STATUSES, timezone.now(), exclude_id]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def search(self, query: ParsedQuery, *, limit: int, offset: int) -> list[tuple]:
        # Rank first, then mark only the page's rows: snippet() is costly.
        match = self.match_expression(query)
        ids = self.ranked_ids(match, limit=limit, offset=offset)
        if not ids:
            return []
        marked = f"""
            SELECT rowid,
                   highlight(discovery_search_fts, 0, %s, %s),
                   snippet(discovery_search_fts, 1, %s, %s, '…', {SNIPPET_WORDS})
            FROM discovery_search_fts
            WHERE discovery_search_fts MATCH %s AND rowid IN ({", ".join(["%s"] * len(ids))})
        """  # noqa: S608 - only constants and placeholders are formatted in
        with connection.cursor() as cursor:
            cursor.execute(marked, [MARK_START, MARK_END, MARK_START, MARK_END, match, *ids])
            rows = {row[0]: row for row in cursor.fetchall()}
        return [rows[pk] for pk in ids if pk in rows]

    def similar(self, query: ParsedQuery, *, exclude_id: int, limit: int) -> list[int]:
        match = self.match_expression(query, any_term=True)
        return self.ranked_ids(match, limit=limit, offset=0, exclude_id=exclude_id)


class _PostgresSearch:
    """`discovery_searchentry.document`, a generated tsvector (title weight A, body B)
    with a GIN index, ranked by ts_rank with the title weighted ten times the body."""

    CONFIG = "english"
    WEIGHTS = "{0.01, 0.02, 0.1, 1.0}"  # D, C, B (body), A (title)

    def _term(self, term: Term, params: list) -> str:
        if term.is_prefix:
            params.append(f"{term.words[0]}:*")  # letters and digits only: a safe lexeme
            return "to_tsquery(%s::regconfig, %s)"
        params.append(" ".join(term.words))
        function = "phraseto_tsquery" if term.is_phrase else "plainto_tsquery"
        return f"{function}(%s::regconfig, %s)"

    def tsquery(self, query: ParsedQuery, params: list, *, any_term: bool = False) -> str:
        parts = []
        for term in query.include:
            params.append(self.CONFIG)
            parts.append(self._term(term, params))
        expression = "(" + (" || " if any_term else " && ").join(parts) + ")"
        for term in query.exclude:
            params.append(self.CONFIG)
            expression += f" && !!{self._term(term, params)}"
        return expression

    def _ranked(
        self,
        query: ParsedQuery,
        params: list,
        *,
        limit: int,
        offset: int,
        exclude_id: int = 0,
        any_term: bool = False,
    ) -> str:
        """SQL for the page of ranked rows: like FTS5, the last-added CANDIDATES matches,
        then ts_rank among them (ts_rank reads the whole tsvector: never for every
        match), then the published ones only.

        The candidates' tsquery is written into their own query, not read from a CTE:
        the planner then sees the words (psycopg binds parameters client-side) and
        estimates from the column's statistics how many rows match. A common word
        walks the primary key backwards and stops at the CANDIDATES-th match (about
        1,300 rows read for a word in 3 articles in 4); a rare one reads its few
        matches from the GIN index. From a CTE it could not tell them apart, and
        collected every match's id from the GIN index, then sorted them all."""
        candidates = self.tsquery(query, params, any_term=any_term)
        params.append(CANDIDATES)
        ranking = self.tsquery(query, params, any_term=any_term)
        params += [self.WEIGHTS, *PUBLIC_STATUSES, timezone.now(), exclude_id, limit, offset]
        return f"""
            WITH candidates AS MATERIALIZED (
                SELECT s.article_id FROM discovery_searchentry AS s
                WHERE s.document @@ ({candidates})
                ORDER BY s.article_id DESC LIMIT %s
            ),
            q AS MATERIALIZED (SELECT {ranking} AS query),
            ranked AS (
                SELECT c.article_id, a.published_at,
                       ts_rank(%s::float4[], s.document, q.query) AS rank
                FROM candidates AS c
                JOIN discovery_searchentry AS s ON s.article_id = c.article_id
                JOIN articles_article AS a ON a.id = c.article_id, q
                WHERE a.status IN (%s, %s) AND a.published_at <= %s AND a.id <> %s
                ORDER BY rank DESC, a.published_at DESC, a.id DESC
                LIMIT %s OFFSET %s
            )
        """  # noqa: S608 - only our own SQL is formatted in; the reader's text is a parameter

    def search(self, query: ParsedQuery, *, limit: int, offset: int) -> list[tuple]:
        params: list = []
        ranked = self._ranked(query, params, limit=limit, offset=offset)
        options = f"StartSel={MARK_START}, StopSel={MARK_END}"
        sql = f"""{ranked}
            SELECT r.article_id,
                   ts_headline(%s::regconfig, s.title, q.query, %s),
                   ts_headline(%s::regconfig, s.body, q.query, %s)
            FROM ranked AS r
            JOIN discovery_searchentry AS s ON s.article_id = r.article_id, q
            ORDER BY r.rank DESC, r.published_at DESC, r.article_id DESC
        """  # noqa: S608 - only our own SQL is formatted in
        params += [self.CONFIG, f"HighlightAll=true, {options}"]
        params += [
            self.CONFIG,
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, {options}",
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def similar(self, query: ParsedQuery, *, exclude_id: int, limit: int) -> list[int]:
        params: list = []
        ranked = self._ranked(
            query, params, limit=limit, offset=0, exclude_id=exclude_id, any_term=True
        )
        page = "SELECT article_id FROM ranked ORDER BY rank DESC, published_at DESC"
        sql = ranked + page
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _backend() -> _SQLiteSearch | _PostgresSearch:
    if connection.vendor == "postgresql":
        return _PostgresSearch()
    if connection.vendor == "sqlite":
        return _SQLiteSearch()
    raise NotImplementedError(f"search needs SQLite or PostgreSQL, not {connection.vendor}")


# --- reading ----------------------------------------------------------------------------


def _hits(query: ParsedQuery, *, page: int, per_page: int) -> tuple[list[SearchHit], bool]:
    rows = _backend().search(query, limit=per_page + 1, offset=(page - 1) * per_page)
    has_next = len(rows) > per_page and page < MAX_PAGE
    rows = rows[:per_page]
    articles = Article.objects.published().for_listing().in_bulk([row[0] for row in rows])
    hits = [
        SearchHit(article=articles[pk], title_html=_marked(title), snippet_html=_marked(snippet))
        for pk, title, snippet in rows
        if pk in articles  # unpublished between the two queries
    ]
    return hits, has_next


def search_articles(*, query: ParsedQuery, page: int = 1, per_page: int = 10) -> SearchResults:
    """One page of the published articles matching `query`, best first. When nothing
    matches, misspelt words are corrected from the indexed vocabulary, and the corrected
    query's results are given with `corrected` set."""
    page = max(1, min(page, MAX_PAGE))
    if not query.is_searchable:
        return SearchResults(query=query, hits=[], page=page, has_next=False)
    hits, has_next = _hits(query, page=page, per_page=per_page)
    if hits or page > 1:
        return SearchResults(query=query, hits=hits, page=page, has_next=has_next)
    corrections = spelling_corrections(query.plain_words())
    if corrections:
        corrected = query.replaced(corrections)
        hits, has_next = _hits(corrected, page=1, per_page=per_page)
        if hits:
            return SearchResults(query, hits, page, has_next, corrected=corrected)
    return SearchResults(query=query, hits=[], page=page, has_next=False)


def spelling_corrections(words: list[str]) -> dict[str, str]:
    """For each word that no indexed article contains, the closest one that some do
    (same first letter, a similar spelling); words without a close one are left out."""
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    corrections = {}
    for word in words:
        if word in known or len(word) < 3 or not word.isalpha():
            continue
        first = word[0]
        candidates = SearchWord.objects.filter(
            word__gte=first, word__lt=chr(ord(first) + 1)
        ).values_list("word", flat=True)
        close = [c for c in candidates.iterator() if abs(len(c) - len(word)) <= 2]
        if match := difflib.get_close_matches(word, close, n=1, cutoff=0.75):
            corrections[word] = match[0]
    return corrections


def similar_article_ids(*, article: Article, limit: int) -> list[int]:
    """Published articles whose text is closest to `article`'s title words, best first."""
    words = [w for w in dict.fromkeys(_VOCABULARY_WORD.findall(article.title.lower()))]
    terms = [Term((w,)) for w in words if w not in STOP_WORDS][:8]
    if not terms:
        return []
    query = ParsedQuery(text=article.title, include=terms)
    return _backend().similar(query, exclude_id=article.pk, limit=limit)
