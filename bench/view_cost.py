"""The cost of counting a view, in-process: `article_view_for_request` for a counted view
against the same call for a view that is not counted (excluded address: the count is
only read), and the whole article page with counting on and off. Medians of ROUNDS
rounds of N calls; wall time and this process's CPU time per call.

usage: BYLINE_DATA_DIR=$(mktemp -d) [DATABASE_URL=… REDIS_URL=…] \\
       .venv/bin/python bench/view_cost.py [N=2000] [ROUNDS=5]"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

import django

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36"


def measure(call, n: int, rounds: int) -> tuple[float, float]:
    """Median (wall ms, CPU ms) per call."""
    from django.conf import settings

    from byline.pageviews.flush import views_flush

    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            call()
        walls.append((time.perf_counter() - wall) * 1000 / n)
        cpus.append((time.process_time() - cpu) * 1000 / n)
        if settings.REDIS_URL:
            views_flush()  # as the flusher would, between rounds
    return statistics.median(walls), statistics.median(cpus)


def main(n: int = 2000, rounds: int = 5) -> None:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, RequestFactory, override_settings

    from byline.demo import seed_demo
    from byline.pageviews.services import article_view_for_request

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    article = seed_demo().article
    request = RequestFactory().get(article.get_absolute_url(), HTTP_USER_AGENT=UA)
    page = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=UA)
    url = article.get_absolute_url()
    kind = "PostgreSQL + Redis" if settings.REDIS_URL else "SQLite"
    print(f"{kind}, {n} calls x {rounds} rounds, medians per call (wall ms / CPU ms):")
    rows = []
    for label, excluded in (("counted", []), ("not counted", ["127.0.0.1"])):
        with override_settings(BYLINE_VIEWS_EXCLUDED_IPS=excluded):
            entry = measure(
                lambda: article_view_for_request(request=request, article_id=article.pk),
                n,
                rounds,
            )
            whole = measure(lambda: page.get(url), max(1, n // 10), rounds)
        rows.append((label, entry, whole))
    print("| view | article_view_for_request | whole article page |")
    print("| --- | ---: | ---: |")
    for label, (wall, cpu), (page_wall, page_cpu) in rows:
        print(f"| {label} | {wall:.3f} / {cpu:.3f} | {page_wall:.2f} / {page_cpu:.2f} |")
    on, off = rows[0][2][0], rows[1][2][0]
    print(f"Whole page, counting on / off (wall): {off / on:.2f} of the speed")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
