#!/usr/bin/env bash
# Lighthouse scores (issue 5) for the reference article, the home page and the author
# page of a local `byline demo`: performance, accessibility, best practices and SEO,
# Lighthouse's default mobile profile, RUNS runs each, medians by lighthouse_scores.py.
# Lighthouse is pinned to 12.2.3 in bench/lighthouse/package-lock.json (12.x runs on
# Node 20) and drives Debian's Chromium.
#
#   bench/lighthouse.sh [RUNS=3]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" PORT="${PORT:-8097}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/lighthouse-$STAMP"
SITE="$BENCH_RUN/lighthouse-demo"
mkdir -p "$OUT"

log "installing Lighthouse (npm ci)"
(cd "$ROOT/bench/lighthouse" && npm ci --no-audit --no-fund --silent)
LIGHTHOUSE="$ROOT/bench/lighthouse/node_modules/.bin/lighthouse"

rm -rf "$SITE"
env -u DATABASE_URL -u REDIS_URL BYLINE_DATA_DIR="$SITE" "$BYLINE" demo --port "$PORT" \
  --workers 2 >"$OUT/demo.log" 2>&1 &
DEMO_PID=$!
trap 'kill "$DEMO_PID" 2>/dev/null || true; wait "$DEMO_PID" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$ARTICLE_PATH" && break
  sleep 0.5
done

declare -A PAGES=(
  [article]="$ARTICLE_PATH"
  [home]="/"
  [author]="/author/tech-guru/"
)
# One Lighthouse run; true when it produced a report without a runtime error (Lighthouse
# 12 sometimes loses the trace of a page load with this Chromium: NO_NAVSTART).
audit() {
  local url="$1" report="$2"
  CHROME_PATH=/usr/bin/chromium timeout 180 "$LIGHTHOUSE" "$url" \
    --chrome-flags="--no-sandbox --headless --disable-gpu" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$report" --quiet || return 1
  "$ROOT/.venv/bin/python" -c \
    'import json, sys; sys.exit(1 if json.load(open(sys.argv[1])).get("runtimeError") else 0)' \
    "$report"
}

for run in $(seq "$RUNS"); do
  for name in article home author; do
    log "run $run of $RUNS: $name"
    for try in 1 2 3; do
      audit "http://127.0.0.1:$PORT${PAGES[$name]}" "$OUT/$name.run$run.json" && break
      log "  Lighthouse runtime error (try $try of 3); running it again"
      mv "$OUT/$name.run$run.json" "$OUT/$name.run$run.try$try.failed" 2>/dev/null || true
    done
  done
done
"$ROOT/.venv/bin/python" "$ROOT/bench/lighthouse_scores.py" "$OUT"
