"""The moderation queue's load time with 1,000,000 comments in the database.

usage: BYLINE_DATA_DIR=$(mktemp -d) [DATABASE_URL=postgres://…/bench_queue] \\
       .venv/bin/python bench/comment_queue.py [--comments 1000000] [--runs 20]

Seeds COMMENTS comments (70% approved, 20% spam, 8% trash, 2% pending, over 1,000
articles) straight in SQL into a fresh database, then times the admin's comment list, as a
logged-in editor, in-process (Django's test client: no network, no server): all states,
each state, and page 100. For comparison it also times what a queue that counts would do
per page view: the per-state GROUP BY count and the list's COUNT(*). Medians and p99 of
RUNS requests each."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from byline.articles.models import Article  # noqa: E402
from byline.authors.models import Author  # noqa: E402
from byline.comments.models import Comment  # noqa: E402

ARTICLES = 1000
# status by the comment number modulo 50: 35 approved, 10 spam, 4 trash, 1 pending
STATUS_SQL = (
    "CASE WHEN n % 50 < 35 THEN 'approved' WHEN n % 50 < 45 THEN 'spam' "
    "WHEN n % 50 < 49 THEN 'trash' ELSE 'pending' END"
)


def seed(total: int) -> None:
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass")
    author = Author.objects.create(user=user, display_name="Bench", slug="bench")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Article {n}",
            slug=f"article-{n}",
            author=author,
            body="Text.",
            body_html="<p>Text.</p>",
            status="published",
            published_at=now,
        )
        for n in range(ARTICLES)
    )
    first = Article.objects.order_by("id").values_list("id", flat=True).first()
    columns = (
        "article_id, depth, author_name, author_email, author_url, user_agent, body, body_html, "
        "status, status_reason, status_changed_at, trained_as, notify_replies, created_at"
    )
    stamp = (
        "now() - (n || ' seconds')::interval"
        if connection.vendor == "postgresql"
        else "datetime('now', '-' || n || ' seconds')"
    )
    values = (
        f"{first} + n % {ARTICLES}, 1, 'Reader ' || n, 'r' || n || '@mail.example', '', '', "
        f"'Comment number ' || n, '<p>Comment number ' || n || '</p>', {STATUS_SQL}, "
        f"'seeded', {stamp}, '', false, {stamp}"
    )
    # Only integers from the command line are put into the SQL.
    if connection.vendor == "postgresql":
        insert = (
            f"INSERT INTO comments_comment ({columns}) "  # noqa: S608
            f"SELECT {values} FROM generate_series(1, {int(total)}) AS n"
        )
    else:
        insert = (
            f"INSERT INTO comments_comment ({columns}) "  # noqa: S608
            f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq "
            f"WHERE n < {int(total)}) SELECT {values} FROM seq"
        )
    with connection.cursor() as cursor:
        cursor.execute(insert)
        cursor.execute("ANALYZE")


def timed(runs: int, action) -> tuple[float, float]:
    action()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Comment.objects.exists():
        start = time.perf_counter()
        seed(args.comments)
        print(f"seeded {args.comments} comments in {time.perf_counter() - start:.0f} s")
    print(f"database: {connection.vendor}; comments: {Comment.objects.count()}")
    editor = Client(HTTP_HOST="localhost")
    editor.force_login(get_user_model().objects.get(username="bench"))

    def page(url: str):
        def get():
            response = editor.get(url)
            assert response.status_code == 200, response.status_code

        return get

    def sql(statement: str):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(statement)
                cursor.fetchall()

        return run

    rows = [
        ("queue, all states", page("/admin/comments/comment/")),
        ("queue, pending", page("/admin/comments/comment/?status__exact=pending")),
        ("queue, spam", page("/admin/comments/comment/?status__exact=spam")),
        ("queue, approved, page 100",
         page("/admin/comments/comment/?status__exact=approved&p=100")),
        ("admin home (pending count in the header)", page("/admin/")),
        ("for comparison: GROUP BY status count", sql(
            "SELECT status, COUNT(id) FROM comments_comment GROUP BY status")),
        ("for comparison: COUNT(*) of all comments", sql("SELECT COUNT(*) FROM comments_comment")),
    ]  # fmt: skip
    print(f"\n| request ({args.runs} runs) | median | p99 |\n| --- | ---: | ---: |")
    for name, action in rows:
        median, p99 = timed(args.runs, action)
        print(f"| {name} | {median:.1f} ms | {p99:.1f} ms |")


if __name__ == "__main__":
    main()
