"""A search costs the same whether a word is in ten articles or in ninety thousand: the
database stops at the newest CANDIDATES matches instead of collecting every match and
then keeping the newest (issue 8, flat scaling). bench/scaling.sh measures the page."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.articles.models import Article
from byline.cli import main
from byline.comments.worker import PERIODIC, periodic_jobs_run
from byline.discovery import search
from byline.discovery.query import parse_query
from byline.discovery.search import search_articles, search_entries_add
from tests.factories import AuthorFactory

MATCHING = 300
SMALL_CANDIDATES = 20


@pytest.fixture
def common_word(db, monkeypatch):
    """MATCHING published articles, every one with the word "tablet", indexed in bulk
    (as `byline bench-data` does); CANDIDATES is made small next to them."""
    monkeypatch.setattr(search, "CANDIDATES", SMALL_CANDIDATES)
    author = AuthorFactory()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Tablet review {n}",
            slug=f"tablet-review-{n}",
            author=author,
            body="A tablet.",
            body_html="<p>A tablet.</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=MATCHING - n),
        )
        for n in range(MATCHING)
    )
    articles = Article.objects.order_by("id").values_list("id", "title")
    search_entries_add(entries=[(pk, title, "A tablet, reviewed.") for pk, title in articles])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # statistics, as autovacuum would gather
            cursor.execute("ANALYZE discovery_searchentry")
    return "tablet"


def searched_sql(text: str, **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        results = search_articles(query=parse_query(text), **kwargs)
    assert results.hits
    return [query["sql"] for query in captured if "tablet" in query["sql"]]


# The SELECT that reads the full-text index: its match and its LIMIT, in the same query.
FTS5_CANDIDATES = re.compile(
    r"FROM discovery_search_fts WHERE discovery_search_fts MATCH .*?"
    r"ORDER BY rowid DESC LIMIT (\d+)",
    re.DOTALL,
)
GIN_CANDIDATES = re.compile(
    r"SELECT s\.article_id FROM discovery_searchentry AS s\s+"
    r"WHERE s\.document @@ \((.*?)\)\s+ORDER BY s\.article_id DESC LIMIT (\d+)",
    re.DOTALL,
)


def test_the_match_is_limited_inside_the_query(common_word):
    """The newest CANDIDATES matches are chosen by the query that reads the index, and
    on PostgreSQL with the words written into it (from a CTE the planner cannot
    estimate them, and collects every match from the GIN index)."""
    ranking = searched_sql(common_word)[0]
    if connection.vendor == "sqlite":
        match = FTS5_CANDIDATES.search(ranking)
        assert match, ranking
        assert int(match.group(1)) == SMALL_CANDIDATES
    else:
        match = GIN_CANDIDATES.search(ranking)
        assert match, ranking
        assert "tsquery(" in match.group(1) and "'tablet'" in match.group(1)
        assert int(match.group(2)) == SMALL_CANDIDATES


def test_results_come_from_the_newest_matches_and_page_within_them(common_word):
    """Only the newest CANDIDATES matches are ranked and paged, all published."""
    newest = set(Article.objects.order_by("-id").values_list("title", flat=True)[:SMALL_CANDIDATES])
    seen = []
    for page in (1, 2, 3):
        results = search_articles(query=parse_query(common_word), page=page, per_page=8)
        seen += [hit.article.title for hit in results.hits]
        assert results.has_next == (page < 3)
    assert len(seen) == SMALL_CANDIDATES == len(set(seen))
    assert set(seen) == newest


def _nodes(plan: dict) -> list[dict]:
    return [plan] + [node for child in plan.get("Plans", []) for node in _nodes(child)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_reads_about_candidates_rows_not_every_match(common_word):
    """EXPLAIN ANALYZE of the search as issued: choosing the candidates reads about
    CANDIDATES rows of the index's table, not all MATCHING (the old query read every
    match, from the GIN index or a scan of the table, then sorted them)."""
    ranking = searched_sql(common_word)[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + ranking)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    choosing = [n for n in _nodes(plan[0]["Plan"]) if n.get("Subplan Name") == "CTE candidates"]
    assert len(choosing) == 1, plan
    scans = [n for n in _nodes(choosing[0]) if n.get("Relation Name") == "discovery_searchentry"]
    read = sum(
        n["Actual Rows"] * n["Actual Loops"]
        + n.get("Rows Removed by Filter", 0)
        + n.get("Rows Removed by Index Recheck", 0)
        for n in scans
    )
    assert scans and read <= 2 * SMALL_CANDIDATES, choosing[0]


def _parts_merged_by_compacting() -> int:
    """Compacts the index and says how much that merged: on SQLite the blocks FTS5's
    index has fewer after `optimize`, on PostgreSQL the pages of the GIN index's pending
    list moved into it. 0 when the index was already in one piece."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT gin_clean_pending_list('discovery_searchentry_document_idx')")
            return cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM discovery_search_fts_data")
        before = cursor.fetchone()[0]
        cursor.execute("INSERT INTO discovery_search_fts(discovery_search_fts) VALUES ('optimize')")
        cursor.execute("SELECT count(*) FROM discovery_search_fts_data")
        return before - cursor.fetchone()[0]


@pytest.fixture
def indexed_in_batches(db) -> None:
    """300 articles indexed 20 at a time, each batch in its own transaction: FTS5 writes
    each as a new segment of its index, PostgreSQL into the GIN index's pending list."""
    author = AuthorFactory()
    now = timezone.now()
    for batch in range(15):
        with transaction.atomic():
            Article.objects.bulk_create(
                Article(
                    title=f"Phone {batch} {n}",
                    slug=f"phone-{batch}-{n}",
                    author=author,
                    body="A phone.",
                    body_html=f"<p>A phone, model {batch * 20 + n}, with a tablet mode.</p>",
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(hours=batch * 20 + n),
                )
                for n in range(20)
            )
            added = Article.objects.filter(slug__startswith=f"phone-{batch}-")
            search_entries_add(entries=[(a.pk, a.title, f"A phone, model {a.pk}.") for a in added])


def test_batches_leave_the_index_in_parts(indexed_in_batches):
    """The control for the next test: what it measures is there without compaction."""
    assert _parts_merged_by_compacting() > 0


def test_a_rebuild_leaves_the_index_in_one_piece(indexed_in_batches):
    """`byline manage search_rebuild` (after a bulk import): a search reads each word's
    entries from one place, not from every batch's part. (On SQLite a rebuild this
    small is written as one segment anyway; the bench-data test below sees the merge.)"""
    assert search.search_index_rebuild() == 300
    assert _parts_merged_by_compacting() == 0
    assert len(search_articles(query=parse_query("phone"), per_page=50).hits) == 50


def test_bench_data_leaves_the_index_in_one_piece(db, capsys):
    """`byline bench-data` writes its articles batch by batch, each in a transaction."""
    main(["bench-data", "--articles", "60", "--comments", "0", "--days", "5", "--batch", "10"])
    assert "done: 60 articles" in capsys.readouterr().out
    assert _parts_merged_by_compacting() == 0


def test_the_worker_merges_the_index_once_a_day(indexed_in_batches):
    """A site whose articles are saved one by one: `byline worker` merges the parts."""
    assert periodic_jobs_run() >= 1
    assert _parts_merged_by_compacting() == 0
    assert "search-index-compact" in {name for name, interval, _ in PERIODIC if interval == 86400}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_sqlite_connections_keep_8_mb_of_pages(db):
    """Enough for a common word's 1,000 candidate rows at 100,000 articles, which
    SQLite's default 2 MB read from the file again at every search."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -8192  # KiB
