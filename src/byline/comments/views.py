from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.views.decorators.http import require_POST

from byline.articles.models import Article
from byline.articles.views import render_article_page
from byline.comments.cookies import forget_identity, remember_held_comment, remember_identity
from byline.comments.forms import CommentForm
from byline.comments.models import Comment
from byline.comments.services import CommentRejected, comment_submit


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address as the server saw it. Behind a reverse proxy, the proxy must
    set REMOTE_ADDR (gunicorn's --forwarded-allow-ips); a client's X-Forwarded-For is never
    trusted here, or anyone could dodge the flood limit."""
    return request.META.get("REMOTE_ADDR") or None


@require_POST
def comment_post(request: HttpRequest) -> HttpResponse:
    article_id = request.POST.get("article", "")
    article = (
        Article.objects.published().select_related("author").filter(pk=article_id).first()
        if article_id.isdecimal()
        else None
    )
    if article is None:
        return HttpResponseBadRequest(
            "This comment is not attached to a published article, so it was not saved.",
            content_type="text/plain; charset=utf-8",
        )

    form = CommentForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = comment_submit(
                article=article,
                body=data["comment"],
                name=data["author"],
                email=data["email"],
                url=data["url"],
                parent_id=data["parent"],
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                honeypot=data["homepage"],
            )
        except CommentRejected as rejection:
            form.add_error(rejection.field, rejection.message)
            status = rejection.status
        else:
            return _after_post(request, form, comment)
    return render_article_page(request, article, comment_form=form, status=status)


def _after_post(request: HttpRequest, form: CommentForm, comment: Comment) -> HttpResponse:
    """Post/Redirect/Get to the comment, remembering what the reader asked us to."""
    response = HttpResponseRedirect(comment.get_absolute_url())
    response.status_code = 303  # See Other: the browser follows with a GET
    if comment.status == Comment.Status.PENDING:
        remember_held_comment(request, response, comment.pk)
    data = form.cleaned_data
    if data["remember"]:
        remember_identity(response, author=data["author"], email=data["email"], url=data["url"])
    else:
        forget_identity(request, response)
    return response
