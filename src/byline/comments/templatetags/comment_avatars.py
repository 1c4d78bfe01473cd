from django import template
from django.utils.html import format_html

from byline.authors.templatetags.avatars import initials_avatar

register = template.Library()
GRAVATAR = "https://www.gravatar.com/avatar/"


@register.simple_tag
def comment_avatar(comment) -> str:
    """Gravatar's picture when the operator turned Gravatar on (BYLINE_GRAVATAR=1; the
    thread then carries a hash of each address, never the address); otherwise initials,
    which tell no outside service anything."""
    digest = getattr(comment, "avatar_hash", None)
    if not digest:
        return initials_avatar(comment.author_name)
    return format_html(
        '<img class="avatar avatar-m" src="{}{}?s=96&amp;d=identicon" alt="" width="48" '
        'height="48" loading="lazy" referrerpolicy="no-referrer">',
        GRAVATAR,
        digest,
    )
