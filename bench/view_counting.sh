#!/usr/bin/env bash
# View counting under load (issue 3's figures), against `byline serve` (4 workers) on
# SQLite and on PostgreSQL + Redis, with counting on and off (off: 127.0.0.1 in
# BYLINE_VIEWS_EXCLUDED_IPS, so the page still reads and shows the count but writes
# nothing):
#   1. wrk -t2 -c32 -d20s (and -c1 -d10s) through ../shared/bench-peers/run-peers.sh, RUNS
#      times: req/s of the article page, counted views per second, counted vs sent;
#   2. an exact check per counting target: `ab -n EXACT -c 32 -k`, a bounded number of
#      requests; after the flusher has drained, counted must equal EXACT.
# Medians by bench/views_summary.py. Loopback only; every run bounded in time and count.
#
#   bench/view_counting.sh [RUNS=3] [EXACT=10000] [WORKERS=4]   (RUNS=0: the exact check only)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" EXACT="${2:-10000}" WORKERS="${3:-4}"
REDIS_BASE="${REDIS_BASE:-redis://127.0.0.1:6379/3}"
READER_UA="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/view-counting-$STAMP"
mkdir -p "$OUT"
command -v ab >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q apache2-utils
# target name -> kind, port, excluded IPs ("" = counting on)
declare -A KIND=([views-sqlite]=sqlite [views-sqlite-off]=sqlite [views-pg]=pg [views-pg-off]=pg)
declare -A PORT=([views-sqlite]=8131 [views-sqlite-off]=8132 [views-pg]=8133 [views-pg-off]=8134)
declare -A OFF=([views-sqlite]="" [views-sqlite-off]=127.0.0.1 [views-pg]="" [views-pg-off]=127.0.0.1)
NAMES=(views-sqlite views-sqlite-off views-pg views-pg-off)
trap 'for n in "${NAMES[@]}"; do byline_down "$n"; done' EXIT

for name in "${NAMES[@]}"; do
  BYLINE_VIEWS_EXCLUDED_IPS="${OFF[$name]}" \
    byline_up "$name" "${KIND[$name]}" "${PORT[$name]}" "$WORKERS" 0
done

declare -a ARGS=()
for name in "${NAMES[@]}"; do
  ARGS+=(--target "$name=http://127.0.0.1:${PORT[$name]}$ARTICLE_PATH")
  [[ -n "${OFF[$name]}" ]] || ARGS+=(--views-cmd "$name=$(byline_views_cmd "$name" "${KIND[$name]}")")
done
for run in $(seq 1 "$RUNS"); do
  log "wrk run $run of $RUNS"
  bash "$PEERS/run-peers.sh" --no-peers --out "$OUT/run$run" "${ARGS[@]}" | tee "$OUT/run$run.md"
done

views_now() { bash -c "$(byline_views_cmd "$1" "${KIND[$1]}")" | tr -dc '0-9'; }
database_views() { # the database total alone (no pending), to see the flusher drain
  local -a env
  mapfile -t env < <(byline_env "$1" "${KIND[$1]}")
  env "${env[@]}" "$BYLINE" manage shell --no-imports -c 'from byline.pageviews.models import ArticleViews; print(ArticleViews.objects.get(article__slug="facebook-mulled-investing-in-xiaomi").views)'
}
: >"$OUT/exact.txt"
for name in views-sqlite views-pg; do
  before=$(views_now "$name")
  log "$name: ab -n $EXACT -c 32 -k"
  # -l: the page's length varies with the count; a browser's User-Agent (ab's own is a
  # bot's, rightly not counted).
  timeout 900 ab -q -l -n "$EXACT" -c 32 -k -H "User-Agent: $READER_UA" \
    "http://127.0.0.1:${PORT[$name]}$ARTICLE_PATH" >"$OUT/$name.ab.txt" 2>&1 || true
  for _ in $(seq 60); do  # the flusher drains within seconds
    [[ "$(database_views "$name")" == "$(views_now "$name")" ]] && break
    sleep 1
  done
  after=$(views_now "$name") stored=$(database_views "$name")
  complete=$(awk '/^Complete requests:/ {print $3}' "$OUT/$name.ab.txt")
  failed=$(awk '/^Failed requests:/ {print $3}' "$OUT/$name.ab.txt")
  rps=$(awk '/^Requests per second:/ {print $4}' "$OUT/$name.ab.txt")
  echo "$name sent=$EXACT complete=$complete failed=$failed counted=$((after - before)) in_database=$((stored - before)) rps=$rps" \
    | tee -a "$OUT/exact.txt"
done

echo
"$ROOT/.venv/bin/python" "$ROOT/bench/views_summary.py" "$OUT"
