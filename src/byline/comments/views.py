from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from byline.articles.models import Article
from byline.articles.views import render_article_page
from byline.comments.cookies import (
    forget_identity,
    remember_held_comment,
    remember_identity,
    remember_trusted,
    trusted_email,
)
from byline.comments.forms import CommentForm
from byline.comments.models import Comment, EmailOptOut
from byline.comments.selectors import comment_url
from byline.comments.services import (
    CommentRejected,
    comment_report,
    comment_submit,
    commenter_verify,
)
from byline.comments.tokens import unsubscribe_read, verification_read


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address as the server saw it. Behind a reverse proxy, the proxy must
    set REMOTE_ADDR; a client's X-Forwarded-For is never
    trusted here, or anyone could dodge the flood limit."""
    return request.META.get("REMOTE_ADDR") or None


@require_POST
def comment_post(request: HttpRequest) -> HttpResponse:
    article_id = request.POST.get("article", "")
    article = (
        Article.objects.published().select_related("author").filter(pk=article_id).first()
        if article_id.isdecimal() and len(article_id) <= 18
        else None
    )
    if article is None:
        return HttpResponseBadRequest(
            "This comment is not attached to a published article, so it was not saved.",
            content_type="text/plain; charset=utf-8",
        )

    form = CommentForm(request.POST)
    status, retry_after = 400, None
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
                notify_replies=data["notify"],
                verified_email=trusted_email(request),
            )
        except CommentRejected as rejection:
            form.add_error(rejection.field, rejection.message)
            status, retry_after = rejection.status, rejection.retry_after
        else:
            return _after_post(request, form, comment)
    response = render_article_page(request, article, comment_form=form, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _after_post(request: HttpRequest, form: CommentForm, comment: Comment) -> HttpResponse:
    """Post/Redirect/Get to the comment, remembering what the reader asked us to."""
    response = HttpResponseRedirect(comment_url(comment))
    response.status_code = 303  # See Other: the browser follows with a GET
    if comment.status == Comment.Status.PENDING:
        remember_held_comment(request, response, comment.pk)
    data = form.cleaned_data
    if data["remember"]:
        remember_identity(response, author=data["author"], email=data["email"], url=data["url"])
    else:
        forget_identity(request, response)
    return response


def _message(
    request: HttpRequest, *, title: str, text: str, status: int = 200, **context
) -> HttpResponse:
    return render(
        request,
        "comments/message.html",
        {"title": title, "text": text, **context},
        status=status,
    )


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader reports a comment: a page asking to confirm (GET), then the report (POST).
    Only published comments can be reported."""
    comment = (
        Comment.objects.approved()
        .select_related("article")
        .filter(pk=pk, article__in=Article.objects.published())
        .first()
    )
    if comment is None:
        raise Http404("This comment is not available.")
    if request.method == "POST":
        comment_report(comment=comment, ip=client_ip(request))
        return _message(
            request,
            title="Thank you",
            text="The moderators will look at this comment.",
            back_url=comment.article.get_absolute_url(),
        )
    return _message(
        request,
        title="Report this comment?",
        text="If this comment is spam, abusive or off-topic, tell the moderators. When "
        "several readers report it, it is hidden until a moderator looks at it.",
        quote=comment,
        button="Report comment",
        back_url=comment.article.get_absolute_url(),
    )


@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = unsubscribe_read(token)
    if found is None or found[1] not in EmailOptOut.Kind.values:
        return _message(
            request,
            title="This link is not valid",
            text="This unsubscribe link is damaged or incomplete. Please use the whole link "
            "from the email, or the unsubscribe button of your mail program.",
            status=400,
        )
    email, kind = found
    label = EmailOptOut.Kind(kind).label
    if request.method == "POST":
        EmailOptOut.objects.get_or_create(email=email, kind=kind)
        return _message(
            request,
            title="You are unsubscribed",
            text=f"No more emails about {label} will be sent to {_masked(email)}.",
        )
    return _message(
        request,
        title="Unsubscribe?",
        text=f"Stop emails about {label} to {_masked(email)}.",
        button="Unsubscribe",
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a commenter's confirmation email: confirm (GET shows the comment, POST
    confirms), then this browser holds the proof and the address's comments go through."""
    found = verification_read(token)
    comment = None
    if found is not None:
        comment = (
            Comment.objects.select_related("article")
            .filter(pk=found[1], author_email__iexact=found[0])
            .first()
        )
    if found is None or comment is None:
        return _message(
            request,
            title="This link is not valid",
            text="This confirmation link is damaged, incomplete or older than a week, or its "
            "comment was removed. Post a new comment to get a new one.",
            status=400,
        )
    email = found[0]
    if request.method == "POST":
        published = commenter_verify(email=email, comment_id=comment.pk)
        response = _message(
            request,
            title="Your address is confirmed",
            text=f"Thank you: from this browser, your comments with {_masked(email)} now "
            "appear without waiting for a moderator."
            + (" Your comment is published." if published else ""),
            back_url=comment.article.get_absolute_url(),
        )
        remember_trusted(response, email)
        return response
    return _message(
        request,
        title="Confirm your email address",
        text=f"This comment was posted with {_masked(email)}. If you wrote it, confirm, and "
        "it will be published; from this browser, your next comments will appear without "
        "waiting for a moderator.",
        quote=comment,
        button="Yes, I wrote it: confirm my address",
    )
