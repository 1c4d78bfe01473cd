#!/usr/bin/env bash
# Issue 8's comparison, in one run: the reference article with COMMENTS approved comments
# served side by side by
#   byline-sqlite-uncached / -cached   `byline serve` on SQLite, BYLINE_PAGE_CACHE=off / on
#   byline-pg-uncached / -cached       `byline serve` on PostgreSQL + Redis, same
#   wordpress                          ../shared/bench-peers WordPress, classic theme
#   wagtail-sqlite / wagtail-pg        ../shared/bench-peers Wagtail (when it can be set up)
#   static-byline                      nginx serving Byline's own article page, saved as a
#                                      file (the same bytes): the physical limit here
# measured by ../shared/bench-peers/run-peers.sh (each target in turn: wrk -t2 -c32 for
# DURATION s after a 5 s warm-up, then one connection for 10 s; views counted against
# requests answered), RUNS times. Prints one Markdown table of medians: req/s, p50, p99,
# one-connection p50, ratios against WordPress, Wagtail and static, the page's weight,
# the resident memory of Byline's worker processes after the load, views counted/sent.
#
#   bench/compare.sh [RUNS=3] [DURATION=20]
#   env: WORKERS (byline serve's default), COMMENTS (30), BENCH_RUN (/tmp/byline-bench),
#        PG_BASE (postgres://postgres@127.0.0.1:5432), REDIS_BASE (redis://…:6379/15),
#        NO_PEERS=1 (the Byline targets and static only: no WordPress, no Wagtail),
#        CACHED_ONLY=1 (only the cached Byline targets and static: no peers, no uncached),
#        PORT_BASE (8100: Byline on PORT_BASE+1…+4, static on +5), DB_PREFIX (bench_:
#        the PostgreSQL databases' names), so that two engineers' runs do not collide
#
# Rerun on a quiet machine, from the repository root, as root (the peers' setup installs
# Debian packages the first time):  bash bench/compare.sh 3 20   (about 20 minutes)
# Peers not answering are set up first (WordPress with WP_THEME=twentytwentyone, then
# Wagtail), and then all peers are stopped at the end (peers/stop-all.sh); peers already
# up are left running (a WordPress on another theme is switched to the classic one). Everything listens on
# 127.0.0.1; the Byline sites, their databases (bench_byline_pg_*) and Redis keys, and
# the static nginx are removed at the end, also on Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" DURATION="${2:-20}" COMMENTS="${COMMENTS:-30}"
WORKERS="${WORKERS:-$("$ROOT/.venv/bin/python" -c 'from byline.server import default_workers
print(default_workers())')}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/compare-$STAMP"
CACHED_ONLY="${CACHED_ONLY:-0}" NO_PEERS="${NO_PEERS:-0}" PORT_BASE="${PORT_BASE:-8100}"
STATIC_PORT=$((PORT_BASE + 5)) STATIC_DIR="$BENCH_RUN/static-byline"
WP_URL="http://127.0.0.1:8081/facebook-mulled-investing-in-xiaomi/"
WAGTAIL_URL="http://127.0.0.1:8083/facebook-mulled-investing-in-xiaomi/"
WAGTAIL_PG_URL="http://127.0.0.1:8084/facebook-mulled-investing-in-xiaomi/"
mkdir -p "$OUT"

# name kind port page-cache
BYLINE_TARGETS=(
  "byline-sqlite-uncached sqlite $((PORT_BASE + 1)) off"
  "byline-sqlite-cached sqlite $((PORT_BASE + 2)) on"
  "byline-pg-uncached pg $((PORT_BASE + 3)) off"
  "byline-pg-cached pg $((PORT_BASE + 4)) on"
)
PEER_NAMES="wordpress,wagtail-sqlite,wagtail-pg,"
if ((CACHED_ONLY)); then
  BYLINE_TARGETS=("${BYLINE_TARGETS[1]}" "${BYLINE_TARGETS[3]}")
  NO_PEERS=1
fi
if ((NO_PEERS)); then
  PEER_NAMES=""
fi
STARTED_PEERS=0

cleanup() {
  byline_remove "${BYLINE_TARGETS[@]}"
  if [[ -s "$STATIC_DIR/nginx.pid" ]]; then
    kill "$(cat "$STATIC_DIR/nginx.pid")" 2>/dev/null || true
  fi
  rm -rf "${STATIC_DIR:?}"
  if ((STARTED_PEERS)); then
    log "stopping the peers this script started"
    bash "$PEERS/peers/stop-all.sh" >&2 || true
  fi
}
trap cleanup EXIT

answers() { curl -sf -o /dev/null --max-time 10 "$1"; }

# -- peers -----------------------------------------------------------------------------
wordpress_page="$( ((NO_PEERS)) || curl -sf --max-time 30 "$WP_URL" || true)"
if ((!NO_PEERS)) && [[ "$wordpress_page" != *twentytwentyone* ]]; then
  answers "$WP_URL" || STARTED_PEERS=1
  log "WordPress (classic theme): setting it up"
  WP_THEME=twentytwentyone bash "$PEERS/peers/wordpress/setup.sh" >"$OUT/wordpress-setup.log" 2>&1 \
    || log "WordPress could not be set up; see $OUT/wordpress-setup.log"
fi
if ((!NO_PEERS)) && { ! answers "$WAGTAIL_URL" || ! answers "$WAGTAIL_PG_URL"; }; then
  answers "$WAGTAIL_URL" || STARTED_PEERS=1
  log "Wagtail: setting it up"
  bash "$PEERS/peers/wagtail/setup.sh" >"$OUT/wagtail-setup.log" 2>&1 \
    || log "Wagtail could not be set up; its figures will be the issue's quoted ones"
fi

# -- Byline ----------------------------------------------------------------------------
declare -a TARGET_ARGS=()
for target in "${BYLINE_TARGETS[@]}"; do
  read -r name kind port cache <<<"$target"
  log "$name: demo site with $COMMENTS comments, $WORKERS workers, BYLINE_PAGE_CACHE=$cache"
  byline_up "$name" "$kind" "$port" "$WORKERS" "$COMMENTS" "BYLINE_PAGE_CACHE=$cache"
  TARGET_ARGS+=(--target "$name=http://127.0.0.1:$port$ARTICLE_PATH"
    --views-cmd "$name=$(byline_views_cmd "$name" "$kind")")
done

# -- static: nginx serving Byline's page, saved as a file ------------------------------
mkdir -p "$STATIC_DIR/root$ARTICLE_PATH"
first_port="$(read -r _ _ port _ <<<"${BYLINE_TARGETS[0]}"; echo "$port")"
curl -sf -o "$STATIC_DIR/root${ARTICLE_PATH}index.html" "http://127.0.0.1:$first_port$ARTICLE_PATH"
cat >"$STATIC_DIR/nginx.conf" <<EOF
user www-data;
worker_processes auto;
pid $STATIC_DIR/nginx.pid;
error_log $STATIC_DIR/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  open_file_cache max=100 inactive=60s; open_file_cache_valid 60s;
  keepalive_timeout 65; keepalive_requests 100000;
  server {
    listen 127.0.0.1:$STATIC_PORT backlog=4096;
    root $STATIC_DIR/root;
    index index.html;
    location / { try_files \$uri \$uri/ =404; }
  }
}
EOF
chmod -R a+rX "$STATIC_DIR"
nginx -q -c "$STATIC_DIR/nginx.conf"
for _ in $(seq 20); do answers "http://127.0.0.1:$STATIC_PORT$ARTICLE_PATH" && break; sleep 0.25; done
TARGET_ARGS+=(--target "static-byline=http://127.0.0.1:$STATIC_PORT$ARTICLE_PATH")

# -- the runs --------------------------------------------------------------------------
uptime >"$OUT/uptime-before.txt"
for run in $(seq "$RUNS"); do
  log "run $run of $RUNS"
  bash "$PEERS/run-peers.sh" --only \
    "${PEER_NAMES}static-byline,$(for t in "${BYLINE_TARGETS[@]}"; do
      printf '%s,' "${t%% *}"
    done)" \
    --duration "$DURATION" --out "$OUT/run$run" "${TARGET_ARGS[@]}" >"$OUT/run$run.md"
  for target in "${BYLINE_TARGETS[@]}"; do
    name="${target%% *}"
    echo "$name $(server_rss "$(cat "$BENCH_RUN/$name.pid")")" >>"$OUT/run$run/rss.txt"
  done
done
uptime >"$OUT/uptime-after.txt"

{
  echo "Comparison, $COMMENTS comments, Byline with $WORKERS workers, medians of $RUNS runs" \
    "(wrk -t2 -c32 -d${DURATION}s after a 5 s warm-up; one connection for 10 s)."
  echo "Load: before $(cat "$OUT/uptime-before.txt"); after $(cat "$OUT/uptime-after.txt")"
  echo
  "$ROOT/.venv/bin/python" "$ROOT/bench/compare_summary.py" "$OUT"/run*/
  echo
  echo "Raw output: $OUT"
} | tee "$OUT/summary.md"
