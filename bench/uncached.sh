#!/usr/bin/env bash
# The uncached article page only (BYLINE_PAGE_CACHE=off, views counted): compare.sh's
# Byline-uncached targets, without the peers, optionally side by side with another
# checkout's code (e.g. the commit before a change) run by this checkout's virtualenv.
#
#   bench/uncached.sh [RUNS=3] [DURATION=20] [OTHER_SRC]
#   e.g.  git worktree add --detach /tmp/before <commit>
#         bash bench/uncached.sh 3 10 /tmp/before/src
#   env: WORKERS (byline serve's default), COMMENTS (30), BENCH_RUN, PG_BASE, REDIS_BASE
#
# Targets: uncached-sqlite, uncached-pg (PostgreSQL + Redis), and with OTHER_SRC
# other-sqlite, other-pg (PYTHONPATH=OTHER_SRC); measured in turn by
# ../shared/bench-peers/run-peers.sh --no-peers, RUNS times; medians by summarize.py,
# with the server's CPU time per request (less moved by other load than req/s).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" DURATION="${2:-20}" OTHER_SRC="${3:-}" COMMENTS="${COMMENTS:-30}"
WORKERS="${WORKERS:-$("$ROOT/.venv/bin/python" -c 'from byline.server import default_workers
print(default_workers())')}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/uncached-$STAMP"
mkdir -p "$OUT"

# name kind port extra-environment
TARGETS=("uncached-sqlite sqlite 8121 -" "uncached-pg pg 8122 -")
if [[ -n "$OTHER_SRC" ]]; then
  TARGETS+=("other-sqlite sqlite 8123 PYTHONPATH=$OTHER_SRC"
    "other-pg pg 8124 PYTHONPATH=$OTHER_SRC")
fi

cleanup() {
  byline_remove "${TARGETS[@]}"
}
trap cleanup EXIT

declare -a TARGET_ARGS=() NAMES=()
for target in "${TARGETS[@]}"; do
  read -r name kind port extra <<<"$target"
  [[ "$extra" == - ]] && extra=""
  log "$name: demo site with $COMMENTS comments, $WORKERS workers, page cache off ${extra}"
  byline_up "$name" "$kind" "$port" "$WORKERS" "$COMMENTS" BYLINE_PAGE_CACHE=off $extra
  TARGET_ARGS+=(--target "$name=http://127.0.0.1:$port$ARTICLE_PATH"
    --views-cmd "$name=$(byline_views_cmd "$name" "$kind")")
  NAMES+=("$name")
done

uptime >"$OUT/uptime-before.txt"
for run in $(seq "$RUNS"); do
  log "run $run of $RUNS"
  mkdir -p "$OUT/run$run"
  for name in "${NAMES[@]}"; do
    # The server's CPU time over the target's warm-up, load and one-connection runs.
    cpu_before="$(server_cpu_ms "$(cat "$BENCH_RUN/$name.pid")")"
    bash "$PEERS/run-peers.sh" --no-peers --only "$name" --duration "$DURATION" \
      --out "$OUT/run$run" "${TARGET_ARGS[@]}" >>"$OUT/run$run.md"
    echo "$name $(($(server_cpu_ms "$(cat "$BENCH_RUN/$name.pid")") - cpu_before))" \
      >>"$OUT/run$run/cpu.txt"
  done
  uptime >>"$OUT/uptime-runs.txt"
done
uptime >"$OUT/uptime-after.txt"
{
  echo "Uncached article page, $COMMENTS comments, $WORKERS workers, medians of $RUNS runs" \
    "(wrk -t2 -c32 -d${DURATION}s after a 5 s warm-up; one connection for 10 s)."
  echo "Load: before $(cat "$OUT/uptime-before.txt"); after $(cat "$OUT/uptime-after.txt")"
  echo
  "$ROOT/.venv/bin/python" "$ROOT/bench/summarize.py" --cpu "$OUT"/run*
  echo
  echo "Raw output: $OUT"
} | tee "$OUT/summary.md"
