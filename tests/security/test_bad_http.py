"""Raw, malformed HTTP against the real server (`byline serve`: granian + Django): bytes
no browser would send. Each gets an answer below 500 with a message, and nothing leaks."""

import socket

import pytest

from tests.live import ARTICLE_PATH

LONG = b"a" * 9000


def send_raw(port: int, request: bytes, *, read_limit: int = 200_000) -> tuple[int, bytes]:
    """Send bytes as they are; the answer's status code (0: none) and its bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while len(received) < read_limit:
            try:
                chunk = connection.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            received += chunk
    status_line = received.split(b"\r\n", 1)[0].split()
    return (int(status_line[1]) if len(status_line) > 1 else 0), received


def get(path: bytes, *headers: bytes) -> bytes:
    lines = [b"GET " + path + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close", *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


CASES = {
    "raw invalid UTF-8 in the path": get(b"/2014/12/\xff\xfe\xc3/"),
    "raw invalid UTF-8 in the query": get(ARTICLE_PATH.encode() + b"?replytocom=\xff\xfe"),
    "encoded invalid UTF-8 in the path": get(b"/author/%ff%fe%c3/"),
    "encoded NUL in the path": get(b"/media/avatars/%00.png"),
    "control characters in a header": get(b"/", b"X-Note: a\x01b\x7fc"),
    "header line without a colon": get(b"/", b"this is not a header"),
    "header too large": get(b"/", b"X-Big: " + LONG),
    "too many headers": get(b"/", *[f"X-H{n}: 1".encode() for n in range(150)]),
    "request line too long": get(b"/" + LONG),
    "malformed cookies": get(b"/", b'Cookie: ;;=; "x; a=b=c; byline_held=%ff'),
    "raw bytes in a cookie": get(ARTICLE_PATH.encode(), b"Cookie: byline_held=\xff\x01"),
    "invalid Host": get(b"/", b"Host: evil..example:99999"),
    "absolute URL of another host": get(b"http://evil.example/"),
    "unknown method": b"BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    "HTTP/0.9 request": b"GET /\r\n\r\n",
    "invalid Content-Length": b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Length: abc\r\nConnection: close\r\n\r\n",
    "negative Content-Length": b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Length: -5\r\nConnection: close\r\n\r\n",
    "broken chunked body": b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "traversal in static": get(b"/static/../../../../etc/passwd"),
    "encoded traversal in static": get(b"/static/%2e%2e/%2e%2e/secret_key"),
    "encoded traversal in media": get(b"/media/..%2f..%2fsecret_key"),
    "backslash traversal in media": get(b"/media/..\\..\\secret_key"),
    "overlong UTF-8 traversal": get(b"/media/%c0%ae%c0%ae/%c0%ae%c0%ae/secret_key"),
}


@pytest.mark.live
class TestMalformedHttp:
    """Every malformed request gets a 4xx (or an ordinary page), never a 5xx, never the
    secret key or a system file."""

    def test_each_case(self, start_site):
        site = start_site(command="serve")
        secret = (site.data_dir / "secret_key").read_bytes().strip()
        answers = {}
        for name, request in CASES.items():
            status, received = send_raw(site.port, request)
            answers[name] = status
            assert secret not in received and b"root:x:" not in received, name
        unanswered = [name for name, status in answers.items() if status == 0]
        server_errors = {name: status for name, status in answers.items() if status >= 500}
        assert not server_errors, answers
        assert not unanswered, answers
        assert answers["malformed cookies"] == 200  # Django reads what it can
        assert answers["encoded traversal in media"] == 400
        for name in (
            "header line without a colon",
            "header too large",
            "too many headers",
            "request line too long",
            "invalid Host",
            "invalid Content-Length",
        ):
            assert 400 <= answers[name] < 500, (name, answers[name])  # fmt: skip

    def test_a_huge_declared_body_is_refused_before_it_is_sent(self, start_site):
        site = start_site(command="serve")
        head = (
            b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 50000000\r\nConnection: close\r\n\r\ncomment=hello"
        )
        status, received = send_raw(site.port, head)
        assert status == 413
        assert b"Too large to send" in received
