"""A real Varnish (Debian's varnishd with vmod xkey from varnish-modules)
running deploy/varnish.vcl, started on a free port with the backend port
rewritten.

First in front of a small stdlib backend whose pages carry keys the test
chooses: what is stored, what passes, what a purge by key evicts, that the
next reader after a soft purge gets the fresh page, and that a stale page is
served while the app is down. Then in front of the real site under gunicorn:
anonymous pages are shared, editors pass, and an edit through the admin
shows on the next request while an unrelated page stays a hit.

Without varnishd these tests skip locally and fail in CI (CI=true), as the
browser tests do without Chromium."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import logging
import os
import re
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from encyclopedia.purge import purge_keys
from tests.servers import ROOT, Browser, Response, Site, form_fields, free_port, serving, stop

pytestmark = pytest.mark.slow

VARNISHD = Path("/usr/sbin/varnishd")
VCL = ROOT / "deploy" / "varnish.vcl"
VMOD_XKEY = "libvmod_xkey.so"
MISSING = ("Varnish is required in CI: install Debian's varnish and varnish-modules "
           "(/usr/sbin/varnishd and vmod xkey)")


def _vmod_found() -> bool:
    return any(Path("/usr/lib").glob(f"*/varnish/vmods/{VMOD_XKEY}"))


@pytest.fixture(scope="module", autouse=True)
def _varnish_installed():
    if not (VARNISHD.exists() and os.access(VARNISHD, os.X_OK) and _vmod_found()):
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)


@dataclass
class Varnish:
    url: str
    process: subprocess.Popen
    log_path: Path

    def browser(self) -> Browser:
        return Browser(self.url)

    def purge(self, header: str, keys: str, source: str = "127.0.0.1") -> tuple[int, str]:
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=10, source_address=(source, 0)
        )
        try:
            connection.request("PURGE", "/", headers={header: keys})
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()


def vcl_for(backend_port: int) -> str:
    """deploy/varnish.vcl as shipped, with only the backend's port changed."""
    text = VCL.read_text()
    shipped = '.port = "8000";'
    assert text.count(shipped) == 1, "deploy/varnish.vcl must name its backend port once"
    return text.replace(shipped, f'.port = "{backend_port}";')


@contextlib.contextmanager
def varnish(folder: Path, backend_port: int, port: int | None = None) -> Iterator[Varnish]:
    port = port or free_port()
    folder.mkdir(parents=True, exist_ok=True)
    vcl = folder / "varnish.vcl"
    vcl.write_text(vcl_for(backend_port))
    log_path = folder / "varnishd.log"
    with log_path.open("w+") as log:
        process = subprocess.Popen(
            [str(VARNISHD), "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}",
             "-f", str(vcl), "-s", "malloc,32m",
             # No privilege separation (CI runs as root in throwaway folders),
             # no management port (nothing here uses varnishadm), few threads.
             "-j", "none", "-T", "none",
             "-p", "thread_pools=1", "-p", "thread_pool_min=10"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        server = Varnish(f"http://127.0.0.1:{port}", process, log_path)
        try:
            _wait_until_up(server)
            yield server
        finally:
            stop(process)


def _wait_until_up(server: Varnish, seconds: float = 60) -> None:
    # A purge of a key nothing carries: answered by the VCL itself, so it
    # shows the VCL compiled and loaded without touching the backend.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"varnishd exited:\n{server.log_path.read_text()}")
        try:
            if server.purge("xkey-softpurge", "nothing-carries-this")[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise AssertionError(f"varnishd did not answer:\n{server.log_path.read_text()}")


def x_cache(response: Response) -> str:
    return response.headers.get("X-Cache", "")


# A backend whose pages the test describes --------------------------------------


SHARED = "public, max-age=0, s-maxage=3600"


class Backend(http.server.ThreadingHTTPServer):
    """Serves ``pages[path] = (headers)``; the body names the path and how
    many times the backend has served it, so a stored copy is recognisable."""

    daemon_threads = True

    def __init__(self):
        self.pages: dict[str, dict[str, str]] = {}
        self.served: dict[str, int] = {}
        self.seen: list[tuple[str, str, str | None]] = []  # method, path, Cookie
        self.down = False
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _BackendHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def page(self, path: str, keys: str | None = None, cache_control: str | None = SHARED,
             **headers: str) -> str:
        page_headers = dict(headers)
        if keys is not None:
            page_headers["xkey"] = keys
            page_headers["Surrogate-Key"] = keys
        if cache_control is not None:
            page_headers["Cache-Control"] = cache_control
        self.pages[path] = page_headers
        return path

    def requests_for(self, path: str) -> list[tuple[str, str, str | None]]:
        return [seen for seen in self.seen if seen[1] == path]


class _BackendHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        server: Backend = self.server
        if server.down:
            # As a crashed app: the connection Varnish keeps open is dropped
            # unanswered (new ones are refused once the socket is closed).
            self.close_connection = True
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with server.lock:
            server.seen.append((self.command, self.path, self.headers.get("Cookie")))
            if self.path not in server.pages:
                self.send_error(404)
                return
            server.served[self.path] = server.served.get(self.path, 0) + 1
            body = f"{self.path} version {server.served[self.path]}\n".encode()
        self.send_response(200)
        for name, value in server.pages[self.path].items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _answer

    def log_message(self, *args):
        pass


def backend():
    return serving(Backend())


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with backend() as server:
        yield server


@pytest.fixture(scope="module")
def cache(app, tmp_path_factory) -> Iterator[Varnish]:
    with varnish(tmp_path_factory.mktemp("varnish"), app.port) as server:
        yield server


def version(response: Response) -> int:
    return int(re.fullmatch(r"\S+ version (\d+)\n", response.text).group(1))


def test_a_shared_page_is_stored_then_served_without_the_app(app, cache):
    path = app.page("/shared/", keys="a1 L-home")
    reader = cache.browser()
    first, second = reader.get(path), reader.get(path)
    assert (first.status, x_cache(first), version(first)) == (200, "MISS", 1)
    assert (second.status, x_cache(second), version(second)) == (200, "HIT", 1)
    assert len(app.requests_for(path)) == 1
    # What leaves Varnish: no keys, and no s-maxage for caches beyond it.
    assert second.headers["Cache-Control"] == "public, max-age=0"
    assert "xkey" not in second.headers and "Surrogate-Key" not in second.headers
    # Unless a purger asks to see them.
    debug = reader.get(path, headers={"X-Cache-Debug": "1"})
    assert debug.headers["xkey"] == "a1 L-home"
    assert debug.headers["Cache-Control"] == SHARED


def test_pages_the_app_does_not_share_always_reach_it(app, cache):
    unmarked = app.page("/unmarked/", keys="a1", cache_control=None)
    private = app.page("/private/", keys="a1", cache_control="private")
    with_cookie = app.page("/cookie/", keys="a1", **{"Set-Cookie": "csrftoken=abc; Path=/"})
    reader = cache.browser()
    for path in (unmarked, private, with_cookie):
        answers = [reader.get(path, headers={"Cookie": ""}) for _ in range(3)]
        assert [version(answer) for answer in answers] == [1, 2, 3], path
        assert {x_cache(answer) for answer in answers} == {"MISS"}, path


def test_a_signed_in_editor_passes_with_the_session_cookie(app, cache):
    path = app.page("/editor/", keys="a2")
    editor = cache.browser()
    cookie = "csrftoken=t0k3n; sessionid=s3ss10n"
    answers = [editor.get(path, headers={"Cookie": cookie}) for _ in range(2)]
    assert [x_cache(answer) for answer in answers] == ["PASS", "PASS"]
    assert [version(answer) for answer in answers] == [1, 2]
    assert app.requests_for(path)[-1] == ("GET", path, cookie)
    # Nothing was stored for readers either.
    assert x_cache(cache.browser().get(path)) == "MISS"


def test_a_readers_other_cookies_are_dropped_so_the_page_is_shared(app, cache):
    path = app.page("/reader-cookies/", keys="a3")
    first = cache.browser().get(path, headers={"Cookie": "csrftoken=t0k3n; _ga=GA1.2"})
    second = cache.browser().get(path, headers={"Cookie": "csrftoken=other"})
    assert (x_cache(first), x_cache(second)) == ("MISS", "HIT")
    assert app.requests_for(path) == [("GET", path, None)]


def test_writes_and_the_admin_pass(app, cache):
    admin = app.page("/admin/articles/", keys="a4")
    form = app.page("/form/", keys="a4")
    browser = cache.browser()
    assert [x_cache(browser.get(admin)) for _ in range(2)] == ["PASS", "PASS"]
    posted = browser.post(form, {"field": "value"})
    assert x_cache(posted) == "PASS"
    assert app.requests_for(form)[-1][0] == "POST"
    # The admin's cookies reach Django untouched.
    browser.get(admin, headers={"Cookie": "csrftoken=t0k3n"})
    assert app.requests_for(admin)[-1] == ("GET", admin, "csrftoken=t0k3n")
    # The admin in the other interface languages passes as well; a page
    # whose address merely starts like it is shared.
    for path in ("/ru/admin/", "/fa-af/admin/articles/", "/ps/admin"):
        page = app.page(path, keys="a4")
        assert [x_cache(browser.get(page)) for _ in range(2)] == ["PASS", "PASS"], path
    shared = app.page("/ru/administration/", keys="a4")
    assert [x_cache(browser.get(shared)) for _ in range(2)] == ["MISS", "HIT"]


def test_purge_keys_soft_purges_exactly_the_pages_with_the_key(app, cache, settings, caplog):
    """The app's own purge, as a write sends it: the page with the key is
    fetched afresh by the very next reader (not served stale), the page
    without it is still a hit, and a key two pages share reaches both."""
    page_a = app.page("/purge/a/", keys="a10 t0000shared")
    page_b = app.page("/purge/b/", keys="a11 t0000shared")
    reader = cache.browser()
    for path in (page_a, page_b):
        assert [x_cache(reader.get(path)) for _ in range(2)] == ["MISS", "HIT"]

    settings.PURGE_URLS = [cache.url]
    with caplog.at_level(logging.DEBUG, logger="encyclopedia.purge"):
        purge_keys(["a10"])
    assert "Purged 1" in caplog.text
    a_after, b_after = reader.get(page_a), reader.get(page_b)
    assert (x_cache(a_after), version(a_after)) == ("MISS", 2)
    assert (x_cache(b_after), version(b_after)) == ("HIT", 1)
    assert x_cache(reader.get(page_a)) == "HIT"  # stored again

    purge_keys(["t0000shared"])
    assert [version(reader.get(path)) for path in (page_a, page_b)] == [3, 2]
    assert "WARNING" not in caplog.text


def test_a_long_list_of_keys_reaches_varnish_in_batches(app, cache, settings, caplog):
    path = app.page("/purge/batched/", keys="t0000last")
    reader = cache.browser()
    assert [x_cache(reader.get(path)) for _ in range(2)] == ["MISS", "HIT"]
    settings.PURGE_URLS = [cache.url]
    keys = [f"t{index:012x}" for index in range(2000)] + ["t0000last"]
    with caplog.at_level(logging.DEBUG, logger="encyclopedia.purge"):
        purge_keys(keys)
    assert caplog.text.count(f"Cache purge at {cache.url}: Purged") == 5
    assert "WARNING" not in caplog.text
    assert x_cache(reader.get(path)) == "MISS"


def test_a_hard_purge_and_a_refused_purger(app, cache):
    path = app.page("/purge/hard/", keys="a20")
    reader = cache.browser()
    assert [x_cache(reader.get(path)) for _ in range(2)] == ["MISS", "HIT"]
    # 127.0.0.2 is this machine too, but not in the VCL's purgers ACL.
    assert cache.purge("xkey-softpurge", "a20", source="127.0.0.2")[0] == 403
    assert x_cache(reader.get(path)) == "HIT"
    assert cache.purge("xkey-purge", "a20") == (200, "Purged 1\n")
    assert x_cache(reader.get(path)) == "MISS"
    assert cache.purge("xkey", "a20")[0] == 400  # no purge header Varnish knows


def test_a_soft_purged_page_is_served_stale_while_the_app_is_down(tmp_path, settings):
    with backend() as app, varnish(tmp_path, app.port) as cache:
        page = app.page("/outage/", keys="a30")
        app.page("/outage/never-stored/", keys="a30", cache_control=None)
        reader = cache.browser()
        assert [x_cache(reader.get(page)) for _ in range(2)] == ["MISS", "HIT"]
        app.down = True
        app.shutdown()
        app.server_close()

        settings.PURGE_URLS = [cache.url]
        purge_keys(["a30"])
        stale = reader.get(page)
        assert (stale.status, x_cache(stale), version(stale)) == (200, "STALE", 1)
        assert reader.get("/outage/never-stored/").status == 503


# The real site under gunicorn ------------------------------------------------


SEED_URL = "/wiki/russians-in-afghanistan/"
OTHER_TITLE = "Testers in Varnishland"
OTHER_URL = "/wiki/testers-in-varnishland/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    folder = tmp_path_factory.mktemp("varnish-site")
    site = Site.create(folder)
    files = folder / "articles"
    files.mkdir()
    (files / "other.txt").write_text(
        f"= {OTHER_TITLE} =\n\nAn article that shares nothing with the seed.\n", "utf-8"
    )
    result = site.manage("import_articles", str(files))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@dataclass
class Stack:
    app: object  # tests.servers.Server
    cache: Varnish


@pytest.fixture(scope="module")
def stack(site, tmp_path_factory) -> Iterator[Stack]:
    """Varnish's port is chosen first so that gunicorn can be told where to
    purge; Varnish then starts with gunicorn's port as its backend."""
    port = free_port()
    with site.serve(workers=2, DJANGO_PURGE_URLS=f"http://127.0.0.1:{port}") as app:
        app_port = urllib.parse.urlsplit(app.base).port
        with varnish(tmp_path_factory.mktemp("varnish-real"), app_port, port) as cache:
            yield Stack(app, cache)


def test_an_article_page_is_shared_through_varnish(stack):
    """Needs the app's side (encyclopedia.pagecache): anonymous pages sent
    with s-maxage and their keys."""
    direct = stack.app.browser().get(SEED_URL)
    assert direct.status == 200
    assert direct.headers["Cache-Control"] == "public, max-age=0, s-maxage=86400"
    keys = direct.headers["xkey"].split()
    assert keys and all(re.fullmatch(r"[A-Za-z0-9_-]+", key) for key in keys)
    assert direct.headers["Surrogate-Key"].split() == keys

    reader = stack.cache.browser()
    first, second = reader.get(OTHER_URL), reader.get(OTHER_URL)
    assert (x_cache(first), x_cache(second)) == ("MISS", "HIT")
    assert second.body == first.body
    assert f"<h1>{OTHER_TITLE}</h1>" in second.text
    assert second.headers["Cache-Control"] == "public, max-age=0"
    assert "xkey" not in second.headers


def test_a_signed_in_editor_is_never_served_from_varnish(site, stack):
    editor = stack.cache.browser()
    editor.log_in("admin", site.admin_password)  # the login's POST passes too
    pages = [editor.get(OTHER_URL) for _ in range(2)]
    assert [x_cache(page) for page in pages] == ["PASS", "PASS"]
    assert all(">Edit</a>" in page.text for page in pages)
    reader_page = stack.cache.browser().get(OTHER_URL)
    assert reader_page.status == 200 and ">Edit</a>" not in reader_page.text


def test_an_edit_shows_through_varnish_on_the_next_request(site, stack):
    """The issue's test: an editor saves an article in the admin (through
    Varnish, as in production); the app purges that article's keys; the
    next anonymous reader gets the new text, and an unrelated article is
    still served from Varnish."""
    reader = stack.cache.browser()
    for url in (SEED_URL, OTHER_URL):
        reader.get(url)
        assert x_cache(reader.get(url)) == "HIT", url

    editor = stack.cache.browser()
    editor.log_in("admin", site.admin_password)
    found = editor.get("/admin/articles/article/?q=Russians+in+Afghanistan")
    change_url = re.search(r'href="(/admin/articles/article/\d+/change/)[^"]*"', found.text).group(1)
    fields = form_fields(editor.get(change_url).text, "article_form")
    marker = "Edited behind Varnish by the real-Varnish test."
    fields = [(name, marker + "\r\n\r\n" + value if name == "lead" else value)
              for name, value in fields]
    fields.append(("_continue", "Save and continue editing"))
    saved = editor.post(change_url, fields)
    assert saved.status == 302, saved.text[:2000]

    edited = reader.get(SEED_URL)
    assert x_cache(edited) == "MISS"
    assert marker in edited.text
    assert x_cache(reader.get(OTHER_URL)) == "HIT"
    assert "Cache purge" not in stack.app.log  # no purge failed
