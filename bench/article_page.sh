#!/usr/bin/env bash
# The article page under load (issue 2's figures): requests/s and p50/p99 latency at 32
# connections for 20 s with wrk, against `byline serve` on SQLite and on PostgreSQL +
# Redis, each with views counted, repeated RUNS times (medians), with counted-vs-sent
# checked by ../shared/bench-peers/run-peers.sh.
#
#   bench/article_page.sh [RUNS=3] [COMMENTS=0] [WORKERS=4]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" COMMENTS="${2:-0}" WORKERS="${3:-4}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/article-page-$STAMP"
mkdir -p "$OUT"
trap 'byline_down byline-sqlite; byline_down byline-pg' EXIT

byline_up byline-sqlite sqlite 8091 "$WORKERS" "$COMMENTS"
byline_up byline-pg pg 8092 "$WORKERS" "$COMMENTS"
for run in $(seq "$RUNS"); do
  log "run $run of $RUNS"
  bash "$PEERS/run-peers.sh" --no-peers --out "$OUT/run$run" \
    --target "byline-sqlite=http://127.0.0.1:8091$ARTICLE_PATH" \
    --views-cmd "byline-sqlite=$(byline_views_cmd byline-sqlite sqlite)" \
    --target "byline-pg=http://127.0.0.1:8092$ARTICLE_PATH" \
    --views-cmd "byline-pg=$(byline_views_cmd byline-pg pg)" | tee "$OUT/run$run.md"
done
echo
echo "Medians of $RUNS runs ($COMMENTS comments, $WORKERS workers):"
"$ROOT/.venv/bin/python" "$ROOT/bench/summarize.py" "$OUT"/run*
