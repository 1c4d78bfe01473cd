#!/usr/bin/env bash
# Issue 8, flat scaling: the article, home, deep archive (page 1,000, by cursor) and search
# pages on a small site (the demo article with 30 comments + 100 generated articles) and
# on a big one (the same + 100,000 articles and 1,000,000 comments from `byline
# bench-data`, timed), on SQLite and on PostgreSQL + Redis, each served by `byline serve`
# and measured with wrk (32 connections after a warm-up; then 1 connection for the p50),
# with the page cache on (a kept page is served without Django) and then off.
#
#   bench/scaling.sh [sqlite] [pg]          (both when none is given)
#
# Environment: BIG_ARTICLES (100000), BIG_COMMENTS (1000000), SMALL_ARTICLES (100),
# MEASURE_SECONDS (10 per measurement), WORKERS (4), PG_BASE, REDIS_BASE (db 14; flushed),
# PAGES (the pages to measure, comma-separated: article,home,deep archive,search,search rare),
# UNCACHED_PAGES (article,home,deep archive: measured again with BYLINE_PAGE_CACHE=off,
# Django making every page; empty: not measured; search pages are never kept anyway),
# RUNS (1: each page measured RUNS times in turn, medians), SITE_PREFIX (scaling: the sites'
# names, and their databases' bench_<prefix>_...), PORT (8097). Loopback only; every site it
# makes (data folders, databases, servers) is removed at the end, unless KEEP_SITES=1:
# then a later run with the same SITE_PREFIX measures the kept sites again (migrated, not
# refilled), e.g. before and after a change to the code.
set -euo pipefail
export REDIS_BASE="${REDIS_BASE:-redis://127.0.0.1:6379/14}"
export BENCH_RUN="${BENCH_RUN:-/tmp/byline-bench-scaling}"
source "$(dirname "$0")/lib.sh"
BIG_ARTICLES="${BIG_ARTICLES:-100000}" BIG_COMMENTS="${BIG_COMMENTS:-1000000}"
SMALL_ARTICLES="${SMALL_ARTICLES:-100}" SECONDS_EACH="${MEASURE_SECONDS:-10}" WORKERS="${WORKERS:-4}"
KINDS=("$@")
[[ ${#KINDS[@]} -gt 0 ]] || KINDS=(sqlite pg)
PYTHON="$ROOT/.venv/bin/python"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/scaling-$STAMP"
PORT="${PORT:-8097}" RUNS="${RUNS:-1}" SITE_PREFIX="${SITE_PREFIX:-scaling}"
PAGES="${PAGES:-article,home,deep archive,search,search rare}" KEEP_SITES="${KEEP_SITES:-0}"
UNCACHED_PAGES="${UNCACHED_PAGES-article,home,deep archive}"
mkdir -p "$OUT"

SITES=()
cleanup() {
  local name
  for name in "${SITES[@]}"; do
    byline_down "$name"
    [[ "$KEEP_SITES" == 1 ]] && continue
    rm -rf "${BENCH_RUN:?}/$name" "$BENCH_RUN/$name".{filled,bench-data.log}
    psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS bench_${name//-/_} WITH (FORCE)" \
      >/dev/null 2>&1 || true
  done
  [[ "$KEEP_SITES" == 1 ]] || redis-cli -u "$REDIS_BASE" flushdb >/dev/null 2>&1 || true
}
trap cleanup EXIT

site_env() { byline_env "$1" "$2" | tr '\n' ' '; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sizes: small $SMALL_ARTICLES articles, big $BIG_ARTICLES articles + $BIG_COMMENTS comments"
  echo "wrk: 32 connections, ${SECONDS_EACH} s after a 2 s warm-up; then 1 connection"
  echo "pages: $PAGES; page cache off: ${UNCACHED_PAGES:-none}"
  echo "runs: $RUNS (medians); code: $(git -C "$ROOT" describe --always --dirty)"
} | tee "$OUT/machine.txt"

for kind in "${KINDS[@]}"; do
  for size in small big; do
    name="$SITE_PREFIX-$size-$kind"
    SITES+=("$name")
    if [[ "$KEEP_SITES" == 1 && -f "$BENCH_RUN/$name.filled" ]]; then
      log "$name: kept from an earlier run; migrating"
      env $(site_env "$name" "$kind") "$BYLINE" manage migrate -v0
      cp "$BENCH_RUN/$name.bench-data.log" "$OUT/bench-data-$size-$kind.log"
    else
      redis-cli -u "$REDIS_BASE" flushdb >/dev/null 2>&1 || true
      log "$name: demo site with 30 comments"
      byline_fresh "$name" "$kind" 30
      if [[ "$size" == small ]]; then
        args=(--articles "$SMALL_ARTICLES" --comments 0 --days 30 --seed 8)
      else
        args=(--articles "$BIG_ARTICLES" --comments "$BIG_COMMENTS" --days 3650 --seed 8)
      fi
      log "$name: byline bench-data ${args[*]}"
      env $(site_env "$name" "$kind") timeout 1200 "$BYLINE" bench-data "${args[@]}" \
        | tee "$OUT/bench-data-$size-$kind.log" | grep -v '/' >&2
      cp "$OUT/bench-data-$size-$kind.log" "$BENCH_RUN/$name.bench-data.log"
      touch "$BENCH_RUN/$name.filled"
    fi
    env $(site_env "$name" "$kind") "$PYTHON" "$ROOT/bench/scaling.py" paths \
      >"$OUT/paths-$size-$kind.json"
    byline_start "$name" "$kind" "$PORT" "$WORKERS"
    echo "load at $name: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
    "$PYTHON" "$ROOT/bench/scaling.py" measure "$name" "http://127.0.0.1:$PORT" \
      "$OUT/paths-$size-$kind.json" "$OUT/$size-$kind.json" --seconds "$SECONDS_EACH" \
      --pages "$PAGES" --runs "$RUNS"
    byline_down "$name"
    if [[ -n "$UNCACHED_PAGES" ]]; then  # the same pages made by Django at every request
      byline_start "$name" "$kind" "$PORT" "$WORKERS" BYLINE_PAGE_CACHE=off
      "$PYTHON" "$ROOT/bench/scaling.py" measure "$name" "http://127.0.0.1:$PORT" \
        "$OUT/paths-$size-$kind.json" "$OUT/$size-$kind-uncached.json" \
        --seconds "$SECONDS_EACH" --pages "$UNCACHED_PAGES" --runs "$RUNS"
      byline_down "$name"
    fi
    [[ "$KEEP_SITES" == 1 ]] && continue
    rm -rf "${BENCH_RUN:?}/$name" "$BENCH_RUN/$name".{filled,bench-data.log}  # 1.6 GB SQLite
    if [[ "$kind" == pg ]]; then
      psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS bench_${name//-/_} WITH (FORCE)" \
        >/dev/null
    fi
  done
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
for log_file in "$OUT"/bench-data-*.log; do
  echo "$(basename "$log_file" .log): $(grep -h "done:" "$log_file" | sed 's/^bench-data: //')"
done | tee -a "$OUT/machine.txt"
"$PYTHON" "$ROOT/bench/scaling.py" table "$OUT" | tee "$OUT/table.md"
log "results in $OUT"
