"""Uploaded media: addresses of the old site's files (`…/wp-content/uploads/2013/03/a.jpg`,
or `*.files.wordpress.com/2013/03/a.jpg`) are looked up in the folder given with
`--uploads` (a copy of `wp-content/uploads`). A file found there is copied into Byline's
media storage under `uploads/` with the same relative path, and the address rewritten to
it. Nothing is ever fetched from the network: a file not in the folder keeps its old
address and is counted as missing."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.storage import default_storage

from byline.importers.wordpress.summary import ImportSummary

MEDIA_PREFIX = "uploads/"


def uploads_relative_path(url: str) -> str | None:
    """The path of an upload inside `wp-content/uploads`, or None for another address."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = unquote(parts.path)
    if "/wp-content/uploads/" in path:
        relative = path.split("/wp-content/uploads/", 1)[1]
    elif parts.netloc.endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    else:
        return None
    return relative if relative and not relative.endswith("/") else None


class MediaFiles:
    def __init__(self, *, uploads_dir: Path | None, dry_run: bool, summary: ImportSummary):
        self.root = uploads_dir.resolve() if uploads_dir else None
        self.dry_run = dry_run
        self.summary = summary
        self.copied: list[str] = []
        self._done: dict[str, str | None] = {}  # relative path → new address, or None

    def rewrite(self, url: str) -> str:
        """The new address of an upload found in the folder, else `url` unchanged."""
        relative = uploads_relative_path(url)
        if relative is None:
            return url
        if relative not in self._done:
            self._done[relative] = self._bring(relative)
        return self._done[relative] or url

    def _bring(self, relative: str) -> str | None:
        if self.root is None:
            self.summary.note("media references left pointing at the old site (no --uploads)")
            return None
        source = (self.root / relative).resolve()
        if not source.is_relative_to(self.root) or not source.is_file():
            self.summary.note("media files referenced but not found in --uploads")
            return None
        name = MEDIA_PREFIX + relative
        if default_storage.exists(name):
            self.summary.count("media files", "skipped")
        else:
            if not self.dry_run:
                with source.open("rb") as handle:
                    name = default_storage.save(name, File(handle))
                self.copied.append(name)
            self.summary.count("media files", "created")
        return default_storage.url(name)

    def remove_copied(self) -> None:
        """Undo this run's copies (the import failed, or was a dry run)."""
        for name in self.copied:
            default_storage.delete(name)
        self.copied.clear()
