"""Django's file cache, remembering in each process what it last read from a file until
the file changes. Every write replaces the file (a new inode), so a stat() tells whether
the value is still the one read: a page-cache hit without Redis reads no file. Values
are shared between callers and must not be changed by them (the page cache's are not).

Django makes a cache object per thread; what they remember is shared by the threads of
a process (one copy of each page, not one per thread) and bounded by MEMO_BYTES (the
values' pickled size): a kept page is about 20 KB, and a site has many."""

import os
import pickle
import threading
import time
import zlib

from django.core.cache.backends.filebased import FileBasedCache

MEMO_LIMIT = 5000
MEMO_BYTES = 16 * 1024 * 1024


class _Memo:
    """File name -> ((inode, mtime), expires, value, pickled size), for one location."""

    def __init__(self) -> None:
        self.values: dict[str, tuple[tuple[int, int], float | None, object, int]] = {}
        self.size = 0
        self.lock = threading.Lock()

    def forget(self, fname: str) -> None:
        with self.lock:
            forgotten = self.values.pop(fname, None)
            if forgotten is not None:
                self.size = max(0, self.size - forgotten[3])

    def keep(self, fname: str, memo: tuple) -> None:
        with self.lock:
            forgotten = self.values.pop(fname, None)
            if forgotten is not None:
                self.size -= forgotten[3]
            if len(self.values) >= MEMO_LIMIT or self.size + memo[3] > MEMO_BYTES:
                self.values.clear()
                self.size = 0
            self.values[fname] = memo
            self.size += memo[3]


_memos: dict[str, _Memo] = {}
_memos_lock = threading.Lock()


class RememberingFileCache(FileBasedCache):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        with _memos_lock:
            self._memo = _memos.setdefault(str(self._dir), _Memo())
        self._files: dict[tuple[str, int | None], str] = {}  # (key, version) -> file name

    def _key_to_file(self, key, version=None):
        fname = self._files.get((key, version))
        if fname is None:
            fname = super()._key_to_file(key, version)
            if len(self._files) >= MEMO_LIMIT:
                self._files.clear()
            self._files[(key, version)] = fname
        return fname

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            stat = os.stat(fname)
        except FileNotFoundError:
            self._memo.forget(fname)
            return default
        identity = (stat.st_ino, stat.st_mtime_ns)
        memo = self._memo.values.get(fname)
        if memo is None or memo[0] != identity:
            try:
                with open(fname, "rb") as file:
                    try:
                        expires = pickle.load(file)  # noqa: S301  (the site's own files)
                    except EOFError:
                        return default  # being written, or empty: treated as expired
                    pickled = zlib.decompress(file.read())
                    value = pickle.loads(pickled)  # noqa: S301
            except FileNotFoundError:
                return default
            memo = (identity, expires, value, len(pickled))
            self._memo.keep(fname, memo)
        if memo[1] is not None and memo[1] < time.time():
            return default
        return memo[2]
