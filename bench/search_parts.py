# What a full-text index left in parts costs a search (issue 8), on a site whose articles
# are saved one by one, each in its own transaction, as editors publish them: the
# index's blocks and the common-word search's steps, before and after the daily merge
# (`search_index_compact`, run by `byline worker`). SQLite: on PostgreSQL the merge is
# of the GIN index's pending list, which autovacuum also does.
#
#   export BYLINE_DATA_DIR=/tmp/parts   # a new site: the demo article, then this
#   byline manage migrate && byline manage shell --no-imports -c "$(cat bench/seed_demo.py)"
#   ARTICLES=20000 byline manage shell --no-imports -c "$(cat bench/search_parts.py)"
#
# It adds ARTICLES articles (20,000) to the site, a common word ("xiaomi") in three in
# four, by Article.objects.create (the save signals index each after its commit).
import os
import random
import statistics
import time

from django.db import connection, transaction
from django.utils import timezone

from byline.articles.models import Article
from byline.authors.models import Author
from byline.discovery import search
from byline.discovery.query import parse_query

articles = int(os.environ.get("ARTICLES", "20000"))
rng = random.Random(8)
words = ["phone", "tablet", "chip", "market", "launch", "price", "camera", "battery"]
words += [f"word{n}" for n in range(3000)]
author = Author.objects.first()  # the demo's Tech Guru
assert author, "no author: seed the demo article first (bench/seed_demo.py)"
now = timezone.now()
first = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
started = time.monotonic()
for n in range(articles):
    body = " ".join(rng.choice(words) for _ in range(150))
    body += " xiaomi" if rng.random() < 0.75 else ""
    with transaction.atomic():
        Article.objects.create(
            title=f"Story {n} {rng.choice(words)}",
            slug=f"parts-story-{first + n}",
            author=author,
            body=body,
            body_html=f"<p>{body}</p>",
            status=Article.Status.PUBLISHED,
            published_at=now,
        )
print(f"{articles:,} articles saved one by one in {time.monotonic() - started:.1f} s")


def median_ms(step, repeats=200) -> float:
    taken = []
    for _ in range(repeats):
        began = time.perf_counter()
        step()
        taken.append((time.perf_counter() - began) * 1000)
    return statistics.median(taken)


def report(label: str) -> None:
    query = parse_query("xiaomi")
    backend = search._backend()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM discovery_search_fts_data")
        blocks = cursor.fetchone()[0]
    match = backend.match_expression(query)
    ranking = median_ms(lambda: backend.ranked_ids(match, limit=11, offset=0))
    marked = median_ms(lambda: backend.search(query, limit=11, offset=0))
    whole = median_ms(lambda: search.search_articles(query=query))
    print(
        f"{label}: {blocks:,} index blocks; ranking {ranking:.2f} ms, ranking + marking "
        f"the matches {marked:.2f} ms, search_articles() {whole:.2f} ms (medians of 200)"
    )


report("in parts")
began = time.perf_counter()
search.search_index_compact()
print(f"merged in {(time.perf_counter() - began) * 1000:.0f} ms")
report("merged")
