"""Issue 5's figures: search and archive pages on a site of 100,000 articles.

usage (SQLite, or PostgreSQL + Redis with DATABASE_URL / REDIS_URL set):

    BYLINE_DATA_DIR=/tmp/byline-bench-wt5/sqlite .venv/bin/python bench/discovery.py \
        [--articles 100000] [--repeat 20] [--deep-page 1000]

It migrates the database, seeds it once (idempotent: an existing seed of the same size
is kept) with synthetic articles — a Zipf-distributed vocabulary of real words and
generated ones, 8 authors, 8 categories, 200 tags — builds the search index, then
times, in-process through Django's full request stack (test Client, no network):

- `/search/?q=` for seven kinds of query, each query `--repeat` times: p50 and p99;
- archive pages (home, a category, an author): page 1 against page `--deep-page`, the
  latter reached by following the "Older articles" links from page 1.

Timings are medians of repeated requests; the machine is shared, so they are noisy."""

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from byline.articles.models import Article, Category, Tag  # noqa: E402
from byline.authors.models import Author  # noqa: E402
from byline.discovery.query import parse_query  # noqa: E402
from byline.discovery.search import search_articles, search_index_rebuild  # noqa: E402

HEAD_WORDS = """the of and to a in is that for it on with as was by at be this from are
have an has its or not but which their they more will one about been would after also
who new can than people said company phone phones apple google facebook xiaomi samsung
microsoft amazon market users data app apps service year years first time could over
into only may other some like just two most before because software device devices
chip chips billion million price launch launched report reports security update
android iphone windows cloud network internet online video camera battery screen
display processor memory storage design review reviews feature features version
release released developers developer platform platforms china chinese india europe
european government law privacy startup startups funding investment investors deal
deals sales growth quarter revenue profit shares stock ceo founder executive team
engineers research science space car cars electric tesla energy social media search
ads advertising music streaming games gaming console player players tablet laptop
laptops computer computers smartphone smartphones wearable watch""".split()  # noqa: SIM905
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]
VOCABULARY_SIZE = 40_000
WORDS_PER_ARTICLE = 220
BATCH = 2_000
AUTHORS = CATEGORIES = 8  # 12,500 articles each of 100,000: 1,250 pages of 10
SEED_MARK = "bench-discovery"


def vocabulary(rng: random.Random) -> list[str]:
    words = list(dict.fromkeys(HEAD_WORDS))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_weights(n: int, s: float = 1.07) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def seed(total: int) -> None:
    if Article.objects.filter(slug__startswith=SEED_MARK).count() == total:
        print(f"seed: {total} articles already there", file=sys.stderr)
        return
    rng = random.Random(5)
    words = vocabulary(rng)
    cumulative = list(itertools.accumulate(zipf_weights(len(words))))
    title_words = words[60:5000]
    title_cumulative = list(itertools.accumulate(zipf_weights(len(words))[60:5000]))
    user_model = get_user_model()
    with transaction.atomic():
        Article.objects.filter(slug__startswith=SEED_MARK).delete()
        authors = []
        for n in range(AUTHORS):
            user, _ = user_model.objects.get_or_create(username=f"{SEED_MARK}-{n}")
            author, _ = Author.objects.get_or_create(
                user=user,
                defaults={"display_name": f"Writer {n}", "slug": f"{SEED_MARK}-writer-{n}"},
            )
            authors.append(author)
        categories = [
            Category.objects.get_or_create(
                slug=f"{SEED_MARK}-cat-{n}", defaults={"name": f"Section {n}"}
            )[0]
            for n in range(CATEGORIES)
        ]
        tags = [
            Tag.objects.get_or_create(slug=f"{SEED_MARK}-tag-{n}", defaults={"name": words[n]})[0]
            for n in range(200)
        ]
    start = datetime(2021, 1, 1, tzinfo=UTC)
    started = time.monotonic()
    category_links, tag_links = Article.categories.through, Article.tags.through
    for first in range(0, total, BATCH):
        batch = []
        for n in range(first, min(total, first + BATCH)):
            title = rng.choices(title_words, cum_weights=title_cumulative, k=7)
            paragraphs = [
                " ".join(rng.choices(words, cum_weights=cumulative, k=WORDS_PER_ARTICLE // 4))
                for _ in range(4)
            ]
            body = "\n\n".join(p.capitalize() + "." for p in paragraphs)
            batch.append(
                Article(
                    title=" ".join(title).capitalize(),
                    slug=f"{SEED_MARK}-{n}",
                    author=authors[n % len(authors)],
                    body=body,
                    body_html="".join(f"<p>{p.capitalize()}.</p>\n" for p in paragraphs),
                    summary=paragraphs[0][:300],
                    status=Article.Status.PUBLISHED,
                    published_at=start + timedelta(minutes=25 * n),
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            category_links.objects.bulk_create(
                [
                    category_links(article_id=a.pk, category_id=categories[a.pk % CATEGORIES].pk)
                    for a in created
                ]
            )
            tag_links.objects.bulk_create(
                [
                    tag_links(article_id=a.pk, tag_id=tags[(a.pk * k) % 200].pk)
                    for a in created
                    for k in (1, 7, 13)
                ],
                ignore_conflicts=True,
            )
        print(f"seed: {first + len(batch)} articles", file=sys.stderr)
    print(f"seed: articles in {time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    search_index_rebuild()
    print(f"seed: search index in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def search_queries() -> dict[str, list[str]]:
    """Seven kinds of query, drawn from the seeded vocabulary."""
    rng = random.Random(55)
    words = vocabulary(random.Random(5))
    common, medium, rare = words[60:160], words[600:3000], words[15000:40000]

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    sample = Article.objects.filter(slug=f"{SEED_MARK}-4242").first()  # same on both databases
    body = sample.body.lower().replace(".", "").split() if sample else ["xx", "yy"]
    phrases = []
    for _ in range(6):
        i = rng.randrange(0, len(body) - 2)
        phrases.append(f'"{body[i]} {body[i + 1]}"')
    return {
        "common word": rng.sample(common, 6),
        "medium word": rng.sample(medium, 6),
        "rare word": rng.sample(rare, 6),
        "two words": [
            f"{a} {b}" for a, b in zip(rng.sample(medium, 6), rng.sample(medium, 6), strict=True)
        ],
        "phrase": phrases,
        "prefix": [w[:4] + "*" for w in rng.sample(medium, 6)],
        "typo (corrected)": [typo(w) for w in rng.sample(medium, 6) if len(w) > 4],
    }


def timed(client: Client, url: str, data: dict | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url, data or {})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, data, response.status_code)
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed_search(text: str) -> float:
    started = time.perf_counter()
    search_articles(query=parse_query(text), per_page=10)
    return (time.perf_counter() - started) * 1000


def bench_search(client: Client, repeat: int) -> None:
    print(f"\nSearch ({connection.vendor}), {repeat} requests per query: the whole page")
    print("(`/search/?q=`), and the search alone (`search_articles()`: queries and marking)\n")
    print(
        "| query kind | queries | results (median) | page p50 | page p99 "
        "| search p50 | search p99 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    pages, searches = [], []
    baseline = [timed(client, "/search/") for _ in range(repeat)]
    for kind, queries in search_queries().items():
        times, alone, counts = [], [], []
        for query in queries:
            html = client.get("/search/", {"q": query}).content.decode()
            counts.append(html.count('<li class="entry-summary">'))
            for _ in range(repeat):  # interleaved, so that noise hits both alike
                times.append(timed(client, "/search/", {"q": query}))
                alone.append(timed_search(query))
        pages += times
        searches += alone
        print(
            f"| {kind} | {len(queries)} | {statistics.median(counts):.0f} "
            f"| {percentile(times, 50):.1f} ms | {percentile(times, 99):.1f} ms "
            f"| {percentile(alone, 50):.1f} ms | {percentile(alone, 99):.1f} ms |"
        )
    print(
        f"| **all** | | | **{percentile(pages, 50):.1f} ms** | **{percentile(pages, 99):.1f} ms** "
        f"| **{percentile(searches, 50):.1f} ms** | **{percentile(searches, 99):.1f} ms** |"
    )
    print(
        f"| (empty search page, no query: the page's own cost) | | "
        f"| {percentile(baseline, 50):.1f} ms | {percentile(baseline, 99):.1f} ms | | |"
    )


def deep_url(client: Client, url: str, pages: int) -> str:
    """Page `pages` of an archive, reached by following "Older articles" links."""
    current = url
    for _ in range(pages - 1):
        html = client.get(current).content.decode()
        link = html.split('rel="next" class="older" href="?', 1)[1].split('"', 1)[0]
        current = f"{url}?{link.replace('&amp;', '&')}"
    return current


def bench_archives(client: Client, repeat: int, deep: int) -> None:
    category = Category.objects.get(slug=f"{SEED_MARK}-cat-3")
    author = Author.objects.get(slug=f"{SEED_MARK}-writer-3")
    print(f"\nArchives ({connection.vendor}): page 1 against page {deep}, {repeat} requests each\n")
    print(f"| archive | page 1 p50 | page {deep} p50 | ratio | page 1 p99 | page {deep} p99 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, url in (
        ("home", "/"),
        ("category", category.get_absolute_url()),
        ("author", author.get_absolute_url()),
    ):
        deep_page = deep_url(client, url, deep)
        first, last = [], []
        for _ in range(repeat):  # interleaved, so that noise hits both alike
            first.append(timed(client, url))
            last.append(timed(client, deep_page))
        p1, pd = percentile(first, 50), percentile(last, 50)
        print(
            f"| {name} | {p1:.2f} ms | {pd:.2f} ms | {pd / p1:.2f}x "
            f"| {percentile(first, 99):.2f} ms | {percentile(last, 99):.2f} ms |"
        )


def bench_sitemaps(client: Client, repeat: int) -> None:
    """Sitemaps are cached for an hour: this times building them (cache cleared)."""
    from django.core.cache import cache

    print(f"\nSitemaps ({connection.vendor}), built anew, {repeat} times each\n")
    print("| URL | bytes | p50 |")
    print("| --- | ---: | ---: |")
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-tags.xml", "/sitemap-news.xml"):
        times = []
        for _ in range(repeat):
            cache.clear()
            times.append(timed(client, url))
        size = len(client.get(url).content)
        print(f"| `{url}` | {size} | {percentile(times, 50):.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--deep-page", type=int, default=1000)
    parser.add_argument("--only", choices=("seed", "search", "archives", "sitemaps"))
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed(args.articles)
    if args.only == "seed":
        return
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; bench; +bot)")
    client.get("/")  # warm up: connections, templates
    database = connection.vendor + (" + Redis" if os.environ.get("REDIS_URL") else "")
    print(f"{args.articles} articles, {database}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    if args.only in (None, "search"):
        bench_search(client, args.repeat)
    if args.only in (None, "archives"):
        bench_archives(client, args.repeat, args.deep_page)
    if args.only in (None, "sitemaps"):
        bench_sitemaps(client, max(3, args.repeat // 4))


if __name__ == "__main__":
    main()
