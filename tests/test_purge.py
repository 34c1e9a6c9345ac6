"""encyclopedia.purge on the wire, against small stdlib HTTP servers that
record what they get: the request Varnish expects, keys in batches under the
header limit, and a purge that can fail in every way without failing the
write that asked for it. The same requests against a real Varnish are in
tests/test_varnish.py."""

from __future__ import annotations

import http.client
import http.server
import logging
import socket
import time

import pytest

from encyclopedia import purge
from encyclopedia.purge import purge_keys
from tests.servers import serving


class Recorder(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status: int = 200):
        self.status = status
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        super().__init__(("127.0.0.1", 0), _RecordingHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        body = b"Purged 1\n"
        self.send_response(self.server.status, "Purged 1" if self.server.status == 200 else None)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def recorder(status: int = 200):
    return serving(Recorder(status))


def test_each_address_gets_one_soft_purge_with_the_keys(settings):
    with recorder() as first, recorder() as second:
        settings.PURGE_URLS = [first.url, second.url + "/"]
        purge_keys(["a12", "t3f2a9c1b0d4e", "a12", "L-home", "p_7"])
        for server in (first, second):
            assert len(server.requests) == 1
            method, path, headers = server.requests[0]
            assert (method, path) == ("PURGE", "/")
            assert headers["xkey-softpurge"] == "a12 t3f2a9c1b0d4e L-home p_7"
            assert headers["Host"] == server.url.removeprefix("http://")


def test_many_keys_go_in_batches_under_the_header_limit(settings):
    keys = [f"t{index:012x}" for index in range(2000)]  # 13 characters each: ~28 KB
    with recorder() as server:
        settings.PURGE_URLS = [server.url]
        purge_keys(keys)
    headers = [request[2]["xkey-softpurge"] for request in server.requests]
    assert len(headers) == 5
    assert all(len(header) <= purge.MAX_HEADER_BYTES for header in headers)
    assert " ".join(headers).split(" ") == keys


def test_without_purge_urls_nothing_is_sent(settings, monkeypatch):
    settings.PURGE_URLS = []

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(http.client, "HTTPConnection", no_connection)
    purge_keys(["a1", "a2"])


def test_malformed_keys_are_dropped_and_logged(settings, caplog):
    with recorder() as server:
        settings.PURGE_URLS = [server.url]
        with caplog.at_level(logging.WARNING, logger="encyclopedia.purge"):
            purge_keys(["a1", "a 2", "t3,p4", "", "p5"])
    assert [request[2]["xkey-softpurge"] for request in server.requests] == ["a1 p5"]
    assert "malformed" in caplog.text and "'a 2'" in caplog.text


def test_only_malformed_keys_send_nothing(settings):
    with recorder() as server:
        settings.PURGE_URLS = [server.url]
        purge_keys(["a 1"])
    assert server.requests == []


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # closed again: refused


def test_a_refused_connection_is_logged_and_the_next_address_still_purged(settings, caplog):
    with recorder() as server:
        settings.PURGE_URLS = [refused_url(), server.url]
        with caplog.at_level(logging.WARNING, logger="encyclopedia.purge"):
            purge_keys(["a1"])
    assert len(server.requests) == 1
    assert "Cache purge at http://127.0.0.1:" in caplog.text
    assert "failed" in caplog.text and "refused" in caplog.text.lower()


def test_an_error_status_is_logged_not_raised(settings, caplog):
    with recorder(status=403) as server:
        settings.PURGE_URLS = [server.url]
        with caplog.at_level(logging.WARNING, logger="encyclopedia.purge"):
            purge_keys(["a1"])
    assert len(server.requests) == 1
    assert f"Cache purge at {server.url} answered 403" in caplog.text


def test_a_silent_server_times_out_quickly(settings, caplog, monkeypatch):
    """A Varnish that accepts the connection and never answers costs the
    editor's request the timeout, then is logged."""
    monkeypatch.setattr(purge, "TIMEOUT_SECONDS", 0.3)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # the kernel completes the handshake; nobody reads
        settings.PURGE_URLS = [f"http://127.0.0.1:{silent.getsockname()[1]}"]
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="encyclopedia.purge"):
            purge_keys(["a1"])
        elapsed = time.monotonic() - started
    assert 0.25 < elapsed < 2
    assert "timed out" in caplog.text


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:21", "127.0.0.1:6081", "http://"])
def test_a_bad_address_is_logged_not_raised(settings, caplog, url):
    settings.PURGE_URLS = [url]
    with caplog.at_level(logging.WARNING, logger="encyclopedia.purge"):
        purge_keys(["a1"])
    assert f"Cache purge at {url} failed" in caplog.text


def test_the_settings_read_the_environment():
    from tests.test_settings import run_settings

    code = "print(settings.PURGE_URLS, settings.PAGE_SHARED_MAX_AGE)"
    base = {"DJANGO_SECRET_KEY": "k" * 50}
    result = run_settings({**base, "DJANGO_PURGE_URLS": " http://127.0.0.1:6081,"
                           " http://varnish-2.internal:6081 ,", "DJANGO_SHARED_MAX_AGE": "600"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "['http://127.0.0.1:6081', 'http://varnish-2.internal:6081'] 600\n"
    result = run_settings(base, code)
    assert result.stdout == "[] 86400\n"
