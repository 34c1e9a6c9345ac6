"""Bench-only WSGI entry (bench/http_bench.py): the site, and beside it in
the same gunicorn worker the "static limit", a trivial WSGI app answering
``STATIC_PREFIX...`` with the bytes of a real page held in memory.

The page is ``BENCH_STATIC_PAGE`` (a path such as /wiki/some-article/),
fetched once per worker through the site itself, on the first request to
the static prefix: the same status, headers and body the site sends, so the
two differ only in the work done to produce them. Never used in production.
"""

from __future__ import annotations

import io
import os

from encyclopedia.wsgi import application as site

STATIC_PREFIX = "/__static_limit__"

_page: tuple[str, list[tuple[str, str]], bytes] | None = None


def _fetch(environ) -> tuple[str, list[tuple[str, str]], bytes]:
    """The page at BENCH_STATIC_PAGE, as the site answers an anonymous GET
    from the same client (environ) for it."""
    inner = {key: value for key, value in environ.items() if key != "HTTP_COOKIE"}
    inner.update(
        REQUEST_METHOD="GET",
        PATH_INFO=os.environ["BENCH_STATIC_PAGE"],
        QUERY_STRING="",
        CONTENT_LENGTH="0",
    )
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
        raise RuntimeError(f"{inner['PATH_INFO']} answered {answer['status']}")
    return answer["status"], answer["headers"], body


def application(environ, start_response):
    if not environ.get("PATH_INFO", "").startswith(STATIC_PREFIX):
        return site(environ, start_response)
    global _page
    if _page is None:
        _page = _fetch(environ)
    status, headers, body = _page
    start_response(status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
