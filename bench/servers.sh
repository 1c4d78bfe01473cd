#!/usr/bin/env bash
# Which production server should `byline serve` run? The reference article page (the
# demo site with COMMENTS approved comments) on SQLite, views counted, served in turn by:
#   gunicorn-gthread  gunicorn, gthread workers (BYLINE_THREADS threads each)
#   gunicorn-sync     gunicorn, sync workers
#   granian           granian, WSGI interface (byline.wsgi), BYLINE_THREADS blocking threads
#   uvicorn           uvicorn, ASGI (byline.asgi), uvloop + httptools
# each with WORKERS processes, measured by ../shared/bench-peers/run-peers.sh (wrk -t2
# -c32 for DURATION s after a warm-up, then one connection; views counted vs requests
# answered), RUNS times in rotating order; prints the medians, the workers' resident
# memory after the load, and the server's CPU time per request answered (warm-up, load
# and one-connection run together): on a busy, shared machine req/s follow the other
# load, CPU per request much less. Loopback only; stops every server it started.
#
#   bench/servers.sh [RUNS=3] [DURATION=20]
#   env: WORKERS (default: nproc), BYLINE_THREADS (4), COMMENTS (30), SERVERS (all four),
#        BENCH_RUN (/tmp/byline-bench)
#
# Rerun on a quiet machine: bash bench/servers.sh 3 20   (about 10 minutes)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" DURATION="${2:-20}"
WORKERS="${WORKERS:-$(nproc)}" THREADS="${BYLINE_THREADS:-4}" COMMENTS="${COMMENTS:-30}"
SERVERS="${SERVERS:-gunicorn-gthread gunicorn-sync granian uvicorn}"
PORT=8095 NAME=byline-servers
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/servers-$STAMP"
BIN="$ROOT/.venv/bin"
# uvicorn is not one of Byline's dependencies: installed here for the comparison only.
if [[ " $SERVERS " == *" uvicorn "* && ! -x "$BIN/uvicorn" ]]; then
  "$BIN/pip" install -q "uvicorn[standard]"
fi
mkdir -p "$OUT"
export BYLINE_DATA_DIR="$BENCH_RUN/$NAME" DJANGO_SETTINGS_MODULE=byline.settings
unset DATABASE_URL REDIS_URL

SERVER_PID=""
server_stop() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap 'server_stop; rm -rf "${BYLINE_DATA_DIR:?}"' EXIT

server_start() { # kind
  local -a cmd
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
    log "port $PORT is taken by another server: stop it first"
    return 1
  fi
  case "$1" in
    gunicorn-gthread)
      cmd=("$BIN/gunicorn" byline.wsgi:application --bind "127.0.0.1:$PORT"
        --workers "$WORKERS" --worker-class gthread --threads "$THREADS" --keep-alive 5
        --preload --log-level warning) ;;
    gunicorn-sync) # no --threads: with more than one, gunicorn silently runs gthread
      cmd=("$BIN/gunicorn" byline.wsgi:application --bind "127.0.0.1:$PORT"
        --workers "$WORKERS" --worker-class sync --preload --log-level warning) ;;
    granian)
      cmd=("$BIN/granian" --interface wsgi --host 127.0.0.1 --port "$PORT"
        --workers "$WORKERS" --blocking-threads "$THREADS" --no-access-log
        --log-level warning byline.wsgi:application) ;;
    uvicorn)
      cmd=("$BIN/uvicorn" byline.asgi:application --host 127.0.0.1 --port "$PORT"
        --workers "$WORKERS" --loop uvloop --http httptools --no-access-log
        --log-level warning) ;;
    *) log "unknown server $1"; return 1 ;;
  esac
  "${cmd[@]}" >"$OUT/$1.log" 2>&1 &
  SERVER_PID=$! # the server's master itself: its children are the workers
  for _ in $(seq 60); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -sf -o /dev/null "http://127.0.0.1:$PORT$ARTICLE_PATH" && return 0
    sleep 0.5
  done
  log "$1 did not start; see $OUT/$1.log"
  return 1
}

log "demo site with $COMMENTS comments in $BYLINE_DATA_DIR"
rm -rf "${BYLINE_DATA_DIR:?}"
"$BYLINE" manage migrate -v0
COMMENTS="$COMMENTS" "$BYLINE" manage shell --no-imports -c "$(cat "$ROOT/bench/seed_demo.py")" >&2
"$BYLINE" manage collectstatic --noinput -v0
views_cmd="$(byline_views_cmd "$NAME" sqlite)"

read -ra order <<<"$SERVERS"
for run in $(seq "$RUNS"); do
  for kind in "${order[@]}"; do
    log "run $run of $RUNS: $kind ($WORKERS workers)"
    server_start "$kind"
    cpu_before="$(server_cpu_ms "$SERVER_PID")"
    bash "$PEERS/run-peers.sh" --no-peers --duration "$DURATION" --out "$OUT/run$run" \
      --target "$kind=http://127.0.0.1:$PORT$ARTICLE_PATH" \
      --views-cmd "$kind=$views_cmd" >"$OUT/run$run.$kind.md"
    echo "$kind $(server_rss "$SERVER_PID")" >>"$OUT/run$run/rss.txt"
    echo "$kind $(($(server_cpu_ms "$SERVER_PID") - cpu_before))" >>"$OUT/run$run/cpu.txt"
    server_stop
    sleep 2
  done
  order=("${order[@]:1}" "${order[0]}") # rotate, so no server always goes first
done

{
  echo "Servers on SQLite, $COMMENTS comments, $WORKERS workers, medians of $RUNS runs" \
    "(wrk -t2 -c32 -d${DURATION}s; c=1 for 10 s):"
  echo
  "$BIN/python" "$ROOT/bench/summarize.py" --memory --cpu "$OUT"/run*
  echo
  echo "Views counted/sent per run:"
  grep -h '^| [a-z]' "$OUT"/run*.md | grep -v '^| target' | awk -F'|' '{print "-" $2 ":" $12}'
  echo
  echo "Raw output: $OUT"
} | tee "$OUT/summary.md"
