"""`byline serve`: the production server, started from Python so that the command needs no
other configuration file.

granian (its WSGI interface) by default: bench/servers.sh measured it against gunicorn
(gthread and sync workers) and uvicorn (ASGI) on the reference page (bench/RESULTS.md,
"Issue 8: production server"). `BYLINE_SERVER=gunicorn` runs gunicorn's gthread workers
instead, as before.

Both run `--workers` processes under one master (the `byline serve` process), each with
BYLINE_THREADS threads for the application, HTTP keep-alive on, and restart gracefully:
- SIGHUP to the master: every worker is replaced by a new one, one after the other (a
  new worker starts, then the old one stops accepting and finishes its requests within
  BYLINE_GRACEFUL_TIMEOUT seconds) — new code and settings, no refused connection;
- SIGTERM or SIGINT: a graceful stop, with the same timeout;
- a worker that dies (crash, out-of-memory kill) is started again by the master.
Each worker process also runs the background view-count flusher in a thread
(byline.worker.start_in_server)."""

import os
import socket

GRACEFUL_TIMEOUT = 30  # seconds a stopping worker has to finish its requests


def server_name() -> str:
    name = os.environ.get("BYLINE_SERVER", "granian").strip().lower() or "granian"
    if name not in {"granian", "gunicorn"}:
        raise SystemExit(f"byline: BYLINE_SERVER={name!r}: use granian (default) or gunicorn")
    return name


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """granian: one worker per CPU (its threads wait on the database); at least two, so
    that one can restart while the other serves. gunicorn: twice the CPUs, at most 8."""
    if server_name() == "gunicorn":
        return max(2, min(8, 2 * _cpus()))
    return max(2, min(8, _cpus()))


def _threads() -> int:
    return int(os.environ.get("BYLINE_THREADS", "4"))


def _graceful_timeout() -> int:
    return int(os.environ.get("BYLINE_GRACEFUL_TIMEOUT", str(GRACEFUL_TIMEOUT)))


def _log_level() -> str:
    return os.environ.get("BYLINE_SERVER_LOG_LEVEL", "warning")


def run(*, host: str, port: int, workers: int) -> None:
    if server_name() == "gunicorn":
        _run_gunicorn(host=host, port=port, workers=workers)
    else:
        _run_granian(host=host, port=port, workers=workers)


def _refuse_a_taken_port(host: str, port: int) -> None:
    """granian binds with SO_REUSEPORT, so a second server on a port already in use would
    start and share the traffic with the first without a word; refuse, as gunicorn does."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise SystemExit(f"byline: cannot listen on {host}:{port}: {error.strerror}") from None


def _run_granian(*, host: str, port: int, workers: int) -> None:
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    # granian has no post-fork hook: byline.wsgi starts the background jobs when a worker
    # imports it with this set (the master never imports it).
    _refuse_a_taken_port(host, port)
    os.environ["BYLINE_IN_SERVER"] = "1"
    access_log = os.environ.get("BYLINE_ACCESS_LOG") or None
    log_config = None
    if access_log and access_log != "-":
        log_config = _granian_access_log_to_file(access_log)
    Server(
        "byline.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,  # as gunicorn: HTTP/1.1 behind a proxy that may speak HTTP/2
        # 30 s for a client to send its request's head; a head over 417 KB gets a 431.
        http1_settings=HTTP1Settings(header_read_timeout=30_000, keep_alive=True),
        websockets=False,
        workers=workers,
        blocking_threads=_threads(),
        respawn_failed_workers=True,
        respawn_interval=1.0,
        workers_kill_timeout=_graceful_timeout(),
        log_level=LogLevels(_log_level()),
        log_access=access_log is not None,
        log_dictconfig=log_config,
    ).serve()


def _granian_access_log_to_file(path: str) -> dict:
    """granian logs access lines to the `granian.access` logger; send them to `path`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(message)s"}},
        "handlers": {
            "access": {"class": "logging.FileHandler", "filename": path, "formatter": "plain"}
        },
        "loggers": {
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False}
        },
    }


def _start_background_jobs(worker) -> None:
    """Each server process runs the site's background jobs (the view-count flusher) in a
    thread; their lock makes one of them do the work at a time."""
    from byline.worker import start_in_server

    start_in_server()


def _run_gunicorn(*, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

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

    BylineServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": _threads(),
            "preload_app": True,
            "keepalive": 5,
            "graceful_timeout": _graceful_timeout(),
            "timeout": 60,
            "accesslog": os.environ.get("BYLINE_ACCESS_LOG") or None,
            "errorlog": "-",
            "loglevel": _log_level(),
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            "proc_name": "byline",
            "post_worker_init": _start_background_jobs,
        }
    ).run()
