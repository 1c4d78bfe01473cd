from ninja import Schema

from byline.api.schemas.common import absolute


class TermOut(Schema):
    """A category or a tag."""

    id: int
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(term, context: dict) -> str:
        return absolute(context, term.get_absolute_url())


class CategoryOut(TermOut):
    description: str
    parent_id: int | None
