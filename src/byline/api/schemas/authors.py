from ninja import Schema
from pydantic import Field

from byline.api.schemas.common import absolute
from byline.authors.models import Author


class AuthorOut(Schema):
    """An author's public profile. Nothing of the user account behind it."""

    id: int
    name: str = Field(description="The display name.")
    slug: str
    bio: str
    avatar_url: str | None = Field(description="The uploaded avatar, if any.")
    url: str = Field(description="The author's archive page.")

    @staticmethod
    def resolve_name(author: Author) -> str:
        return author.display_name

    @staticmethod
    def resolve_avatar_url(author: Author, context: dict) -> str | None:
        return absolute(context, author.avatar.url) if author.avatar else None

    @staticmethod
    def resolve_url(author: Author, context: dict) -> str:
        return absolute(context, author.get_absolute_url())
