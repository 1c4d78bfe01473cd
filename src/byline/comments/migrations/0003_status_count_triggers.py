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

POSTGRESQL = [
    f"""CREATE FUNCTION comments_count_status() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE {COUNTS} SET count = count - 1 WHERE status = OLD.status;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO {COUNTS} (status, count) VALUES (NEW.status, 1)
            ON CONFLICT (status) DO UPDATE SET count = {COUNTS}.count + 1;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER comments_count_status
    AFTER INSERT OR DELETE OR UPDATE OF status ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION comments_count_status()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS comments_count_status ON {TABLE}",
    "DROP FUNCTION IF EXISTS comments_count_status()",
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
