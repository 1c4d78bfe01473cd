"""Existing replies learn their thread's top-level comment; the per-state comment counts
are seeded from the table and from then on kept by triggers, on SQLite and PostgreSQL, so
that every writer (the form, the API, an importer's bulk insert, a cascade delete) keeps
them right."""

from django.db import migrations

TABLE = "comments_comment"
COUNTS = "comments_commentstatuscount"

SQLITE = [
    f"""CREATE TRIGGER comments_count_insert AFTER INSERT ON {TABLE}
    BEGIN
        INSERT INTO {COUNTS} (status, count) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET count = count + 1;
    END""",
    f"""CREATE TRIGGER comments_count_delete AFTER DELETE ON {TABLE}
    BEGIN
        UPDATE {COUNTS} SET count = count - 1 WHERE status = OLD.status;
    END""",
    f"""CREATE TRIGGER comments_count_update AFTER UPDATE OF status ON {TABLE}
    WHEN OLD.status <> NEW.status
    BEGIN
        UPDATE {COUNTS} SET count = count - 1 WHERE status = OLD.status;
        INSERT INTO {COUNTS} (status, count) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET count = count + 1;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comments_count_insert",
    "DROP TRIGGER IF EXISTS comments_count_delete",
    "DROP TRIGGER IF EXISTS comments_count_update",
]

# PostgreSQL: statement-level triggers over transition tables, so that a bulk insert or
# delete of N comments changes each counter once, not N times (N updates of one row in
# one transaction each walk the row's growing version chain). Counter rows are locked in
# a fixed order, so that two transactions moving comments in opposite directions cannot
# deadlock on them.
POSTGRESQL = [
    f"""CREATE FUNCTION comments_count_insert() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM {COUNTS} WHERE status IN (SELECT status FROM new_rows)
            ORDER BY status FOR UPDATE;
        INSERT INTO {COUNTS} (status, count)
            SELECT status, COUNT(*) FROM new_rows GROUP BY status ORDER BY status
        ON CONFLICT (status) DO UPDATE SET count = {COUNTS}.count + EXCLUDED.count;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION comments_count_delete() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM {COUNTS} WHERE status IN (SELECT status FROM old_rows)
            ORDER BY status FOR UPDATE;
        UPDATE {COUNTS} SET count = {COUNTS}.count - gone.n
            FROM (SELECT status, COUNT(*) AS n FROM old_rows GROUP BY status) AS gone
            WHERE {COUNTS}.status = gone.status;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION comments_count_update() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM {COUNTS} WHERE status IN (
            SELECT o.status FROM old_rows o JOIN new_rows n USING (id) WHERE o.status <> n.status
            UNION
            SELECT n.status FROM old_rows o JOIN new_rows n USING (id) WHERE o.status <> n.status
        ) ORDER BY status FOR UPDATE;
        UPDATE {COUNTS} SET count = {COUNTS}.count - moved.n
            FROM (SELECT o.status, COUNT(*) AS n FROM old_rows o JOIN new_rows n USING (id)
                  WHERE o.status <> n.status GROUP BY o.status) AS moved
            WHERE {COUNTS}.status = moved.status;
        INSERT INTO {COUNTS} (status, count)
            SELECT n.status, COUNT(*) FROM old_rows o JOIN new_rows n USING (id)
            WHERE o.status <> n.status GROUP BY n.status ORDER BY n.status
        ON CONFLICT (status) DO UPDATE SET count = {COUNTS}.count + EXCLUDED.count;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER comments_count_insert AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_insert()""",
    f"""CREATE TRIGGER comments_count_delete AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_delete()""",
    f"""CREATE TRIGGER comments_count_update AFTER UPDATE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_update()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS comments_count_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS comments_count_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS comments_count_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS comments_count_insert()",
    "DROP FUNCTION IF EXISTS comments_count_delete()",
    "DROP FUNCTION IF EXISTS comments_count_update()",
]


def backfill(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for reply in Comment.objects.filter(parent__isnull=False).order_by("depth", "id"):
        parent = Comment.objects.only("root_id").get(pk=reply.parent_id)
        Comment.objects.filter(pk=reply.pk).update(root_id=parent.root_id or parent.pk)
    for comment in Comment.objects.only("created_at").iterator():
        Comment.objects.filter(pk=comment.pk).update(status_changed_at=comment.created_at)


def install_triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("Byline's comment counters need SQLite or PostgreSQL.")
    Comment = apps.get_model("comments", "Comment")
    CommentStatusCount = apps.get_model("comments", "CommentStatusCount")
    for statement in statements:
        schema_editor.execute(statement)
    for status in ("pending", "approved", "spam", "trash"):
        CommentStatusCount.objects.update_or_create(
            status=status, defaults={"count": Comment.objects.filter(status=status).count()}
        )


def remove_triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_spam_filter_privacy_trust")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
