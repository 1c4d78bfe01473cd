"""A reader's browser, for the live page-cache tests: cookies kept, redirects not
followed, every header and status seen."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message


@dataclass
class Answer:
    status: int
    headers: Message  # names in any case (granian sends them in lower case)
    raw: bytes

    @property
    def body(self) -> str:
        return self.raw.decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Reader:
    def __init__(self, base_url: str, *, user_agent: str) -> None:
        self.base_url = base_url
        self.user_agent = user_agent
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)

    def request(
        self, path: str, *, method: str = "GET", data: bytes | None = None, headers=None
    ) -> Answer:
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"User-Agent": self.user_agent, **(headers or {})},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, path: str, *, method: str = "GET", headers=None) -> Answer:
        return self.request(path, method=method, headers=headers)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        data = urllib.parse.urlencode(fields).encode()
        return self.request(
            path,
            method="POST",
            data=data,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.base_url + path,
                "Origin": self.base_url,
            },
        )

    def post_comment(self, page: str, text: str) -> Answer:
        """Fill in and send the comment form of `page` (an article page's HTML)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        article = re.search(r'name="article" value="(\d+)"', page).group(1)
        return self.post(
            "/comments/post/",
            {
                "csrfmiddlewaretoken": token,
                "article": article,
                "parent": "",
                "comment": text,
                "author": "Page Reader",
                "email": "page.reader@mail.example",
                "url": "",
                "homepage": "",
            },
        )
