"""Helper of bench/scaling.sh (issue 8, flat scaling).

scaling.py paths                 (with the site's BYLINE_DATA_DIR / DATABASE_URL set)
    prints the measured pages' paths as JSON: the reference article, home, page 1,000
    of home (by its cursor, as the "Older articles" links build it) and a search
scaling.py measure NAME BASE PATHS.json OUT.json [--seconds 10] [--pages P,P] [--runs 1]
    wrk on each page: 32 connections (req/s, p50) after a warm-up, then 1 connection (p50);
    with --runs N, N times in turn, and the medians
scaling.py table OUT_DIR
    the markdown table: each page at 100 articles and at 100,000, and the ratio; the
    pages measured with the page cache off (<size>-<kind>-uncached.json) as "<page>, uncached"
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

DEEP_PAGE = 1000
SEARCH_WORD = "xiaomi"  # the reference article's subject; common in the generated text
# In the reference article only (not in bench-data's vocabulary): one match at any size.
RARE_WORD = "zuckerberg"
READER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
PAGES = ["article", "home", "deep archive", "search", "search rare"]


def paths() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    import django

    django.setup()
    from django.conf import settings

    from byline.articles.models import Article
    from byline.articles.pagination import encode_cursor

    per_page = settings.BYLINE_ARTICLES_PER_PAGE
    listing = Article.objects.published().order_by("-published_at", "-id")
    # Page N's "Older" link is the cursor of the last article of page N - 1.
    total = Article.objects.published().count()
    # A site with fewer pages than that (the small one): its last full page, so that
    # both sizes' pages list as many articles (page 11 of 101 articles lists one).
    deep_page = max(2, min(DEEP_PAGE, total // per_page))
    last_of_previous = listing[per_page * (deep_page - 1) - 1]
    reference = Article.objects.get(slug="facebook-mulled-investing-in-xiaomi")
    found = {
        "article": reference.get_absolute_url(),
        "home": "/",
        "deep archive": "/?before=" + encode_cursor(last_of_previous),
        "search": f"/search/?q={SEARCH_WORD}",
        "search rare": f"/search/?q={RARE_WORD}",
        "articles": total,
        "deep page": deep_page,
    }
    print(json.dumps(found))


def _wrk(url: str, connections: int, seconds: int) -> dict:
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"User-Agent: {READER_UA}", url],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rate,
        "p50_ms": float(p50.group(1)) * scale,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket.group(1) if socket else "",
    }


def measure(
    name: str, base: str, paths_file: str, out: str, seconds: int, pages: list, runs: int
) -> None:
    """Each page `runs` times, the pages in turn within each run; the medians are kept
    (and every run's figures, under "runs")."""
    found = json.loads(Path(paths_file).read_text())
    results = {"name": name, "articles": found["articles"], "deep page": found["deep page"]}
    taken: dict[str, list[dict]] = {page: [] for page in pages}
    for run in range(1, runs + 1):
        for page in pages:
            url = base + found[page]
            _wrk(url, 32, 2)  # warm-up
            loaded = _wrk(url, 32, seconds)
            single = _wrk(url, 1, max(3, seconds // 2))
            taken[page].append({**loaded, "p50_c1_ms": single["p50_ms"]})
            print(
                f"{name:>22} {page:<12} run {run}/{runs} {loaded['rps']:8.0f} req/s"
                f"  p50 {loaded['p50_ms']:7.2f} ms  one connection p50 {single['p50_ms']:6.2f} ms"
                f"  non-2xx {loaded['non2xx']}",
                file=sys.stderr,
            )
    for page, measured in taken.items():
        results[page] = {
            "rps": statistics.median(m["rps"] for m in measured),
            "p50_ms": statistics.median(m["p50_ms"] for m in measured),
            "p50_c1_ms": statistics.median(m["p50_c1_ms"] for m in measured),
            "non2xx": sum(m["non2xx"] for m in measured),
            "socket_errors": "; ".join(m["socket_errors"] for m in measured if m["socket_errors"]),
            "url": found[page],
            "runs": measured,
        }
    Path(out).write_text(json.dumps(results, indent=1))


def table(out_dir: str) -> None:
    runs = {p.stem: json.loads(p.read_text()) for p in sorted(Path(out_dir).glob("*.json"))}
    for kind, label in (("sqlite", "SQLite"), ("pg", "PostgreSQL + Redis")):
        small, big = runs.get(f"small-{kind}"), runs.get(f"big-{kind}")
        if not (small and big):
            continue
        # The same pages served with the page cache off, if measured: "<page>, uncached".
        for page, found in _uncached(runs, kind).items():
            small[page], big[page] = found
        print(
            f"\n{label}: {small['articles']:,} articles against {big['articles']:,} "
            f"(deep archive: page {small['deep page']:,} against page {big['deep page']:,})\n"
        )
        print(
            "| page | req/s, small | req/s, big | ratio | p50 (32 conn.), small | big "
            "| p50 (1 conn.), small | big | ratio |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        listed = PAGES + [f"{page}, uncached" for page in PAGES]
        for page in [page for page in listed if page in small and page in big]:
            s, b = small[page], big[page]
            slower = s["rps"] / b["rps"] if b["rps"] else float("inf")
            single = b["p50_c1_ms"] / s["p50_c1_ms"] if s["p50_c1_ms"] else float("inf")
            errors = s["non2xx"] + b["non2xx"]
            note = f" ({errors} non-2xx)" if errors else ""
            print(
                f"| {page}{note} | {s['rps']:,.0f} | {b['rps']:,.0f} | {slower:.2f}x "
                f"| {s['p50_ms']:.1f} ms | {b['p50_ms']:.1f} ms "
                f"| {s['p50_c1_ms']:.2f} ms | {b['p50_c1_ms']:.2f} ms | {single:.2f}x |"
            )
    print("\nratio: how many times slower at the big size (req/s: small / big; p50: big / small)")


def _uncached(runs: dict, kind: str) -> dict[str, tuple[dict, dict]]:
    small, big = runs.get(f"small-{kind}-uncached"), runs.get(f"big-{kind}-uncached")
    if not (small and big):
        return {}
    return {f"{page}, uncached": (small[page], big[page]) for page in PAGES if page in small}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("paths")
    run = commands.add_parser("measure")
    for name in ("name", "base", "paths_file", "out"):
        run.add_argument(name)
    run.add_argument("--seconds", type=int, default=10)
    run.add_argument("--runs", type=int, default=1)
    run.add_argument(
        "--pages", default=",".join(PAGES), help="the pages to measure, comma-separated"
    )
    summary = commands.add_parser("table")
    summary.add_argument("out_dir")
    args = parser.parse_args()
    if args.command == "paths":
        paths()
    elif args.command == "measure":
        pages = [page.strip() for page in args.pages.split(",") if page.strip()]
        if unknown := set(pages) - set(PAGES):
            parser.error(f"unknown pages: {', '.join(sorted(unknown))} (known: {', '.join(PAGES)})")
        measure(args.name, args.base, args.paths_file, args.out, args.seconds, pages, args.runs)
    else:
        table(args.out_dir)


if __name__ == "__main__":
    main()
