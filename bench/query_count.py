"""SQL queries for one article page view, with 0, 30 and 500 approved comments.

usage: BYLINE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/query_count.py"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from byline.comments.models import Comment  # noqa: E402
from byline.demo import seed_demo  # noqa: E402

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
article = seed_demo().article
url = article.get_absolute_url()
reader = Client(HTTP_HOST="localhost", HTTP_USER_AGENT="Mozilla/5.0 Chrome/156.0")
reader.get(url)
for wanted in (0, 30, 500):
    for index in range(Comment.objects.count(), wanted):
        Comment.objects.create(
            article=article,
            author_name=f"Reader {index}",
            author_email=f"r{index}@mail.example",
            body="text",
            body_html="<p>text</p>",
            status=Comment.Status.APPROVED,
        )
    with CaptureQueriesContext(connection) as captured:
        reader.get(url)
    statements = [q["sql"] for q in captured.captured_queries]
    print(f"{wanted:>4} comments: {len(statements)} SQL statements per article page view")
    if wanted == 0:
        for sql in statements:
            print("       ", sql[:110])
