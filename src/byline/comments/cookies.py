"""What a reader's browser remembers for them, in cookies the server reads:
- the comments they posted that wait for moderation (signed, so nobody can claim another
  reader's held comment), so that they alone see them with their status;
- their name, email and website, only when they ticked "Save my name…";
- with verified trust, the address they confirmed through the emailed link (signed): only
  a browser that holds it gets that address's comments through, so typing someone's
  name and email is not enough."""

from django.http import HttpRequest, HttpResponse

HELD_COOKIE = "byline_held"
HELD_SALT = "byline.comments.held"
HELD_MAX = 20
IDENTITY_COOKIES = {
    "author": "comment_author",
    "email": "comment_author_email",
    "url": "comment_author_url",
}
YEAR = 365 * 24 * 3600
TRUST_COOKIE = "byline_trusted"
TRUST_SALT = "byline.comments.trusted"


def held_comment_ids(request: HttpRequest) -> list[int]:
    value = request.get_signed_cookie(HELD_COOKIE, default="", salt=HELD_SALT)
    return [int(part) for part in value.split(".") if part.isdecimal() and len(part) <= 18][
        :HELD_MAX
    ]


def remember_held_comment(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    ids = [comment_id, *held_comment_ids(request)][:HELD_MAX]
    response.set_signed_cookie(
        HELD_COOKIE,
        ".".join(map(str, ids)),
        salt=HELD_SALT,
        max_age=30 * 24 * 3600,
        httponly=True,
        samesite="Lax",
    )


def remembered_identity(request: HttpRequest) -> dict[str, str]:
    return {
        field: request.COOKIES[cookie][:245]
        for field, cookie in IDENTITY_COOKIES.items()
        if request.COOKIES.get(cookie)
    }


def remember_identity(response: HttpResponse, *, author: str, email: str, url: str) -> None:
    values = {"author": author, "email": email, "url": url}
    for field, cookie in IDENTITY_COOKIES.items():
        response.set_cookie(cookie, values[field], max_age=YEAR, httponly=True, samesite="Lax")


def forget_identity(request: HttpRequest, response: HttpResponse) -> None:
    for cookie in IDENTITY_COOKIES.values():
        if cookie in request.COOKIES:
            response.delete_cookie(cookie, samesite="Lax")


def trusted_email(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(TRUST_COOKIE, default=None, salt=TRUST_SALT) or None


def remember_trusted(response: HttpResponse, email: str) -> None:
    response.set_signed_cookie(
        TRUST_COOKIE, email.lower(), salt=TRUST_SALT, max_age=YEAR, httponly=True, samesite="Lax"
    )
