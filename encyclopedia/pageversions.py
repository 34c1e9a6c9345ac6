"""The versions of the page cache's keys, and knowing them without asking.

Each key a page depends on (``articles.dependencies``: the article at a slug,
the A–Z letter, a tag's page, ...) has a version in the shared cache; a page
is served only while the versions it was stored with are still the current
ones (``encyclopedia.pagecache``). ``ALL_KEY`` is on every page: its version
is the *generation*, moved on by a write no key accounts for. With Redis,
each process keeps a tracking connection that tells it which versions
changed, so that most requests read none of them over the network.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import select
import threading
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Each key a page depends on (articles.dependencies) has a version in the
# cache; ALL_KEY's is the generation every page depends on.
VERSION_PREFIX = "pagekeys:"
ALL_KEY = "all"
GENERATION_KEY = VERSION_PREFIX + ALL_KEY

# The generation --------------------------------------------------------------


def _fresh_generation() -> int:
    # Random, not 1: if the key is evicted or the cache cleared, counting
    # again from 1 could land on a generation whose old pages are still stored.
    return secrets.randbits(52)


def generation() -> int | None:
    """The current content generation, created if missing; None if the cache
    cannot hold it (then nothing is cached)."""
    versions = read_versions([ALL_KEY])
    return None if versions is None else versions[ALL_KEY]


def read_versions(tokens, found: dict | None = None) -> dict[str, int] | None:
    """The current version of each key in ``tokens``, created if missing;
    None if the cache cannot hold them. ``found``: what a ``get_many``
    already read of them."""
    names = {VERSION_PREFIX + token: token for token in tokens}
    if found is None:
        found = cache.get_many(list(names))
    missing = [name for name in names if found.get(name) is None]
    if missing:
        for name in missing:
            cache.add(name, _fresh_generation(), timeout=None)
        found = {**found, **cache.get_many(missing)}
    out = {}
    for name, token in names.items():
        value = found.get(name)
        if value is None:
            return None
        out[token] = value
    return out


# Knowing the versions without asking ---------------------------------------------
#
# Reading the versions from Redis on every request is a network round trip,
# and under load it costs as much as serving a cached page. So each process
# keeps a connection on which Redis *tracks* the version keys (server-assisted
# client-side caching, CLIENT TRACKING ... BCAST PREFIX): any change to one
# (SET, DEL, expiry, eviction, FLUSHDB/FLUSHALL) makes Redis push an
# invalidation naming it on that connection. A request first looks for
# pending pushes (a poll of the socket, no round trip) and forgets the
# versions they name (all of them for a flush); the versions this process
# read and was not told about are still the current ones.
#
# Why the very next request still sees an edit: Redis queues the push while it
# executes the write (the bump's SET), before the writer gets its reply, and
# sends both in the same pass of its event loop; by the time the writer has
# its reply, committed and a reader's request has reached a worker, the push
# is in that worker's socket buffer. Every WATCH_TRUST_SECONDS the connection
# is checked with a PING (the pushes of earlier changes arrive before its
# reply); if it breaks, the versions are read from the cache again (a
# silently dead connection costs at most that much staleness).

WATCH_TRUST_SECONDS = 1.0
WATCH_MAX_KEYS = 200_000  # versions a process remembers (ints: a few MB)
WATCH_RETRY_SECONDS = 5.0


class _GenerationWatch:
    """This process's tracking connection for one cache's generation key."""

    def __init__(self, identity: tuple, backend):
        self.identity = identity
        self.backend = backend  # the thread's cache object it was made for
        self.pid = os.getpid()
        self.read_at = 0.0
        pool = backend._cache._get_connection_pool(False)
        self.connection = pool.make_connection()  # our own, outside the pool
        self.connection.connect()
        if str(self.connection.get_protocol()) != "3":
            raise RuntimeError("tracking without RESP3 is not supported here")
        self.prefix = identity[1]
        self.known: dict[str, int] = {}  # key -> version, while Redis has not said otherwise
        self.changed: list = []  # what the pushes named since the last look
        self.connection._parser.set_invalidation_push_handler(self.changed.append)
        self.connection.send_command(
            "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", identity[1]
        )
        if self.connection.read_response() not in (b"OK", "OK"):
            raise RuntimeError("Redis refused CLIENT TRACKING")
        # One poll(2) per request; the connection's own can_read takes three
        # system calls even when there is nothing to read.
        self.poller = select.poll()
        self.poller.register(self.connection._sock, select.POLLIN)

    def current(self, tokens) -> dict[str, int] | None:
        """The versions of ``tokens``, each read again only when Redis
        pushed a change of it."""
        connection = self.connection
        if not connection.is_connected:
            raise ConnectionError("generation watch disconnected")
        known = self.known
        if self.poller.poll(0):  # data, or the connection closed
            while connection.can_read(timeout=0):
                connection.read_response(push_request=True)
            self._forget(known)
        now = time.monotonic()
        if now - self.read_at > WATCH_TRUST_SECONDS:
            # Still tracked? A round trip on this connection: Redis sends the
            # pushes of every change made before it ahead of the reply.
            connection.send_command("PING")
            connection.read_response()
            self._forget(known)
            self.read_at = now
            if len(known) > WATCH_MAX_KEYS:
                known.clear()
        missing = [token for token in tokens if token not in known]
        if missing:
            read = read_versions(missing)
            if read is None:
                return None
            known.update(read)
        return {token: known[token] for token in tokens}

    def _forget(self, known: dict[str, int]) -> None:
        # ["invalidate", [names]], or ["invalidate", None] for a flush.
        for push in self.changed:
            names = push[1] if isinstance(push, list) and len(push) > 1 else None
            if not names:
                known.clear()
                continue
            for name in names:
                name = name.decode() if isinstance(name, bytes) else str(name)
                known.pop(name.removeprefix(self.prefix), None)
        self.changed.clear()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.disconnect()


_watch: _GenerationWatch | None = None
_watch_failed_at = -WATCH_RETRY_SECONDS
_watch_lock = threading.Lock()


def watched_versions(tokens) -> dict[str, int] | None:
    """The current versions of ``tokens`` from this process's watch, or None
    when there is none (not Redis, or the watch failed): then ask the cache."""
    global _watch, _watch_failed_at
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    with _watch_lock:
        watch = _watch
        if watch is not None and watch.backend is backend and watch.pid == os.getpid():
            identity = watch.identity
        else:
            identity = (tuple(backend._servers), backend.make_key(VERSION_PREFIX))
        if watch is not None and (watch.identity != identity or watch.pid != os.getpid()):
            if watch.pid == os.getpid():
                watch.close()  # another cache (tests): a forked copy is left alone
            watch = _watch = None
        if watch is None:
            if time.monotonic() - _watch_failed_at < WATCH_RETRY_SECONDS:
                return None
            try:
                watch = _watch = _GenerationWatch(identity, backend)
            except Exception:
                logger.exception("Cannot watch the page cache generation")
                _watch_failed_at = time.monotonic()
                return None
        try:
            return watch.current(tokens)
        except Exception:
            logger.exception("The page cache generation watch failed")
            watch.close()
            _watch = None
            _watch_failed_at = time.monotonic()
            return None


def bump() -> None:
    """Move to a new generation: every page is rendered afresh next time.
    (``keys_changed`` moves on only the pages of some keys.)

    A new random value rather than an increment: ``set`` is atomic on every
    backend, while ``incr`` is a read and a write on the file cache. Each
    bump writes a value never used before and the last one lands after the
    last commit, so a page stored under the current value was rendered from
    rows read after every committed write."""
    _bump_keys([ALL_KEY])


def _bump_keys(tokens) -> None:
    tokens = sorted(tokens)
    try:
        for start in range(0, len(tokens), 1000):
            cache.set_many(
                {VERSION_PREFIX + token: _fresh_generation() for token in tokens[start : start + 1000]},
                timeout=None,
            )
    except Exception:  # a cache outage must not fail the write
        logger.exception("Could not bump the page cache keys")
