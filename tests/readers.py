"""A reader's browser over plain HTTP, for outage tests and load scripts: keeps its
cookies and connection, reads pages, and posts comments through the real form (with its
CSRF token), without following redirects, so every answer is seen as the server sent it."""

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ARTICLE = re.compile(r'name="article" value="(\d+)"')
_VIEWS = re.compile(r"(\d+) views?\b")


@dataclass
class Answer:
    status: int  # 0: no answer (connection refused, reset, timed out)
    body: str
    headers: http.client.HTTPMessage  # names are case-insensitive, as in HTTP

    @property
    def views(self) -> int | None:
        found = _VIEWS.search(self.body)
        return int(found.group(1)) if found else None


class Reader:
    def __init__(self, base_url: str, *, user_agent: str = READER_UA, timeout: float = 15):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.user_agent, self.timeout = user_agent, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Answer:
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException):
            self.close()
            return Answer(0, "", http.client.HTTPMessage())
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Answer(response.status, text, response.headers)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post_comment(
        self, article_path: str, *, text: str, name: str, email: str, page: Answer | None = None
    ) -> Answer:
        """Post the comment form of the article `page` (read now if not given). A 303
        answer is the server's acknowledgement that the comment is saved."""
        page = page or self.get(article_path)
        token, article = _TOKEN.search(page.body), _ARTICLE.search(page.body)
        if page.status != 200 or not token or not article:
            return page
        form = {"comment": text, "author": name, "email": email, "url": "",
                "article": article.group(1), "parent": "", "homepage": "",
                "csrfmiddlewaretoken": token.group(1)}  # fmt: skip
        return self.request(
            "POST", "/comments/post/", urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
