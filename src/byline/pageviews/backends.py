"""Where a view is written: the database (no REDIS_URL) or a Redis buffer that the flusher
moves to the database in batches (REDIS_URL set). Both count exactly; both answer the
number to show, which is always database + pending.

Redis keys, under `<cache prefix>:views:`
    pending          hash  "<article id>:<day>" -> views not yet in the database
    pending-totals   hash  "<article id>" -> the same, per article (what pages show)
    seq              the id of the last batch started
    batches          sorted set of the batches started and not yet removed
    batch:<id>, batch:<id>:totals   a batch: the two hashes above, renamed atomically
    kept             sorted set of the batches applied in the last KEEP_APPLIED_SECONDS
                     (score: when, by Redis's clock); their `:totals` hashes are kept
    seen:<visitor>:<article id>      the interval rule's marks (expire by themselves)
    salt:<day>       the day's random salt for visitor hashes (expires after two days)
    flush-lock       one flusher at a time (safety does not depend on it)

Reading a count: one Lua call reads the pending count, the in-flight batches' counts and
`seq`; one SQL statement reads the total and the id of the last batch applied (M). A batch
whose id is at most M is in the total; any other is added. If M > seq, a batch was both
started and applied between the two reads: read again.

A counted view needs no SQL when its process read the article's total less than
BASE_SECONDS ago: that total and its M (the base) stay exact with the Redis call of now,
because every batch applied since the base was read is still in Redis, in `kept`, for
KEEP_APPLIED_SECONDS (longer than BASE_SECONDS), and its id is above M. So the count
shown is exact either way; the base only saves the SQL read."""

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import date
from functools import cache

import redis
from django.conf import settings
from django.db import connection, transaction
from redis.backoff import NoBackoff
from redis.retry import Retry

from byline.pageviews import shared

logger = logging.getLogger("byline.pageviews")

# One statement each, the same text on SQLite (3.35+) and PostgreSQL: insert the row or
# add to it, atomically. The table names are fixed by the models' Meta.
ADD_TO_TOTAL = (
    "INSERT INTO pageviews_articleviews (article_id, views) VALUES (%s, %s) "
    "ON CONFLICT (article_id) DO UPDATE SET views = pageviews_articleviews.views + excluded.views "
    "RETURNING views"
)
ADD_TO_DAY = (
    "INSERT INTO pageviews_dailyviews (article_id, day, views) VALUES (%s, %s, %s) "
    "ON CONFLICT (article_id, day) DO UPDATE "
    "SET views = pageviews_dailyviews.views + excluded.views"
)
# The interval rule without Redis: a row comes back only when the visitor's previous
# counted view of the article is older than the interval (or there is none).
_MARK_VISITOR = (
    "INSERT INTO pageviews_recentview (visitor, article_id, counted_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (visitor, article_id) DO UPDATE SET counted_at = excluded.counted_at "
    "WHERE pageviews_recentview.counted_at <= %s RETURNING counted_at"
)


def _totals_with_last_batch(article_ids: list[int]) -> tuple[dict[int, int], int]:
    """Database totals of these articles and the id of the last batch applied, in one
    statement (one snapshot)."""
    marks = ", ".join(["%s"] * len(article_ids))
    sql = (  # only placeholders are formatted in; the ids are parameters
        f"SELECT article_id, views FROM pageviews_articleviews WHERE article_id IN ({marks}) "  # noqa: S608
        "UNION ALL SELECT NULL, MAX(id) FROM pageviews_viewbatch"
    )
    totals, last_batch = {}, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, article_ids)
        for article_id, views in cursor.fetchall():
            if article_id is None:
                last_batch = views or 0
            else:
                totals[article_id] = views
    return totals, last_batch


# The same statements for sqlite3's own placeholders.
_SQLITE = {sql: sql.replace("%s", "?") for sql in (ADD_TO_TOTAL, ADD_TO_DAY, _MARK_VISITOR)}


def _sqlite_raw():
    """The sqlite3 connection itself, when a view may be counted on it directly: SQLite,
    no transaction open (the view's own is then the whole transaction) and no query
    logging (DEBUG, or a test counting queries: they see Django's path)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block or connection.queries_logged:
        return None
    connection.ensure_connection()
    return connection.connection


def _count_in_table(backend, article_id: int, day: date) -> int | None:
    """Count a view in the table this server process shares with the others of its
    machine (shared.py), when it counts in one; the count to show, or None when the
    view must be counted the backend's own way."""
    table = shared.counting()
    if table is None:
        return None
    shown = table.add(article_id, day)
    if shown is None:  # the article has no slot yet
        total = backend.totals([article_id])[article_id]
        shown = table.take_slot_and_add(article_id, day, total=total)
    return shown


def _with_table(backend, article_ids: list[int]) -> dict[int, int]:
    """The counts to show: the machine's shared table's for the articles it holds, the
    backend's own totals of the others."""
    table = shared.for_reading()
    held = table.read(article_ids) if table is not None else {}
    rest = [article_id for article_id in article_ids if article_id not in held]
    found = backend.totals(rest) if rest else {}
    return {
        article_id: held.get(article_id, found.get(article_id, 0)) for article_id in article_ids
    }


class DatabaseBackend:
    """Each view: one transaction of two atomic upserts (total, day); no read-modify-write.
    On SQLite outside a transaction, straight on the sqlite3 connection: the same
    statements, prepared once (sqlite3's statement cache), without Django's cursor and
    transaction layers (a third of a cached page's cost)."""

    name = "database"

    def record(self, *, article_id: int, day: date, visitor: str | None) -> int | None:
        """Count a view; the new total, or None when the interval rule refused it."""
        if visitor is None and (shown := _count_in_table(self, article_id, day)) is not None:
            return shown
        raw = _sqlite_raw()
        if raw is not None:
            with connection.wrap_database_errors:
                return self._record_sqlite(raw, article_id=article_id, day=day, visitor=visitor)
        with transaction.atomic(), connection.cursor() as cursor:
            if visitor is not None:
                now = int(time.time())
                cursor.execute(
                    _MARK_VISITOR,
                    [visitor, article_id, now, now - settings.BYLINE_VIEWS_INTERVAL],
                )
                if cursor.fetchone() is None:
                    return None
            cursor.execute(ADD_TO_TOTAL, [article_id, 1])
            (total,) = cursor.fetchone()
            cursor.execute(ADD_TO_DAY, [article_id, day, 1])
        return total

    @staticmethod
    def _record_sqlite(raw, *, article_id: int, day: date, visitor: str | None) -> int | None:
        raw.execute("BEGIN IMMEDIATE")  # as Django's atomic() with transaction_mode
        try:
            if visitor is not None:
                now = int(time.time())
                marked = raw.execute(
                    _SQLITE[_MARK_VISITOR],
                    (visitor, article_id, now, now - settings.BYLINE_VIEWS_INTERVAL),
                ).fetchall()
                if not marked:
                    raw.execute("COMMIT")
                    return None
            ((total,),) = raw.execute(_SQLITE[ADD_TO_TOTAL], (article_id, 1)).fetchall()
            raw.execute(_SQLITE[ADD_TO_DAY], (article_id, day.isoformat(), 1))
            raw.execute("COMMIT")
        except BaseException:
            if raw.in_transaction:
                try:
                    raw.execute("ROLLBACK")
                except Exception:  # the connection itself failed: the first error says it
                    logger.debug("ROLLBACK after a failed view count failed too")
            raise
        return total

    def current(self, article_ids: list[int]) -> dict[int, int]:
        return _with_table(self, article_ids)

    def totals(self, article_ids: list[int]) -> dict[int, int]:
        """The database's totals, in one statement (plain SQL: a third of the ORM's
        cost here)."""
        found, _ = _totals_with_last_batch(article_ids)
        return {article_id: found.get(article_id, 0) for article_id in article_ids}

    def salt(self, day: date) -> str:
        from byline.pageviews.models import RecentView, VisitorSalt

        found = VisitorSalt.objects.filter(day=day).values_list("salt", flat=True).first()
        if found:
            return found
        with transaction.atomic():
            salt, created = VisitorSalt.objects.get_or_create(
                day=day, defaults={"salt": secrets.token_hex(16)}
            )
            if created:  # once a day: forget the earlier salts and the marks made with them
                VisitorSalt.objects.filter(day__lt=day).delete()
                cutoff = int(time.time()) - max(settings.BYLINE_VIEWS_INTERVAL, 86400)
                RecentView.objects.filter(counted_at__lt=cutoff).delete()
        return salt.salt


# Count (optionally), then read. KEYS: pending, pending-totals, seq, batches, kept.
# ARGV: batch key prefix, 1 to count, "<article>:<day>", seen key or "", interval,
# then the article ids to read (the counted one first).
# Returns {counted, seq, n, batch ids (n), then per article: pending, per batch: its count}.
_RECORD_AND_READ = """
local counted = 0
if ARGV[2] == '1' then
  local fresh = true
  if ARGV[4] ~= '' then
    fresh = redis.call('SET', ARGV[4], '1', 'NX', 'EX', ARGV[5])
  end
  if fresh then
    redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
    redis.call('HINCRBY', KEYS[2], ARGV[6], 1)
    counted = 1
  end
end
local batches = redis.call('ZRANGE', KEYS[4], 0, -1)
for _, batch in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do table.insert(batches, batch) end
local result = {counted, tonumber(redis.call('GET', KEYS[3]) or '0'), #batches}
for _, batch in ipairs(batches) do table.insert(result, batch) end
local ids = {}
for i = 6, #ARGV do table.insert(ids, ARGV[i]) end
for _, value in ipairs(redis.call('HMGET', KEYS[2], unpack(ids))) do
  table.insert(result, value or '0')
end
for _, batch in ipairs(batches) do
  for _, value in ipairs(redis.call('HMGET', ARGV[1] .. batch .. ':totals', unpack(ids))) do
    table.insert(result, value or '0')
  end
end
return result
"""

# Start a batch. KEYS: pending, pending-totals, seq, batches. ARGV: batch key prefix, M.
# First lifts seq to M (Redis may have lost it); returns the new batch id, or 0.
_START_BATCH = """
local last = tonumber(ARGV[2])
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
if seq < last then
  seq = last
  redis.call('SET', KEYS[3], seq)
end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
seq = redis.call('INCR', KEYS[3])
redis.call('RENAME', KEYS[1], ARGV[1] .. seq)
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], ARGV[1] .. seq .. ':totals')
end
redis.call('ZADD', KEYS[4], seq, seq)
return seq
"""

# A batch is in the database: drop its per-day counts, keep its totals for the readers'
# bases (see the module's docstring) and forget the batches kept longer than ARGV[3]
# seconds. KEYS: batches, kept. ARGV: batch key prefix, the batch's id, seconds to keep.
_KEEP_BATCH = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
redis.call('DEL', ARGV[1] .. ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[2])
if redis.call('EXISTS', ARGV[1] .. ARGV[2] .. ':totals') == 1 then
  redis.call('ZADD', KEYS[2], now, ARGV[2])
end
for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))) do
  redis.call('DEL', ARGV[1] .. old .. ':totals')
  redis.call('ZREM', KEYS[2], old)
end
return 1
"""

# A batch of a machine's shared table, added to the pending counts once. KEYS: pending,
# pending-totals, the batch's marker. ARGV: the marker's lifetime in seconds, then
# (article id, day, views) for each of the batch's counts.
_PUSH = """
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #ARGV, 3 do
  redis.call('HINCRBY', KEYS[1], ARGV[i] .. ':' .. ARGV[i + 1], ARGV[i + 2])
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 2])
end
return 1
"""

_RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@cache
def redis_client(url: str) -> redis.Redis:
    """One connection pool per process (redis-py makes a new one after a fork). No
    automatic retries: a count sent again after a lost answer would count twice."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=1,
        socket_timeout=2,
        health_check_interval=30,
        retry=Retry(NoBackoff(), 0),
    )


@dataclass
class Snapshot:
    """What Redis holds for some articles at one instant."""

    counted: bool
    seq: int
    pending: dict[int, int]
    in_flight: dict[int, dict[int, int]]  # batch id -> article id -> views


def _shown(total: int, last_batch: int, snapshot: Snapshot, article_id: int) -> int:
    """A database total read with M (the last batch applied then), plus what Redis holds
    that is not in it."""
    return (
        total
        + snapshot.pending[article_id]
        + sum(
            counts[article_id] for batch, counts in snapshot.in_flight.items() if batch > last_batch
        )
    )


class RedisBackend:
    """Each view: one Lua call (count and read) and, at most every BASE_SECONDS per
    article and process, one SQL read; batches of counts reach the database through the
    flusher (`flush.views_flush`)."""

    name = "redis"
    READ_ATTEMPTS = 3
    BASE_SECONDS = 2.0
    KEEP_APPLIED_SECONDS = 10.0  # must stay well above BASE_SECONDS
    BASE_LIMIT = 10_000
    PUSHED_SECONDS = 7 * 86400  # a pushed batch's marker: far longer than any retry

    def __init__(self, url: str, prefix: str) -> None:
        self.client = redis_client(url)
        self.prefix = f"{prefix}:views:"
        self.keys = [self.key(name) for name in ("pending", "pending-totals", "seq", "batches")]
        self._read_keys = [*self.keys, self.key("kept")]
        # Article id -> (time.monotonic() before the read, database total, M).
        self._bases: dict[int, tuple[float, int, int]] = {}
        self._record_and_read = self.client.register_script(_RECORD_AND_READ)
        self._keep_batch = self.client.register_script(_KEEP_BATCH)
        self._start_batch = self.client.register_script(_START_BATCH)
        self._release_lock = self.client.register_script(_RELEASE_LOCK)
        self._push = self.client.register_script(_PUSH)

    def key(self, name: str) -> str:
        return self.prefix + name

    def snapshot(
        self,
        article_ids: list[int],
        *,
        count_day: date | None = None,
        visitor: str | None = None,
    ) -> Snapshot:
        """Read the pending counts; with `count_day`, first count a view of the first
        article (unless the visitor's mark says it was counted within the interval)."""
        seen = ""
        if count_day is not None and visitor is not None:
            seen = self.key(f"seen:{visitor}:{article_ids[0]}")
        reply = self._record_and_read(
            keys=self._read_keys,
            args=[
                self.key("batch:"),
                "1" if count_day is not None else "0",
                f"{article_ids[0]}:{count_day.isoformat() if count_day else ''}",
                seen,
                max(settings.BYLINE_VIEWS_INTERVAL, 1),
                *article_ids,
            ],
        )
        counted, seq, n_batches = int(reply[0]), int(reply[1]), int(reply[2])
        batch_ids = [int(batch) for batch in reply[3 : 3 + n_batches]]
        values = [int(value) for value in reply[3 + n_batches :]]
        width = len(article_ids)
        pending = dict(zip(article_ids, values[:width], strict=True))
        in_flight = {
            batch: dict(zip(article_ids, values[width * (i + 1) : width * (i + 2)], strict=True))
            for i, batch in enumerate(batch_ids)
        }
        return Snapshot(bool(counted), seq, pending, in_flight)

    def _read(self, article_ids: list[int], first: Snapshot) -> dict[int, int]:
        snapshot = first
        for _ in range(self.READ_ATTEMPTS):
            started = time.monotonic()
            totals, last_batch = _totals_with_last_batch(article_ids)
            if last_batch <= snapshot.seq:
                if len(self._bases) >= self.BASE_LIMIT:
                    self._bases.clear()
                for article_id in article_ids:
                    self._bases[article_id] = (started, totals.get(article_id, 0), last_batch)
                return {
                    article_id: _shown(totals.get(article_id, 0), last_batch, snapshot, article_id)
                    for article_id in article_ids
                }
            snapshot = self.snapshot(article_ids)  # a batch went through meanwhile
        # Redis lost its state (restarted empty): the flusher lifts seq on its next round.
        return {
            article_id: totals.get(article_id, 0) + snapshot.pending[article_id]
            for article_id in article_ids
        }

    def forget_bases(self) -> None:
        self._bases.clear()

    def record(self, *, article_id: int, day: date, visitor: str | None) -> int:
        """Count a view (unless the interval rule refuses it); the count to show."""
        if visitor is None and (shown := _count_in_table(self, article_id, day)) is not None:
            return shown
        snapshot = self.snapshot([article_id], count_day=day, visitor=visitor)
        base = self._bases.get(article_id)
        # The base's age is checked after the Redis call: every batch applied since the
        # base was read was still in `kept` when the call ran.
        if (
            base is not None
            and time.monotonic() - base[0] < self.BASE_SECONDS
            and base[2] <= snapshot.seq
        ):
            return _shown(base[1], base[2], snapshot, article_id)
        return self._read([article_id], snapshot)[article_id]

    def current(self, article_ids: list[int]) -> dict[int, int]:
        return _with_table(self, article_ids)

    def totals(self, article_ids: list[int]) -> dict[int, int]:
        """Redis's own counts: database + pending + batches in flight."""
        if not article_ids:
            return {}
        return self._read(article_ids, self.snapshot(article_ids))

    def push(self, *, token: int, batch: int, counts: dict[tuple[int, str], int]) -> bool:
        """Add a batch of a machine's shared table (shared.py) to the pending counts,
        once: False (and nothing added) when it had been pushed already."""
        args = [
            str(value)
            for (article_id, day), views in sorted(counts.items())
            for value in (article_id, day, views)
        ]
        return bool(
            self._push(
                keys=[*self.keys[:2], self.key(f"pushed:{token}:{batch}")],
                args=[self.PUSHED_SECONDS, *args],
            )
        )

    def salt(self, day: date) -> str:
        key = self.key(f"salt:{day.isoformat()}")
        self.client.set(key, secrets.token_hex(16), nx=True, ex=2 * 86400)
        return self.client.get(key).decode()

    # The flusher's side (see flush.py).

    def in_flight_batches(self) -> list[int]:
        return [int(batch) for batch in self.client.zrange(self.key("batches"), 0, -1)]

    def start_batch(self, *, last_applied: int) -> int | None:
        batch = int(self._start_batch(keys=self.keys, args=[self.key("batch:"), last_applied]))
        return batch or None

    def batch_counts(self, batch: int) -> dict[tuple[int, str], int]:
        """(article id, ISO day) -> views of a batch."""
        counts = {}
        for field, views in self.client.hgetall(self.key(f"batch:{batch}")).items():
            article_id, _, day = field.decode().partition(":")
            counts[(int(article_id), day)] = int(views)
        return counts

    def remove_batch(self, batch: int) -> None:
        """The batch is in the database: out of the in-flight batches, its totals kept
        for KEEP_APPLIED_SECONDS (see the module's docstring)."""
        self._keep_batch(
            keys=[self.key("batches"), self.key("kept")],
            args=[self.key("batch:"), batch, self.KEEP_APPLIED_SECONDS],
        )

    def lock(self, seconds: float) -> str | None:
        token = secrets.token_hex(8)
        acquired = self.client.set(self.key("flush-lock"), token, nx=True, px=int(seconds * 1000))
        return token if acquired else None

    def unlock(self, token: str) -> None:
        self._release_lock(keys=[self.key("flush-lock")], args=[token])


def redis_backend() -> RedisBackend | None:
    """The Redis buffer when REDIS_URL is set, under the cache's key prefix (so that
    sites sharing one Redis keep their counts apart)."""
    if not settings.REDIS_URL:
        return None
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "byline"
    return _redis_backend(settings.REDIS_URL, prefix)


@cache
def _redis_backend(url: str, prefix: str) -> RedisBackend:
    return RedisBackend(url, prefix)


database_backend = DatabaseBackend()
