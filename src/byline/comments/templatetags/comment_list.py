from django import template
from django.utils.safestring import SafeString, mark_safe

from byline.comments.walker import comment_list_html

register = template.Library()


@register.simple_tag
def comment_list(thread) -> SafeString:
    """The thread's `<li>`s, built by `byline.comments.walker`, which escapes every value."""
    return mark_safe(comment_list_html(thread))  # noqa: S308
