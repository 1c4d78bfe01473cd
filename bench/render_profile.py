"""The uncached article page in-process: the demo article with COMMENTS approved comments
(30 by default: the peers' 20 top-level and 10 replies), rendered by Django's test client
with the page cache off and views counted, as a first-time anonymous reader gets it.
Prints the median wall and CPU time per request over ROUNDS rounds of N requests, then
(with --profile) the top functions of a cProfile run over N requests. With --built, the
article's comments tag is purged before each request, so that the parts of the page
kept by byline.articles.fragments are built every time (the first request after a
change to the article's comments).

usage: BYLINE_DATA_DIR=$(mktemp -d) [DATABASE_URL=… REDIS_URL=…] \\
       .venv/bin/python bench/render_profile.py [--n 200] [--rounds 7] [--profile] \\
       [--sort cumulative|tottime] [--top 40] [--built]"""

import argparse
import cProfile
import os
import pstats
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
os.environ["BYLINE_PAGE_CACHE"] = "off"

import django

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36"


def setup(comments: int, *, built: bool = False):
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from byline.demo import seed_demo
    from byline.demo.comments import demo_comments_add

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    article = seed_demo().article
    if not article.comment_count:
        demo_comments_add(article=article, count=comments)
    # A new client per request would add its own setup; one client, its cookies cleared
    # after each answer, is a first-time reader every time.
    client = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=UA)
    url = article.get_absolute_url()

    from byline.pagecache.marks import article_comments
    from byline.pagecache.purge import purge_now

    def get() -> None:
        if built:
            purge_now([article_comments(article.pk)])
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        client.cookies.clear()

    return get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--comments", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--built", action="store_true", help="no kept parts: build them")
    args = parser.parse_args()
    get = setup(args.comments, built=args.built)
    from django.conf import settings

    for _ in range(20):
        get()  # warm-up: templates compiled, caches filled
    walls, cpus = [], []
    for _ in range(args.rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.n):
            get()
        walls.append((time.perf_counter() - wall) * 1000 / args.n)
        cpus.append((time.process_time() - cpu) * 1000 / args.n)
    kind = "PostgreSQL + Redis" if settings.REDIS_URL else "SQLite"
    print(
        f"{kind}, {args.comments} comments, {'parts built, ' if args.built else ''}"
        f"{args.rounds} rounds x {args.n} requests: "
        f"median {statistics.median(walls):.3f} ms wall, "
        f"{statistics.median(cpus):.3f} ms CPU per request "
        f"(wall {min(walls):.3f}..{max(walls):.3f})"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            get()
        profiler.disable()
        pstats.Stats(profiler).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
