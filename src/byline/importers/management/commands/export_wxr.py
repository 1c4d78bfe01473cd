"""`byline export-wxr [-o FILE] [--site-url URL]` (also `byline manage export_wxr`)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from byline.importers.wordpress.exporter import wordpress_export


class _Unended:
    """Django's output wrapper, writing text exactly as given."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Export the whole site as a WordPress WXR 1.2 file, which Byline and WordPress "
        "import. It holds commenters' email and IP addresses: keep it private."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="the file to write (default: standard output)"
        )
        parser.add_argument(
            "--site-url",
            default="http://localhost",
            help="the site's address, for the links in the file (default: %(default)s)",
        )

    def handle(self, *args, output: Path | None, site_url: str, **options) -> None:
        if output is None:
            counts = wordpress_export(out=_Unended(self.stdout), site_url=site_url)
        else:
            with output.open("w", encoding="utf-8") as handle:
                counts = wordpress_export(out=handle, site_url=site_url)
        written = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stderr.write(f"Exported {written}.")
