#!/usr/bin/env bash
# Comment POST requests/s at 8 connections with the full pipeline on (CSRF, form
# validation, rate limit, ban list, flood check, fixed rules, the trained spam filter,
# the save with its counters, the notification task queued), against `byline serve` on
# SQLite and on PostgreSQL + Redis: wrk -t2 -c8 -d20s after a 5 s warm-up, RUNS times
# (medians). The demo site's filter is first trained on the YouTube collection; the flood
# interval is off and the rate limit raised so that one load generator on 127.0.0.1 is
# not refused (both checks still run on every request).
#
#   bench/comment_post.sh [RUNS=3] [WORKERS=4]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${1:-3}" WORKERS="${2:-4}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/comment-post-$STAMP"
CORPUS="$ROOT/../shared/corpus/spam-youtube"
mkdir -p "$OUT"
trap 'byline_down post-sqlite; byline_down post-pg' EXIT

prepare() {  # NAME KIND PORT
  local name="$1" kind="$2" port="$3" env_lines
  byline_up "$name" "$kind" "$port" "$WORKERS" 30
  mapfile -t env_lines < <(byline_env "$name" "$kind")
  for file in "$CORPUS"/*.csv; do
    env "${env_lines[@]}" "$BYLINE" spam train "$file" >/dev/null
  done
  env "${env_lines[@]}" "$BYLINE" spam status >&2
  env "${env_lines[@]}" "$BYLINE" manage shell --no-imports -c "
from byline.comments.models import ModerationSettings as M
m = M.current(); m.flood_interval = 0; m.rate_limit = 1000000; m.rate_window = 60; m.save()"
  sleep 6  # the servers' cached rules expire
}

measure() {  # NAME KIND PORT RUN
  local name="$1" kind="$2" port="$3" run="$4" headers page before after env_lines
  mapfile -t env_lines < <(byline_env "$name" "$kind")
  headers="$(mktemp)"
  page="$(curl -s -D "$headers" "http://127.0.0.1:$port$ARTICLE_PATH")"
  export CSRF_COOKIE CSRF_TOKEN ARTICLE_ID
  CSRF_COOKIE="$(grep -i '^set-cookie: csrftoken=' "$headers" | sed 's/.*csrftoken=\([^;]*\).*/\1/' | tr -d '\r')"
  CSRF_TOKEN="$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' <<<"$page" | sed 's/.*value="//;s/"//')"
  ARTICLE_ID="$(grep -o 'name="article" value="[0-9]*"' <<<"$page" | grep -o '[0-9]*')"
  count_cmd="from byline.comments.models import Comment; print(Comment.objects.count())"
  timeout 30 wrk -t2 -c8 -d5s -s "$ROOT/bench/comment_post.lua" "http://127.0.0.1:$port" >/dev/null
  before="$(env "${env_lines[@]}" "$BYLINE" manage shell --no-imports -c "$count_cmd")"
  timeout 60 wrk -t2 -c8 -d20s --latency -s "$ROOT/bench/comment_post.lua" \
    "http://127.0.0.1:$port" >"$OUT/$name.run$run.txt"
  sleep 2
  after="$(env "${env_lines[@]}" "$BYLINE" manage shell --no-imports -c "$count_cmd")"
  echo "stored=$((after - before))" >>"$OUT/$name.run$run.txt"
  grep -E "Requests/sec|Non-2xx|BENCH|stored" "$OUT/$name.run$run.txt" | sed "s/^/[$name run $run] /" >&2
  rm -f "$headers"
}

prepare post-sqlite sqlite 8495
prepare post-pg pg 8496
for run in $(seq "$RUNS"); do
  measure post-sqlite sqlite 8495 "$run"
  measure post-pg pg 8496 "$run"
done
"$ROOT/.venv/bin/python" - "$OUT" <<'PY'
import re, statistics, sys
from pathlib import Path
out = Path(sys.argv[1])
print("| target | runs | POST/s at 8 connections (median) | p50 | p99 | stored / answered | non-3xx |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in ("post-sqlite", "post-pg"):
    runs = []
    for path in sorted(out.glob(f"{name}.run*.txt")):
        text = path.read_text()
        bench = dict(p.split("=") for p in re.search(r"^BENCH (.*)$", text, re.M)[1].split())
        bench = {k: float(v) for k, v in bench.items()}
        non = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        runs.append((bench, int(re.search(r"stored=(\d+)", text)[1]), int(non[1]) if non else 0))
    rps = statistics.median(b["requests"] / (b["duration_us"] / 1e6) for b, _, _ in runs)
    p50 = statistics.median(b["p50_us"] for b, _, _ in runs) / 1000
    p99 = statistics.median(b["p99_us"] for b, _, _ in runs) / 1000
    stored = sum(s for _, s, _ in runs)
    answered = sum(int(b["requests"]) for b, _, _ in runs)
    print(f"| {name} | {len(runs)} | {rps:.0f} | {p50:.1f} ms | {p99:.1f} ms | {stored} / {answered} | {sum(n for _, _, n in runs)} |")
PY
