from django.core.management.base import BaseCommand

from byline.discovery.search import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Build the search index anew from the articles (after a bulk import or a restore; "
        "ordinary saves keep it up to date by themselves)."
    )

    def handle(self, *args, **options) -> None:
        indexed = search_index_rebuild()
        self.stdout.write(f"Indexed {indexed} articles.")
