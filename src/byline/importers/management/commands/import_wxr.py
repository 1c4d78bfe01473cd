"""`byline import-wxr FILE [--dry-run] [--uploads DIR]` (also `byline manage import_wxr`)."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from byline.importers.wordpress.parser import WXRError
from byline.importers.wordpress.services import wordpress_import
from byline.importers.wordpress.summary import OUTCOMES, ImportSummary


def summary_table(summary: ImportSummary) -> str:
    table = Table(
        title="Dry run: nothing was saved" if summary.dry_run else f"Imported {summary.source}",
        title_justify="left",
    )
    table.add_column("kind")
    for outcome in OUTCOMES:
        table.add_column(outcome, justify="right")
    for kind, *numbers in summary.rows():
        table.add_row(kind, *(str(number) for number in numbers))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=False, color_system=None)
    console.print(table)
    for note, count in sorted(summary.notes.items()):
        console.print(f"note: {count} {note}", highlight=False)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file from Tools → Export): authors, posts, pages, "
        "categories, tags, comments and view counts. Safe to run again: unchanged items "
        "are skipped, changed ones updated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the WXR file (.xml)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="run the whole import, report what it would do, and save nothing",
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            metavar="DIR",
            help="a copy of the old site's wp-content/uploads: files found there are "
            "copied to Byline's media and their addresses rewritten",
        )

    def handle(self, *args, file: Path, dry_run: bool, uploads: Path | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"--uploads: no such folder: {uploads}")
        progress = Progress(
            TextColumn("Importing {task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        try:
            with progress:
                task = progress.add_task(file.name, total=file.stat().st_size)
                summary = wordpress_import(
                    path=file,
                    uploads_dir=uploads,
                    dry_run=dry_run,
                    on_read=lambda size: progress.advance(task, size),
                )
        except WXRError as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(summary_table(summary), ending="")
