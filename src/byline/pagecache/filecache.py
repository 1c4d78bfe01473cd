"""Django's file cache, remembering in each process what it last read from a file until
the file changes. Every write replaces the file (a new inode), so a stat() tells whether
the value is still the one read: a page-cache hit without Redis reads no file. Values
are shared between callers and must not be changed by them (the page cache's are not).
What a process remembers is bounded by MEMO_BYTES (the values' pickled size): a kept
page is about 20 KB, and a site has many."""

import os
import pickle
import time
import zlib

from django.core.cache.backends.filebased import FileBasedCache

MEMO_LIMIT = 5000
MEMO_BYTES = 16 * 1024 * 1024


class RememberingFileCache(FileBasedCache):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._memo: dict[str, tuple[tuple[int, int], float | None, object, int]] = {}
        self._memo_bytes = 0

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            stat = os.stat(fname)
        except FileNotFoundError:
            self._forget(fname)
            return default
        identity = (stat.st_ino, stat.st_mtime_ns)
        memo = self._memo.get(fname)
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
            self._forget(fname)
            if len(self._memo) >= MEMO_LIMIT or self._memo_bytes + len(pickled) > MEMO_BYTES:
                self._memo.clear()
                self._memo_bytes = 0
            memo = self._memo[fname] = (identity, expires, value, len(pickled))
            self._memo_bytes += len(pickled)
        if memo[1] is not None and memo[1] < time.time():
            return default
        return memo[2]

    def _forget(self, fname: str) -> None:
        forgotten = self._memo.pop(fname, None)
        if forgotten is not None:
            self._memo_bytes = max(0, self._memo_bytes - forgotten[3])
