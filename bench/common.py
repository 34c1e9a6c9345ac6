"""Shared by the load scripts: a throwaway PostgreSQL (or SQLite) database
prepared like a real site, and gunicorn serving it with production settings
on a free port of 127.0.0.1. Everything is removed again on exit."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")

EDITOR_PASSWORD = "bench-editor-password-1"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def article_text(n: int) -> str:
    """A synthetic article with sections, [[links]], See also and an infobox."""
    return (
        f"= Group{n} in Country{n % 40} =\n\n"
        "Infobox\n"
        f"- Group: Group{n} people\n"
        f"- Population: {1000 + n * 37:,} (2020 est.)\n"
        f"- Popplace: City{n % 25} and Town{n % 17}\n"
        f"- Langs: Language{n % 9}, Russian\n"
        f"- Rels: Religion{n % 5}\n\n"
        f"The Group{n} community of Country{n % 40} lives mostly in City{n % 25}; "
        f"see [[Group{(n + 1) % 300} in Country{(n + 1) % 40}]] and "
        "[[Russians in Afghanistan]]. Noor Mohammad visited Kabul.\n\n"
        + "Some more text about the history and culture of the community. " * 8
        + "\n\n==History==\n"
        + "They arrived in several waves during the twentieth century. " * 10
        + "\n\n===Recent years===\n- schools\n- newspapers\n- a football club\n\n"
        "==Culture==\n" + "Music, food and festivals are kept alive. " * 6
        + f"\n\n==See also==\n- Group{(n + 2) % 300} in Country{(n + 2) % 40}\n"
        "- Russians in Afghanistan\n"
    )


def database(engine: str, name: str, sqlite_path: Path) -> tuple[str, str]:
    """(PostgreSQL database name or "", DATABASE_URL) for a bench database."""
    if engine == "postgres":
        return name, f"{PG_SERVER}/{name}"
    return "", f"sqlite:///{sqlite_path}"


def production_env(database_url: str, static_root: Path | None = None) -> dict:
    """The environment of a process with production settings (debug off, a
    random secret key) over plain http on 127.0.0.1, on ``database_url``,
    without Redis unless the caller adds REDIS_URL."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "encyclopedia.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",  # plain http on 127.0.0.1
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    if static_root is not None:
        env["DJANGO_STATIC_ROOT"] = str(static_root)
    for name in ("DJANGO_DEBUG_TOOLBAR", "REDIS_URL"):
        env.pop(name, None)
    return env


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server we started (its master only: it stops its workers)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Site:
    """A prepared database and the environment to run the site against it."""

    def __init__(self, articles: int = 300, editors: int = 0, engine: str = "postgres"):
        self.tmp = Path(tempfile.mkdtemp(prefix="encyclopedia-bench-"))
        self.engine = engine
        self.db_name, self.database_url = database(
            engine, f"encyclopedia_bench_{os.getpid()}_{secrets.token_hex(3)}",
            self.tmp / "bench.sqlite3",
        )
        self.env = production_env(self.database_url, static_root=self.tmp / "static")
        self.articles = articles
        self.editors = editors
        self.server: subprocess.Popen | None = None
        self.port = 0

    # --- database -------------------------------------------------------------

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env,
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        if self.engine == "postgres":
            self._psql(f'CREATE DATABASE "{self.db_name}"')
        log(f"database {self.database_url}: migrate, setup_site, {self.articles} articles")
        self.manage("migrate", "--noinput")
        self.manage("setup_site")
        folder = self.tmp / "articles"
        folder.mkdir()
        for n in range(self.articles):
            (folder / f"a{n:04}.txt").write_text(article_text(n), encoding="utf-8")
        self.manage("import_articles", str(folder))
        self.manage("collectstatic", "--noinput", "-v", "0")
        if self.editors:
            script = (
                "from django.contrib.auth import get_user_model\n"
                "U = get_user_model()\n"
                f"for i in range({self.editors}):\n"
                f"    U.objects.create_superuser(f'editor{{i}}', '', {EDITOR_PASSWORD!r})\n"
            )
            self.manage("shell", "-c", script)

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    # --- server ---------------------------------------------------------------

    def start(self, workers: int | None = None) -> str:
        workers = workers or (2 * (os.cpu_count() or 1) + 1)
        self.port = free_port()
        self.server = subprocess.Popen(
            [str(GUNICORN), "encyclopedia.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--log-level", "warning", "--error-logfile", str(self.tmp / "gunicorn.log")],
            cwd=ROOT, env=self.env,
        )
        url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.gunicorn_log()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url + "/robots.txt", timeout=2) as response:
                    if response.status == 200:
                        log(f"gunicorn ({workers} workers) at {url}")
                        return url
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in 30 s: {self.gunicorn_log()}")

    def gunicorn_log(self) -> str:
        path = self.tmp / "gunicorn.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.server:
            stop_process(self.server)
        self.server = None

    def cleanup(self) -> None:
        self.stop()
        if self.engine == "postgres":
            with contextlib.suppress(Exception):
                self._psql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Site:
        try:
            self.prepare()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


def machine() -> str:
    mem = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return (f"nproc {os.cpu_count()}, memory {mem}, Python {sys.version.split()[0]}, "
            f"load average {os.getloadavg()[0]:.2f} at start")
