from byline.pages.models import Page


class PublishedPagePath:
    """A path (`about/team/`) that matches only where a page is published.

    The pages route comes last and would otherwise match every address ending in a
    slash; Django's APPEND_SLASH would then redirect any unknown address (even
    `/static/../secret_key`) to itself with a slash, instead of answering 404.
    """

    regex = r".+/"

    def to_python(self, value: str) -> str:
        # A NUL cannot be in a stored path, and PostgreSQL refuses it in a query.
        if "\x00" in value or not Page.objects.published().filter(path=value).exists():
            raise ValueError("no page is published at this address")
        return value

    def to_url(self, value: str) -> str:
        return value
