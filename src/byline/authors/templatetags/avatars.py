from django import template
from django.utils.html import format_html

from byline.authors.avatars import colour_index, initials

register = template.Library()


@register.simple_tag
def initials_avatar(name: str, size: str = "m") -> str:
    """A generated avatar for `name`: <span class="avatar avatar-c3 avatar-m">TG</span>."""
    return format_html(
        '<span class="avatar avatar-{} avatar-c{}" aria-hidden="true">{}</span>',
        size,
        colour_index(name),
        initials(name),
    )


@register.inclusion_tag("authors/avatar.html")
def author_avatar(author, size: str = "m") -> dict:
    return {"author": author, "size": size}
