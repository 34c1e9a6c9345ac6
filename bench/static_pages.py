"""Bench-only WSGI entry, as bench/wsgi_bench.py but for any page: the site,
and beside it in the same gunicorn worker the "static limit" of every page,
``/__static_limit__/wiki/some-article/`` answering the exact status, headers
and body an anonymous reader got for /wiki/some-article/, fetched once per
worker through the site itself and then held in memory. The two differ only
in the work done to produce the bytes. Never used in production; the bench
scripts name these addresses with ``editor.static_path``.
"""

from __future__ import annotations

import io

from encyclopedia.wsgi import application as site

STATIC_PREFIX = "/__static_limit__"  # as editor.STATIC_PREFIX

_pages: dict[str, tuple[str, list[tuple[str, str]], bytes]] = {}


def _fetch(environ, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    inner = {key: value for key, value in environ.items() if key != "HTTP_COOKIE"}
    inner.update(REQUEST_METHOD="GET", PATH_INFO=path, QUERY_STRING="", CONTENT_LENGTH="0")
    inner["wsgi.input"] = io.BytesIO(b"")
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=list(headers))

    chunks = site(inner, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    if not answer["status"].startswith("200"):
        raise RuntimeError(f"{path} answered {answer['status']}")
    return answer["status"], answer["headers"], body


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith(STATIC_PREFIX + "/"):
        return site(environ, start_response)
    page = path[len(STATIC_PREFIX):]
    if page not in _pages:
        _pages[page] = _fetch(environ, page)
    status, headers, body = _pages[page]
    start_response(status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
