from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from byline.pages.models import Page, PageComment


def _thread(page: Page) -> list[tuple[PageComment, int]]:
    """Approved comments in thread order with their depth; replies whose parent is not
    shown are left out, as on articles."""
    comments = list(
        page.comments.filter(status=PageComment.Status.APPROVED).only(
            "id", "parent_id", "author_name", "author_url", "body_html", "created_at"
        )
    )
    children: dict[int | None, list[PageComment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[tuple[PageComment, int]] = []
    stack = [(comment, 1) for comment in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        ordered.append((comment, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.pk, [])))
    return ordered


@require_safe
def detail(request: HttpRequest, path: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), path=path)
    return render(request, "pages/detail.html", {"page": page, "thread": _thread(page)})
