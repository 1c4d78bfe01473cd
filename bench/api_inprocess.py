"""In-process cost of the API's article list and one article, next to the HTML home page:
milliseconds per request (the best of 5 rounds of 10), through Django's test client, no
network. Run against a seeded site, e.g. the one bench/api.sh leaves:

    BYLINE_DATA_DIR=/tmp/byline-bench/api-sqlite .venv/bin/python bench/api_inprocess.py
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

import django

django.setup()

from django.test import Client  # noqa: E402  (after django.setup())

ADDRESSES = ["/api/v1/articles", "/api/v1/articles/1", "/"]


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    for address in ADDRESSES:
        assert client.get(address).status_code == 200, address
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(10):
                client.get(address)
            rounds.append((time.perf_counter() - start) * 100)
        print(f"{address}: {min(rounds):.1f} ms per request")


if __name__ == "__main__":
    main()
