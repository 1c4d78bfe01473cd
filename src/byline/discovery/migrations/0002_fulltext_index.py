"""The full-text index on SearchEntry, in each database's own way.

SQLite: an FTS5 table over SearchEntry's rows (external content, so the text is stored
once), kept in step by three triggers. Django rebuilds a SQLite table to alter it, which
drops its triggers: a later migration that alters SearchEntry must create them again.

PostgreSQL: a generated tsvector column (title weight A, body weight B, English
stemming) with a GIN index. `||` numbers the body's words on from the title's last one,
so a phrase could match across the two ("...Lei" + "Jun..."); a lexeme no query can
produce ("-": queries are letters and digits) at position 100 puts a gap between them,
as FTS5's separate columns do.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE discovery_search_fts USING fts5(
        title, body,
        content='discovery_searchentry', content_rowid='article_id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3'
    )""",
    """CREATE TRIGGER discovery_searchentry_ai AFTER INSERT ON discovery_searchentry BEGIN
        INSERT INTO discovery_search_fts(rowid, title, body)
        VALUES (new.article_id, new.title, new.body);
    END""",
    """CREATE TRIGGER discovery_searchentry_ad AFTER DELETE ON discovery_searchentry BEGIN
        INSERT INTO discovery_search_fts(discovery_search_fts, rowid, title, body)
        VALUES ('delete', old.article_id, old.title, old.body);
    END""",
    """CREATE TRIGGER discovery_searchentry_au AFTER UPDATE ON discovery_searchentry BEGIN
        INSERT INTO discovery_search_fts(discovery_search_fts, rowid, title, body)
        VALUES ('delete', old.article_id, old.title, old.body);
        INSERT INTO discovery_search_fts(rowid, title, body)
        VALUES (new.article_id, new.title, new.body);
    END""",
    # Rows present before this migration (none, unless re-applied) join the index.
    "INSERT INTO discovery_search_fts(discovery_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS discovery_searchentry_ai",
    "DROP TRIGGER IF EXISTS discovery_searchentry_ad",
    "DROP TRIGGER IF EXISTS discovery_searchentry_au",
    "DROP TABLE IF EXISTS discovery_search_fts",
]
POSTGRES_FORWARD = [
    # Keep the rows narrow: the text and the tsvector go to TOAST storage, so that the
    # heap pages a search visits to read the ids of its matches are few (16,667 pages
    # for 100,000 articles with the text inline; 1,537 without).
    "ALTER TABLE discovery_searchentry SET (toast_tuple_target = 128)",
    """ALTER TABLE discovery_searchentry ADD COLUMN document tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, title), 'A')
            || '-:100'::tsvector
            || setweight(to_tsvector('english'::regconfig, body), 'B')
        ) STORED""",
    "CREATE INDEX discovery_searchentry_document_idx ON discovery_searchentry "
    "USING gin (document)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE discovery_searchentry RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS discovery_searchentry_document_idx",
    "ALTER TABLE discovery_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"Byline's search needs SQLite or PostgreSQL, not {vendor}")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
