import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

# A request header longer than this gets a 431, whichever server runs the site: gunicorn
# refuses a longer header line itself; granian (hyper) only limits the whole head to
# 417 KB, and not reliably (a head that arrives at once may pass).
MAX_HEADER_BYTES = 8190


def _refuse_huge_headers(app):
    def application(environ, start_response):
        for key, value in environ.items():
            if key.startswith("HTTP_") and len(key) + len(value) > MAX_HEADER_BYTES:
                start_response(
                    "431 Request Header Fields Too Large",
                    [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")],
                )
                return [b"Request header too large.\n"]
        return app(environ, start_response)

    return application


django_application = get_wsgi_application()

# After Django's setup: the page cache's layer reads models and settings.
from byline.pagecache.wsgi import PageCache  # noqa: E402

application = _refuse_huge_headers(PageCache(django_application))

if os.environ.get("BYLINE_IN_SERVER") == "1":
    # A worker of `byline serve` under granian, which has no post-fork hook: this module
    # is imported once in each worker process, after the fork.
    from byline.worker import start_in_server

    start_in_server()
