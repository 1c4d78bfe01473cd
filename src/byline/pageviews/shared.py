"""View counts kept in memory shared by one machine's server processes.

A view counted straight in the database is a write transaction of its own (on SQLite
about 0.1 ms of CPU, and every process queues for SQLite's one writer lock); in Redis, a
round trip. Either was the largest part of a cached page's cost. In `byline serve`, a
view is instead added to a table in a file that every server process of the machine maps
into memory, under a lock held for a microsecond; the flusher (flush.py) moves the counts
on about once a second, in batches, each applied exactly once even when its flusher is
killed half-way:
- SQLite (`<database file>-views`): to the database, recording the batch's id in
  pageviews_viewbatch in the same transaction, as the Redis flusher does;
- Redis (`<data folder>/views-shared`): to Redis's pending counts, with a marker of the
  machine's table and the batch's id set in the same atomic call; from there the Redis
  flusher takes them to the database. The count a machine shows includes its own views
  at once and other machines' within a flush.
PostgreSQL without Redis counts in the database (its servers may be many machines).

A slot holds one article, in words of 8 bytes, each written in one store:
    article   its id; 0 for a free slot
    base      its total (the database's, or Redis's count with Redis), read when the
              slot was taken and after each batch
    counted   views counted in the slot (it only grows)
    taken     of them, those handed to a batch (the batch being applied: header word
              BATCH); applied: those moved on, that is in `base`
    pending_day, inflight_day: the day of the views not taken / taken and not applied
The count to show, base + counted - applied, is the same in every process at any
instant and holds every view counted; the database (or Redis) has it within a flush. A
flusher marks its batch in flight before taking anything and clears the mark last, so
one killed half-way leaves a table the next flusher finishes without losing or repeating
a view.

Durability: the file's pages live in the kernel, so a killed process loses no view
(as with SQLite's WAL at synchronous=NORMAL, a power cut may lose the last moments).
A slot is freed once a whole round of the flusher passed without a view of its article.
When no slot is free for an article, or views of another day are still pending, its
view is counted as without the table."""

import fcntl
import hashlib
import mmap
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache

from django.conf import settings

MAGIC = 0x0242_594C_494E_4556  # "BYLINEV" and the layout's version (02)
SLOTS = 4096
WINDOW = 64  # the slots an article may take: from article_id % SLOTS on
# Header words.
H_MAGIC, H_SITE, H_BATCH, H_LAST_BATCH, H_TOKEN = range(5)
HEADER_WORDS = 8
# Slot words.
ARTICLE, BASE, COUNTED, TAKEN, APPLIED, PENDING_DAY, INFLIGHT_DAY = range(7)
SLOT_WORDS = 7
SIZE = (HEADER_WORDS + SLOTS * SLOT_WORDS) * 8
_EMPTY_SLOT = memoryview(bytes(8 * SLOT_WORDS)).cast("q")

# A batch's counts: (article id, day as YYYY-MM-DD) -> views, as flush.batch_apply takes.
Counts = dict[tuple[int, str], int]

_counting: "SharedCounts | None" = None


def _neighbourhood(article_id: int) -> Iterator[int]:
    """The first word of each slot an article may take, in the order they are tried."""
    for step in range(WINDOW):
        yield HEADER_WORDS + (article_id + step) % SLOTS * SLOT_WORDS


class SharedCounts:
    """The table of one site on this machine, mapped into this process."""

    def __init__(self, path: str, *, site: int) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._thread_lock = threading.Lock()  # flock does not tell this process's threads apart
        self._folding = threading.Lock()
        self._where: dict[int, int] = {}  # article id -> its slot's first word, as last seen
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            if os.fstat(self._fd).st_size < SIZE:
                os.ftruncate(self._fd, SIZE)  # new: all zeros
            self._map = mmap.mmap(self._fd, SIZE)
            self.words = memoryview(self._map).cast("q")
            if self.words[H_MAGIC] != MAGIC or self.words[H_SITE] != site:
                # New, another layout, or left by another site (a database file since
                # replaced, another Redis): its counts are not this site's.
                self.words[:] = memoryview(bytes(SIZE)).cast("q")
                self.words[H_MAGIC] = MAGIC
                self.words[H_SITE] = site
                # Names this table's batches in Redis (the markers of batches pushed).
                self.words[H_TOKEN] = int.from_bytes(os.urandom(8), "big") >> 1 or 1
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    @property
    def token(self) -> int:
        return self.words[H_TOKEN]

    @contextmanager
    def _locked(self) -> Iterator[memoryview]:
        with self._thread_lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield self.words
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _find(self, words: memoryview, article_id: int) -> int | None:
        at = self._where.get(article_id)
        if at is not None and words[at + ARTICLE] == article_id:
            return at
        for at in _neighbourhood(article_id):
            if words[at + ARTICLE] == article_id:
                if len(self._where) >= SLOTS:
                    self._where.clear()
                self._where[article_id] = at
                return at
        return None

    @staticmethod
    def _add(words: memoryview, at: int, day: int) -> int | None:
        if words[at + COUNTED] != words[at + TAKEN]:
            if words[at + PENDING_DAY] != day:
                return None  # yesterday's views wait for the next batch: this one goes straight
        else:
            words[at + PENDING_DAY] = day
        words[at + COUNTED] += 1
        return words[at + BASE] + words[at + COUNTED] - words[at + APPLIED]

    def add(self, article_id: int, day: date) -> int | None:
        """Count a view of an article that has a slot; the count to show with it, or
        None (no slot: see `take_slot_and_add`)."""
        with self._locked() as words:
            at = self._find(words, article_id)
            return None if at is None else self._add(words, at, day.toordinal())

    def take_slot_and_add(self, article_id: int, day: date, *, total: int) -> int | None:
        """`add`, giving the article a slot first if it still has none (`total`: its
        total, read just before); None when no slot is free."""
        with self._locked() as words:
            at = self._find(words, article_id)
            if at is None:
                at = self._take_free_slot(words, article_id, total)
            return None if at is None else self._add(words, at, day.toordinal())

    @staticmethod
    def _take_free_slot(words: memoryview, article_id: int, total: int) -> int | None:
        for at in _neighbourhood(article_id):
            if words[at + ARTICLE] == 0:
                words[at : at + SLOT_WORDS] = _EMPTY_SLOT
                words[at + BASE] = total
                words[at + ARTICLE] = article_id  # last: the slot is whole
                return at
        return None

    def read(self, article_ids: list[int]) -> dict[int, int]:
        """The count to show of those of `article_ids` that have a slot."""
        found = {}
        with self._locked() as words:
            for article_id in article_ids:
                at = self._find(words, article_id)
                if at is not None:
                    found[article_id] = words[at + BASE] + words[at + COUNTED] - words[at + APPLIED]
        return found

    @contextmanager
    def folding(self) -> Iterator[bool]:
        """Whether this caller is the one flusher of the table (a POSIX record lock on
        the file, apart from the flock of the counts; released if the process dies)."""
        if not self._folding.acquire(blocking=False):
            yield False
            return
        try:
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
            except OSError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, 0)
        finally:
            self._folding.release()

    def in_flight(self) -> tuple[int, Counts] | None:
        """The batch a flusher started and did not settle (it died), with its counts."""
        with self._locked() as words:
            batch = words[H_BATCH]
            return (batch, self._inflight_counts(words)) if batch else None

    def take(self, *, last_applied: int) -> tuple[int, Counts] | None:
        """Start a batch of everything pending (its id above `last_applied`, the last
        batch id in the database, and above any this table used); free the slots that
        had no view since the last batch. None when nothing is pending. Only the flusher
        calls it, with no batch in flight."""
        with self._locked() as words:
            if words[H_BATCH]:
                raise RuntimeError("a batch of views is in flight: settle it first")
            batch = max(last_applied, words[H_LAST_BATCH]) + 1
            words[H_LAST_BATCH] = batch
            words[H_BATCH] = batch  # first: killed below, the next flusher finishes it
            for at in self._slots():
                if not words[at + ARTICLE]:
                    continue
                if words[at + COUNTED] == words[at + APPLIED]:
                    words[at + ARTICLE] = 0
                else:
                    words[at + INFLIGHT_DAY] = words[at + PENDING_DAY]
                    words[at + TAKEN] = words[at + COUNTED]
            counts = self._inflight_counts(words)
            if not counts:
                words[H_BATCH] = 0
                return None
            return batch, counts

    def settle(self, batch: int, *, totals: dict[int, int]) -> None:
        """Batch `batch` was moved on: its views leave the slots, whose base becomes
        `totals` (the totals read after it was moved on)."""
        with self._locked() as words:
            if words[H_BATCH] != batch:
                return
            for at in self._slots():
                if words[at + ARTICLE] and words[at + TAKEN] != words[at + APPLIED]:
                    words[at + BASE] = totals.get(words[at + ARTICLE], 0)
                    words[at + APPLIED] = words[at + TAKEN]
            words[H_BATCH] = 0  # last: killed above, the next flusher settles it again

    @staticmethod
    def _slots() -> range:
        return range(HEADER_WORDS, HEADER_WORDS + SLOTS * SLOT_WORDS, SLOT_WORDS)

    @classmethod
    def _inflight_counts(cls, words: memoryview) -> Counts:
        counts: Counts = {}
        for at in cls._slots():
            if words[at + ARTICLE] and words[at + TAKEN] != words[at + APPLIED]:
                day = date.fromordinal(words[at + INFLIGHT_DAY]).isoformat()
                counts[(words[at + ARTICLE], day)] = words[at + TAKEN] - words[at + APPLIED]
        return counts


def _database_file() -> str | None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:") or not os.path.isfile(name):
        return None  # an in-memory database (tests): nothing else can share it
    return name


def _site() -> tuple[str, int] | None:
    """Where this site's table is, and a number that tells this site from another."""
    if settings.REDIS_URL:
        from byline.pageviews.backends import redis_backend

        database = settings.DATABASES["default"]
        parts = (settings.REDIS_URL, redis_backend().prefix, database.get("HOST"), database["NAME"])
        digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
        return str(settings.DATA_DIR / "views-shared"), int.from_bytes(digest, "big") >> 1
    name = _database_file()
    if name is None:
        return None  # PostgreSQL alone: its servers may be many machines
    return f"{name}-views", os.stat(name).st_ino


def enable_counting() -> bool:
    """Count views in the shared table from now on in this process (each `byline serve`
    worker, whose flusher thread moves them on); whether the site can."""
    global _counting
    _counting = shared_counts(create=True)
    return _counting is not None


def counting() -> SharedCounts | None:
    """The table when this process counts views in it."""
    return _counting


def for_reading() -> SharedCounts | None:
    """The table to read pending views from: this process's own when it counts in one,
    else the site's on this machine, if it has one."""
    return _counting or shared_counts()


def shared_counts(*, create: bool = False) -> SharedCounts | None:
    """The table of this site on this machine, when it exists (or `create`): readers
    anywhere on the machine (a `byline manage` command, say) read the views not yet
    moved on from it."""
    site = _site()
    if site is None:
        return None
    path, identity = site
    if not create and not os.path.exists(path):
        return None
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return _open(path, identity, os.getpid())


@cache
def _open(path: str, site: int, pid: int) -> SharedCounts:
    # One per process: a forked child must not share its parent's open file (its flock).
    return SharedCounts(path, site=site)
