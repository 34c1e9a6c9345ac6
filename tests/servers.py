"""Real servers for tests: a site folder set up as `make serve` sets it up
(migrate, setup_site, collectstatic, production settings), gunicorn started on
a free port over it, and an HTTP client that keeps cookies and never follows
redirects. The test client skips the WSGI layer; these do not.

``Site`` is one SQLite database, static root and cache folder under a
temporary directory; ``site.serve(**env)`` starts gunicorn with the site's
environment plus ``env`` and stops it when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def production_env(**extra: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "encyclopedia.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        **extra,
    }


def manage(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout,
    )


def stop(process: subprocess.Popen) -> None:
    """End a server started by a test: politely, then not."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def serving(server):
    """A ``socketserver`` server answering in a thread while the block runs."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Browser:
    """Cookies kept between requests, redirects not followed, and URLs sent
    exactly as given (percent-encoded, as a browser sends them)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def request(self, path: str, data=None, headers: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path: str, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path: str, data) -> Response:
        """POST ``data``: a dict, or (name, value) pairs as ``form_fields`` gives."""
        return self.request(path, data=data)

    def log_in(self, username: str, password: str) -> None:
        form = self.get("/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        answer = self.post("/admin/login/?next=/admin/", {
            "csrfmiddlewaretoken": token, "username": username, "password": password,
            "next": "/admin/",
        })
        assert answer.status == 302, answer.text
        assert any(cookie.name == "sessionid" for cookie in self.cookies)


class _FormParser(HTMLParser):
    """The successful controls of one ``<form>``, as HTML's form submission
    algorithm lists them: inputs (checked boxes only, no buttons or files),
    textareas (first newline dropped, as the parser does) and the selected
    options of selects."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.pairs.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value = self._option["value"]
            self._options.append((value if value is not None else self._option["text"],
                                  self._option["selected"]))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options and not self._multiple:
                chosen = [self._options[0][0]]
            self.pairs.extend((self._select, value) for value in chosen)
            self._select = None


def form_fields(page: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for the form ``form_id``
    (the first form if None) on ``page``, unchanged. Textarea line breaks are
    sent as CRLF, as browsers do."""
    parser = _FormParser(form_id)
    parser.feed(page)
    return [(name, value.replace("\r\n", "\n").replace("\n", "\r\n"))
            for name, value in parser.pairs]


@dataclass
class Site:
    """A migrated, seeded site folder; ``admin_password`` is what setup_site
    printed once."""

    folder: Path
    env: dict[str, str] = field(default_factory=dict)
    admin_password: str = ""

    @classmethod
    def create(cls, folder: Path, **extra: str) -> Site:
        env = production_env(
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
            DJANGO_STATIC_ROOT=str(folder / "static"),
            DJANGO_CACHE_DIR=str(folder / "cache"),
            **extra,
        )
        site = cls(folder, env)
        for command in (("migrate", "--noinput"), ("setup_site",), ("collectstatic", "--noinput")):
            result = site.manage(*command)
            assert result.returncode == 0, result.stdout + result.stderr
            found = re.search(r"password: (\S+)", result.stdout)
            if found:
                site.admin_password = found.group(1)
        return site

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return manage({**self.env, **env}, *args)

    @contextlib.contextmanager
    def serve(self, workers: int = 2, **env: str) -> Iterator[Server]:
        port = free_port()
        log_path = self.folder / f"gunicorn-{port}.log"
        with log_path.open("w+") as log:
            process = subprocess.Popen(
                [str(GUNICORN), "encyclopedia.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(workers), "--access-logfile", "-", "--no-control-socket"],
                cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
            )
            server = Server(f"http://127.0.0.1:{port}", process, log_path)
            try:
                server.wait_until_up()
                yield server
            finally:
                stop(process)
                print(log_path.read_text())


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log_path: Path

    def browser(self) -> Browser:
        return Browser(self.base)

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log}")
            try:
                Browser(self.base).get("/robots.txt")
                return
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer within 30 seconds")
