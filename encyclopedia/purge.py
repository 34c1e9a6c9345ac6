"""Purging shared caches (Varnish) by surrogate key.

Anonymous pages carry their dependency keys in an ``xkey`` header, which
Varnish's vmod xkey indexes (deploy/varnish.vcl). After a write commits,
``purge_keys`` sends each Varnish in ``settings.PURGE_URLS`` one ``PURGE /``
request per batch of keys, with the keys in an ``xkey-softpurge`` header: every
stored page carrying one of them goes stale, and the VCL makes the next reader
fetch it afresh.

A purge is best effort by design. A Varnish that is down, slow or refusing
must not fail an editor's save that has already committed, so every failure
is logged and swallowed; the pages it would have purged expire after their
``s-maxage`` (``PAGE_SHARED_MAX_AGE``). Each request has a short timeout
because it runs inside the editor's request.

Only the standard library (http.client): one small request per node per save
needs no HTTP client dependency.
"""

from __future__ import annotations

import http.client
import logging
import re
import urllib.parse
from collections.abc import Iterable, Iterator

from django.conf import settings

logger = logging.getLogger(__name__)

# Varnish refuses a request header longer than http_req_hdr_len (8 KiB by
# default); staying well under it leaves room for proxies in between.
MAX_HEADER_BYTES = 6000
TIMEOUT_SECONDS = 2.0
HEADER = "xkey-softpurge"
# What a key may contain: vmod xkey splits its header on spaces and commas,
# so anything else would purge the wrong keys (or none).
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def purge_keys(keys: Iterable[str]) -> None:
    """Soft-purge every page carrying any of ``keys`` on each Varnish in
    ``settings.PURGE_URLS``. Never raises; does nothing without PURGE_URLS."""
    urls = getattr(settings, "PURGE_URLS", None)
    if not urls:
        return
    wanted = _valid(keys)
    if not wanted:
        return
    batches = list(_batches(wanted))
    for url in urls:
        for batch in batches:
            _send(url, batch)


def _valid(keys: Iterable[str]) -> list[str]:
    # Order kept and duplicates dropped, so that a batch is what the caller listed.
    unique = list(dict.fromkeys(keys))
    bad = [key for key in unique if not KEY_PATTERN.fullmatch(key)]
    if bad:
        logger.warning("Not purging malformed cache keys: %r", bad[:10])
    return [key for key in unique if key not in bad]


def _batches(keys: list[str]) -> Iterator[str]:
    batch: list[str] = []
    size = 0
    for key in keys:
        added = len(key) + (1 if batch else 0)
        if batch and size + added > MAX_HEADER_BYTES:
            yield " ".join(batch)
            batch, size = [], 0
            added = len(key)
        batch.append(key)
        size += added
    if batch:
        yield " ".join(batch)


def _send(url: str, header: str) -> None:
    parts = urllib.parse.urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = None
    try:
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("not an http(s) URL")
        connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
        connection.request("PURGE", parts.path or "/", headers={HEADER: header})
        response = connection.getresponse()
        body = response.read(200)
        if response.status != 200:
            logger.warning(
                "Cache purge at %s answered %s %s: %s",
                url, response.status, response.reason, body.decode("utf-8", "replace").strip(),
            )
        else:
            logger.debug("Cache purge at %s: %s (%d keys)", url, response.reason,
                         header.count(" ") + 1)
    except (OSError, http.client.HTTPException, ValueError) as error:
        # OSError covers a refused connection, a timeout and DNS failures.
        logger.warning("Cache purge at %s failed: %s", url, error or type(error).__name__)
    finally:
        if connection is not None:
            connection.close()
