"""Real `byline` servers for tests: each in its own data folder and database (SQLite
file, or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL), sharing
Redis under its own key prefix when REDIS_URL is set."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ARTICLE_PATH = "/2014/12/facebook-mulled-investing-in-xiaomi/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres"))


def create_database(base_url: str) -> str:
    """A new, empty PostgreSQL database beside the one in `base_url`; its URL."""
    name = f"byline_live_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_url(base_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))


def drop_database(database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(_admin_url(database_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def byline(
    env: dict, *args: str, check: bool = True, input_text: str | None = None
) -> subprocess.CompletedProcess:
    """Run the `byline` command line as a person would, with `env`; its exit status and
    output (with `check`, a non-zero exit raises)."""
    return subprocess.run(
        [sys.executable, "-m", "byline", *args],
        env=env,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=300,
        check=check,
    )


@dataclass
class LiveSite:
    base_url: str
    port: int
    data_dir: Path
    env: dict
    process: subprocess.Popen | None = None
    output: list[str] = field(default_factory=list)
    database_url: str | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def editor_password(self) -> str | None:
        for line in self.output:
            if match := re.search(r"Editor password \(shown only this once\): (\S+)", line):
                return match.group(1)
        return None

    def manage(self, *args: str, input_text: str | None = None) -> str:
        """Run `byline manage …` against this site's database."""
        return byline(self.env, "manage", *args, input_text=input_text).stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)

    def get(self, path: str, *, user_agent: str = BOT_UA, method: str = "GET") -> tuple[int, str]:
        request = urllib.request.Request(
            self.url(path), method=method, headers={"User-Agent": user_agent}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def views_shown(self, path: str = ARTICLE_PATH) -> int:
        """The count on the page, read as a bot so that reading it counts nothing."""
        status, body = self.get(path)
        assert status == 200, body[:500]
        return int(re.search(r"(\d+) views?\b", body).group(1))

    def launch(self, command: str, workers: int) -> None:
        """Start `byline <command>` and wait until it accepts connections."""
        self.output.clear()
        arguments = ["--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "byline", command, *arguments],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._collect, daemon=True).start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                time.sleep(0.2)
                raise RuntimeError("byline exited early:\n" + "".join(self.output))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("byline did not start in 90 s:\n" + "".join(self.output))

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def stop_server(self) -> None:
        """Stop the server gracefully (SIGTERM to its process group); keep the data."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def stop(self) -> None:
        """Stop the server and drop its PostgreSQL database."""
        self.stop_server()
        if self.database_url:
            drop_database(self.database_url)
            self.database_url = None


def start_site(
    data_dir: Path, *, command: str = "demo", workers: int = 2, extra_env: dict | None = None
) -> LiveSite:
    """Start `byline demo` (or `byline serve` on a migrated database) in a new data folder
    and database, and wait until it answers."""
    env = {**os.environ, "BYLINE_DATA_DIR": str(data_dir), **(extra_env or {})}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    database_url = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        database_url = env["DATABASE_URL"] = create_database(env["DATABASE_URL"])
    if env.get("REDIS_URL"):
        env["BYLINE_CACHE_PREFIX"] = f"live-{uuid.uuid4().hex[:8]}"
    port = free_port()
    site = LiveSite(
        base_url=f"http://127.0.0.1:{port}",
        port=port,
        data_dir=data_dir,
        env=env,
        database_url=database_url,
    )
    try:
        if command == "serve":
            site.manage("migrate", "--no-input", "-v0")
        site.launch(command, workers)
    except Exception:
        site.stop()
        raise
    return site
