"""`byline serve`: the production server (gunicorn), started from Python so that the
command needs no other configuration file."""

import os

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


class BylineServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from byline.wsgi import application

        return application


def _start_background_jobs(worker) -> None:
    """Each server process runs the site's background jobs (the view-count flusher) in a
    thread; their lock makes one of them do the work at a time."""
    from byline.worker import start_in_server

    start_in_server()


def run(*, host: str, port: int, workers: int) -> None:
    BylineServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": int(os.environ.get("BYLINE_THREADS", "4")),
            "preload_app": True,
            "keepalive": 5,
            "graceful_timeout": 30,
            "timeout": 60,
            "accesslog": os.environ.get("BYLINE_ACCESS_LOG") or None,
            "errorlog": "-",
            "loglevel": os.environ.get("BYLINE_SERVER_LOG_LEVEL", "warning"),
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            "proc_name": "byline",
            "post_worker_init": _start_background_jobs,
        }
    ).run()
