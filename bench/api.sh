#!/usr/bin/env bash
# The JSON API under load (issue 6's figures): requests/s and p50/p99 latency at 32
# connections (and p50 at 1) for the article list (/api/v1/articles, 20 articles with
# their HTML) and one article (/api/v1/articles/1), each as a plain GET and as a
# revalidation (If-None-Match with the current ETag: 304, no body), against
# `byline serve` on SQLite and on PostgreSQL + Redis, repeated RUNS times (medians).
# Load goes to 127.0.0.1 only; every wrk run is bounded by -d and by timeout.
#
#   bench/api.sh [RUNS=3] [WORKERS=4] [DURATION=15]
set -euo pipefail
export REDIS_BASE="${REDIS_BASE:-redis://127.0.0.1:6379/6}"  # this issue's Redis db
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" WORKERS="${2:-4}" DURATION="${3:-15}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/api-$STAMP"
LUA="$PEERS/wrk-report.lua"
mkdir -p "$OUT"
trap 'byline_down api-sqlite; byline_down api-pg' EXIT

port() { "$ROOT/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
seed_more() { # NAME KIND
  local -a env
  mapfile -t env < <(byline_env "$1" "$2")
  env "${env[@]}" SEED_BODY="$PEERS/seed-article.md" ARTICLES=100 "$BYLINE" manage shell \
    --no-imports -c "$(cat "$ROOT/bench/seed_api.py")" >&2
}

declare -A PORT
PORT[api-sqlite]="$(port)"; PORT[api-pg]="$(port)"
byline_up api-sqlite sqlite "${PORT[api-sqlite]}" "$WORKERS" 30
byline_up api-pg pg "${PORT[api-pg]}" "$WORKERS" 30
seed_more api-sqlite sqlite
seed_more api-pg pg

run_wrk() { # OUTFILE THREADS CONNS SECONDS URL [HEADER]
  local -a header=()
  [[ -n "${6:-}" ]] && header=(-H "$6")
  timeout --signal=INT --kill-after=5 $(($4 + 30)) \
    wrk -t"$2" -c"$3" -d"${4}s" --timeout 10s --latency -s "$LUA" "${header[@]}" "$5" \
    >"$1" 2>&1 || true
}

for run in $(seq "$RUNS"); do
  log "run $run of $RUNS"
  dir="$OUT/run$run"
  mkdir -p "$dir"
  for target in api-sqlite api-pg; do
    base="http://127.0.0.1:${PORT[$target]}/api/v1"
    for endpoint in list detail; do
      url="$base/articles"
      [[ "$endpoint" == detail ]] && url="$base/articles/1"
      etag="$(curl -s -D - -o /dev/null "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')"
      code="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")"
      [[ -n "$etag" && "$code" == 304 ]] || { log "$target $endpoint: no ETag/304 ($code)"; exit 1; }
      for mode in 200 304; do
        name="${target#api-}-$endpoint-$mode"
        header=""
        [[ "$mode" == 304 ]] && header="If-None-Match: $etag"
        log "$name: warm-up, c=32 ${DURATION}s, c=1 $((DURATION / 2))s"
        run_wrk "$dir/$name.warmup.txt" 2 32 3 "$url" "$header"
        run_wrk "$dir/$name.c32.txt" 2 32 "$DURATION" "$url" "$header"
        run_wrk "$dir/$name.c1.txt" 1 1 $((DURATION / 2)) "$url" "$header"
        grep -h '^BENCH' "$dir/$name.c32.txt" | grep -q 'err_status=0 ' \
          || log "$name: some answers were errors, see $dir/$name.c32.txt"
      done
    done
  done
done
echo
echo "Medians of $RUNS runs ($WORKERS workers; 200: plain GET, 304: If-None-Match revalidation):"
"$ROOT/.venv/bin/python" "$ROOT/bench/summarize.py" "$OUT"/run*
