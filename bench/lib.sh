# Shared by the bench scripts: start and stop Byline targets next to the peers of
# ../shared/bench-peers. Everything listens on 127.0.0.1 and lives under $BENCH_RUN.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$ROOT/../shared/bench-peers"
BYLINE="$ROOT/.venv/bin/byline"
BENCH_RUN="${BENCH_RUN:-/tmp/byline-bench}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
REDIS_BASE="${REDIS_BASE:-redis://127.0.0.1:6379/15}"
DB_PREFIX="${DB_PREFIX:-bench_}"  # the PostgreSQL databases' names start with it
ARTICLE_PATH="/2014/12/facebook-mulled-investing-in-xiaomi/"
mkdir -p "$BENCH_RUN"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# byline_env NAME KIND -> the environment of target NAME (KIND: sqlite or pg)
byline_env() {
  local name="$1" kind="$2"
  echo "BYLINE_DATA_DIR=$BENCH_RUN/$name"
  if [[ "$kind" == pg ]]; then
    echo "DATABASE_URL=$PG_BASE/${DB_PREFIX}${name//-/_}"
    echo "REDIS_URL=$REDIS_BASE"
    echo "BYLINE_CACHE_PREFIX=bench-$name"
  fi
}

# byline_up NAME KIND PORT WORKERS COMMENTS [VAR=VALUE...]: a fresh demo site with
# COMMENTS approved comments (two thirds top-level, one third replies), served by
# `byline serve` with the extra environment VAR=VALUE... (e.g. BYLINE_PAGE_CACHE=off).
byline_up() {
  byline_fresh "$1" "$2" "$5" "${@:6}"
  byline_start "$1" "$2" "$3" "$4" "${@:6}"
}

# byline_fresh NAME KIND COMMENTS [VAR=VALUE...]: the demo site of byline_up, in a new
# database, not served
byline_fresh() {
  local name="$1" kind="$2" comments="$3"
  local -a env
  mapfile -t env < <(byline_env "$name" "$kind")
  env+=("${@:4}")
  byline_down "$name"
  rm -rf "${BENCH_RUN:?}/$name"
  if [[ "$kind" == pg ]]; then
    psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS ${DB_PREFIX}${name//-/_} WITH (FORCE)" \
      -c "CREATE DATABASE ${DB_PREFIX}${name//-/_}" >/dev/null
  fi
  env "${env[@]}" "$BYLINE" manage migrate -v0
  env "${env[@]}" COMMENTS="$comments" "$BYLINE" manage shell --no-imports \
    -c "$(cat "$ROOT/bench/seed_demo.py")" >&2
}

# byline_start NAME KIND PORT WORKERS [VAR=VALUE...]: serve the site NAME; returns once
# it answers
byline_start() {
  local name="$1" kind="$2" port="$3" workers="$4"
  local -a env
  mapfile -t env < <(byline_env "$name" "$kind")
  env+=("${@:5}")
  env "${env[@]}" "$BYLINE" serve --port "$port" --workers "$workers" \
    >"$BENCH_RUN/$name.log" 2>&1 &
  echo $! >"$BENCH_RUN/$name.pid"
  for _ in $(seq 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$port$ARTICLE_PATH" && return 0
    sleep 0.5
  done
  log "$name did not start; see $BENCH_RUN/$name.log"
  return 1
}

# byline_drop NAME KIND: after byline_down, remove the target's data: its PostgreSQL
# database and Redis keys (KIND pg), its data folder.
byline_drop() {
  local name="$1" kind="$2"
  if [[ "$kind" == pg ]]; then
    psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS ${DB_PREFIX}${name//-/_} WITH (FORCE)" \
      >/dev/null || true
    for pattern in "bench-$name:*" "bench-$name-pages:*"; do  # views, cache; kept pages
      redis-cli -u "$REDIS_BASE" --scan --pattern "$pattern" \
        | xargs -r redis-cli -u "$REDIS_BASE" del >/dev/null || true
    done
  fi
  rm -rf "${BENCH_RUN:?}/$name"
}

byline_down() {
  local pidfile="$BENCH_RUN/$1.pid"
  if [[ -f "$pidfile" ]]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.5; done
    rm -f "$pidfile"
  fi
}

# byline_remove TARGET...: stop and drop each target, given as "NAME KIND …" (the
# target lists of compare.sh and uncached.sh).
byline_remove() {
  local target name kind
  for target in "$@"; do
    read -r name kind _ <<<"$target"
    byline_down "$name"
    byline_drop "$name" "$kind"
  done
}

# byline_views_cmd NAME KIND: a shell command printing the article's current view count
byline_views_cmd() {
  local env_line
  env_line="$(byline_env "$1" "$2" | tr '\n' ' ')"
  echo "env $env_line $BYLINE manage shell --no-imports -c 'from byline.pageviews.services import article_views; from byline.articles.models import Article; print(article_views(article_id=Article.objects.get(slug=\"facebook-mulled-investing-in-xiaomi\").pk))'"
}

# server_rss PID: resident memory of the server's worker processes (the direct children
# of PID, the server's master), from /proc: "sum=… MB each=a,b,… MB".
server_rss() {
  local pid="$1" child kb total=0 each=""
  for child in $(pgrep -P "$pid"); do
    kb="$(awk '/^VmRSS:/{print $2}' "/proc/$child/status" 2>/dev/null || true)"
    [[ -n "$kb" ]] || continue
    total=$((total + kb))
    each+="${each:+,}$((kb / 1024))"
  done
  echo "sum=$((total / 1024)) each=${each:-none}"
}

# server_cpu_ms PID: CPU time (user + system) used so far by the server PID and its
# worker processes, in milliseconds; the difference over a load, divided by the requests
# answered, is the server's CPU cost per request, which other load on the machine hardly
# changes (unlike requests per second).
server_cpu_ms() {
  local pid="$1" ticks=0 p fields
  for p in "$pid" $(pgrep -P "$pid"); do
    fields="$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null || true)"
    [[ -n "$fields" ]] || continue
    # after the command: state(1) … utime(12) stime(13) cutime(14) cstime(15)
    ticks=$((ticks + $(awk '{print $12 + $13 + $14 + $15}' <<<"$fields")))
  done
  echo $((ticks * 1000 / $(getconf CLK_TCK)))
}
