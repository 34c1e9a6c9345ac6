"""Whole-page cache of the public pages, for anonymous readers.

What is cached: the rendered HTML of a public page (article, home, A–Z index,
tag/language/religion, person, place) as answered to an anonymous GET or HEAD
with status 200, keyed by the absolute URL (path and query string included).
Never cached: requests carrying a session cookie or from an authenticated
user (editors get drafts, Edit links and create links), responses that set
cookies or are ``Cache-Control: private`` / ``no-store`` / ``no-cache``,
anything but 200, search and the admin (those views are not decorated).

Invalidation by key: each page has keys, worked out from its address before
the view runs (``settings.PAGE_KEYS``, the content app's ``page_keys``: the
article at this slug, the A–Z page for B, the person at that slug, ...), and
every page has ``ALL_KEY`` too. Each key has a version in the cache; a page is
stored with the versions its keys had before the view read anything, and is
served only while they are all still current. A write that knows which pages
it changed (``keys_changed``, called by ``articles.dependencies``) moves
those keys on, and purges them from Varnish (``encyclopedia.purge``); any
other write moves ``ALL_KEY`` on (the *generation*), so every page is
rendered afresh, as a coarse but always correct default. A page stored
under old versions is never served again, and is overwritten by the next
rendering or expires after ``PAGE_TIMEOUT``. Why keys come from the address
and not from what the view read: versions read after the content could be
ones a write moved on before its rows were visible to the view.

Writes are noticed by a database ``execute_wrapper`` (installed from
``EncyclopediaConfig.ready``) that sees every INSERT, UPDATE, DELETE or TRUNCATE
statement on the tables of the ``articles``, ``people`` and ``taggit`` apps
(but those of models saying ``shown_on_pages = False``), except inside
``keyed_writes()``, whose caller accounts for its writes by key.
Model signals would not do: the services write a lot without them
(``QuerySet.update`` for ``lead_html`` and ``search_document``,
``bulk_create`` / ``bulk_update`` for sections, links, mentions and See also
targets), so any such write counts, whatever code path it comes from.

When a key moves on (see ``content_changed``): after the transaction
commits (``transaction.on_commit``), and also at once. Only the bump after the
commit makes the cache correct: a reader whose request falls between the
write and the commit still sees the old rows, and would store the old page
under a generation bumped at write time; the bump on commit moves past it.
The immediate bump is harmless, and it is what keeps the cache correct when
``on_commit`` never fires, as in tests wrapped in a transaction that is
rolled back. In autocommit mode ``on_commit`` runs right after the write.

The versions must be ones that every process writing content and every
process serving pages sees: Redis (``REDIS_URL``), or by default the file
cache, shared by the processes of one machine. ``LocMemCache`` is per
process: a save in one gunicorn worker, or an ``import_articles`` run, would
never reach the pages another process holds. ``problems()`` names such a
configuration; the system checks and the WSGI start-up report it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.module_loading import import_string

from .pageversions import (  # noqa: F401 - GENERATION_KEY, bump, generation: for callers
    ALL_KEY,
    GENERATION_KEY,
    VERSION_PREFIX,
    _bump_keys,
    bump,
    generation,
    read_versions,
    watched_versions,
)

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60  # seconds; pages of stale generations just expire
# Past this many keys one write is a wholesale change (a large import):
# moving the generation on is one write instead of thousands.
MAX_KEYS = 5000
CONTENT_APPS = ("articles", "people", "taggit")
UNCACHEABLE = ("private", "no-store", "no-cache")

_local = threading.local()


def current_generation() -> int | None:
    """The generation, from this process's watch when there is one."""
    _local.bumped = False  # as in lookup: the next write by this thread bumps at once
    versions = watched_versions([ALL_KEY])
    return versions[ALL_KEY] if versions is not None else generation()



def _bump_and_purge(tokens) -> None:
    _bump_keys(tokens)
    from . import purge

    purge.purge_keys(tokens)


def _bump_all_and_purge() -> None:
    _bump_and_purge([ALL_KEY])


def _commit_bump_pending(connection) -> bool:
    return any(func is _bump_all_and_purge for _, func, _ in connection.run_on_commit)


def keys_changed(tokens, using: str = DEFAULT_DB_ALIAS) -> None:
    """Writes on database ``using`` changed the pages of ``tokens``: they
    move on now, and again once the transaction commits, when the edge
    caches are purged of them too (see ``content_changed`` for why both)."""
    tokens = set(tokens)
    if not tokens:
        return
    if len(tokens) > MAX_KEYS:
        tokens = {ALL_KEY}
    if not connections[using].in_atomic_block:
        _bump_and_purge(tokens)
        return
    _bump_keys(tokens)
    transaction.on_commit(lambda: _bump_and_purge(tokens), using=using, robust=True)


@contextlib.contextmanager
def keyed_writes():
    """Writes inside are accounted for by ``keys_changed`` (the caller's
    job): the database hook does not move every page on for them."""
    outer = getattr(_local, "keyed", False)
    _local.keyed = True
    try:
        yield
    finally:
        _local.keyed = outer


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Content was written on database ``using``: bump now and after commit."""
    connection = connections[using]
    if not connection.in_atomic_block:
        # Autocommit: the write is already committed. (Under manual
        # transaction management the commit is out of sight: bump anyway.)
        _bump_all_and_purge()
        return
    # The immediate bump: once per thread between two page-cache reads by
    # that thread (page_cache clears the flag). It serves readers on this
    # thread's own connection, who see the uncommitted rows: a test inside a
    # transaction that never commits. Other threads only see the rows after
    # the commit, and the bump on commit serves them.
    if not getattr(_local, "bumped", False):
        _local.bumped = True
        bump()
    # Once per transaction: a callback already waiting runs at this commit;
    # a rolled back savepoint drops it, and the next write adds it again.
    if not _commit_bump_pending(connection):
        transaction.on_commit(_bump_all_and_purge, using=using, robust=True)


# Noticing writes ---------------------------------------------------------------


def content_tables() -> set[str]:
    tables = set()
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # A model no public page shows (a stored rendering of what the
            # others hold, an import's progress) says so: writing it changes
            # no page.
            if getattr(model, "shown_on_pages", True):
                tables.add(model._meta.db_table)
    return tables


_WRITE_RE = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|REPLACE)\b", re.IGNORECASE)
_tables_re: re.Pattern | None = None


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if (
        _tables_re is not None
        and isinstance(sql, str)
        and _WRITE_RE.match(sql)
        and _tables_re.search(sql)
        and not getattr(_local, "keyed", False)
    ):
        content_changed(context["connection"].alias)
    return result


def _install_wrapper(connection) -> None:
    if _watch_writes not in connection.execute_wrappers:
        # First, not last: a connection opened inside someone's
        # ``with connection.execute_wrapper(...)`` must not have ours popped
        # off in place of theirs.
        connection.execute_wrappers.insert(0, _watch_writes)


def _on_connection_created(sender, connection, **kwargs) -> None:
    _install_wrapper(connection)


def connect_receivers() -> None:
    """Called once from EncyclopediaConfig.ready()."""
    global _tables_re
    tables = content_tables()
    _tables_re = re.compile(
        r"[\"`\s.]("
        + "|".join(re.escape(t) for t in sorted(tables, key=len, reverse=True))
        + r")[\"`\s]"
    )
    connection_created.connect(_on_connection_created, dispatch_uid="encyclopedia.pagecache:wrapper")
    for connection in connections.all(initialized_only=True):
        _install_wrapper(connection)


# The page cache ------------------------------------------------------------------
#
# One implementation, in three places of the request's path:
#
# - ``page_cache`` (the view decorator) marks a response as shareable when the
#   request came from an anonymous reader; it stores nothing itself.
# - ``PageCacheMiddleware`` (first in MIDDLEWARE) reads the generation and the
#   page before anything else runs and answers a hit at once; on a miss it
#   stores the marked response as the whole middleware stack finished it
#   (security headers, CSP, Vary, Content-Length), under the generation read
#   before the view ran: a write during the rendering moves the generation on,
#   and that stale page is never served.
# - ``encyclopedia.fastpath.PageCacheApp`` (wraps the WSGI application in
#   encyclopedia/wsgi.py) answers the same hits before Django builds its
#   request and runs the middleware, with the same key, lookup and stored
#   response; on a miss, it may answer from the stored render and store that.
#
# A page is stored under one key per absolute URL, its generation inside the
# value, so a lookup is at most one round trip: ``get_many`` of the
# generation and the page; none at all for a page this process holds a copy
# of while the generation watch is up (see ``_local_pages`` and
# ``pageversions.watched_versions``). A page stored under another generation is a miss,
# and is overwritten by the next rendering.
#
# ``settings.PAGE_CACHE = False`` (env DJANGO_PAGE_CACHE=0) turns all of it
# off: every request renders the page (the invalidation hook still bumps).


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", True)


# Backends whose entries only the process that wrote them can see.
PER_PROCESS_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache",)


def problems() -> list[str]:
    """Why the page cache cannot be correct with these settings: empty when
    it can. Reported by the system checks (``manage.py check``, runserver)
    and, loudly, when the WSGI application starts."""
    if not enabled():
        return []
    config = settings.CACHES.get(DEFAULT_CACHE_ALIAS, {})
    backend = config.get("BACKEND", "")
    if backend in PER_PROCESS_BACKENDS:
        return [
            f"The page cache is on, but the default cache ({backend.rsplit('.', 1)[-1]}) "
            "is private to each process: an edit saved by one gunicorn worker or by a "
            "manage.py command never reaches the pages other processes hold, and readers "
            "get stale pages. Set REDIS_URL, use the file cache (the default without "
            "REDIS_URL), or turn the page cache off with DJANGO_PAGE_CACHE=0."
        ]
    if backend == "django.core.cache.backends.filebased.FileBasedCache":
        folder = config.get("LOCATION", "")
        try:
            os.makedirs(folder, exist_ok=True)
            writable = os.access(folder, os.W_OK | os.X_OK)
        except OSError:
            writable = False
        if not writable:
            return [
                f"The page cache's folder {folder} cannot be written: no page is cached "
                "and edits cannot be announced to other processes. Make it writable or "
                "set DJANGO_CACHE_DIR (or REDIS_URL)."
            ]
    return []


def check_page_cache(app_configs=None, **kwargs):
    """System check ``encyclopedia.W001``: see ``problems``."""
    from django.core.checks import Warning

    return [Warning(text, id="encyclopedia.W001") for text in problems()]


def _may_share(request) -> bool:
    """What is known before authentication: a GET or HEAD without a session
    cookie (so nobody is signed in: ``request.user`` is anonymous), not for
    a static file (whitenoise serves those)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(_static_prefix())
    )


def _static_prefix() -> str:
    url = settings.STATIC_URL or "/static/"
    return url if url.startswith("/") else "/" + url


def _reader(request) -> bool:
    """An anonymous reader. Without a session cookie nobody is signed in, and
    ``request.user`` is then answered without a query."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # maybe an editor: never the shared page, either way
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(request) -> str:
    """The key of the page at ``request``'s absolute URL (scheme, host as
    validated against ALLOWED_HOSTS, path, query string). A host that is not
    allowed raises ``DisallowedHost``: it has no key."""
    url = request.build_absolute_uri()
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"pages:{digest}"


class Lookup:
    """The page cache's answer for one request: ``hit`` is the stored
    ``(tokens, versions, status, reason, headers, body)`` or None; on a
    miss, the page may be stored under ``key`` with the ``versions`` of its
    keys read before the view ran."""

    __slots__ = ("key", "versions", "hit")

    def __init__(self, key: str | None = None, versions: dict | None = None, hit=None):
        self.key, self.versions, self.hit = key, versions, hit


# Pages this process served or stored lately, as in the cache, so that a hit
# does not move the page from the shared cache again. A copy is served only
# while its keys' versions are the current ones (from the watch, or read from
# the shared cache): exactly the rule of the shared copy. Least recently used
# copies go first past settings.PAGE_CACHE_LOCAL_BYTES of bodies (per
# process: each gunicorn worker holds its own).
_local_pages: OrderedDict[str, tuple] = OrderedDict()
_local_size = 0
_local_lock = threading.Lock()


def _keep_local(key: str, value: tuple) -> None:
    global _local_size
    with _local_lock:
        old = _local_pages.pop(key, None)
        if old is not None:
            _local_size -= len(old[-1])
        _local_pages[key] = value
        _local_size += len(value[-1])
        while _local_size > settings.PAGE_CACHE_LOCAL_BYTES and _local_pages:
            _, dropped = _local_pages.popitem(last=False)
            _local_size -= len(dropped[-1])


@functools.cache
def _page_keys_function():
    return import_string(settings.PAGE_KEYS)


def page_tokens(request) -> list[str]:
    """The keys of the page at ``request``'s address (ALL_KEY first), from
    ``settings.PAGE_KEYS`` (the content apps know their pages; this module
    knows none of them)."""
    return _tokens(request.path_info, request.META.get("QUERY_STRING", ""))


@functools.lru_cache(maxsize=20_000)
def _tokens(path: str, query: str) -> list[str]:
    # Resolving the address costs as much as a cached hit; it only depends on it.
    return _page_keys_function()(path, QueryDict(query))


def _current(value: tuple, versions: dict | None) -> bool:
    return versions is not None and all(
        versions.get(token) == version for token, version in zip(value[0], value[1], strict=True)
    )


def lookup(request) -> Lookup:
    """The page, and on a miss the versions of its keys. A hit on a page
    this process holds takes no round trip to Redis while the watch is up;
    otherwise one (the page and its keys' versions together). Only for
    requests ``_may_share`` lets through."""
    _local.bumped = False  # the next write by this thread bumps at once again
    try:
        key = page_key(request)
    except DisallowedHost:
        return Lookup()  # Django answers 400 further on
    try:
        mine = _local_pages.get(key)
        if mine is not None:
            versions = watched_versions(mine[0])
            if versions is not None and _current(mine, versions):
                with _local_lock:
                    if key in _local_pages:
                        _local_pages.move_to_end(key)
                return Lookup(key, versions, mine)
        tokens = page_tokens(request)
        versions = watched_versions(tokens)
        if versions is None:  # no watch: the page and the versions in one go
            found = cache.get_many([key, *(VERSION_PREFIX + token for token in tokens)])
            value = found.pop(key, None)
            versions = read_versions(tokens, found)
        else:
            value = cache.get(key)
        if value is not None and tuple(value[0]) == tuple(tokens) and _current(value, versions):
            _keep_local(key, value)
            return Lookup(key, versions, value)
        return Lookup(key, versions)
    except Exception:
        logger.exception("Page cache unavailable")
        return Lookup()


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in UNCACHEABLE):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token: the cookie must go with it
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _store(request, found: Lookup, response) -> None:
    if not _storable(request, response):
        return
    store(found, response.status_code, response.reason_phrase, list(response.items()),
          bytes(response.content))


def store(found: Lookup, status: int, reason: str, headers: list, body: bytes) -> None:
    """Keep the page a miss (``found``) was answered, under the versions
    its keys had before it was made."""
    if found.key is None or found.versions is None:
        return
    tokens = tuple(found.versions)
    value = (tokens, tuple(found.versions[token] for token in tokens), status, reason,
             headers, body)
    try:
        cache.set(found.key, value, PAGE_TIMEOUT)
    except Exception:
        logger.exception("Could not store a page in the cache")
        return
    _keep_local(found.key, value)


def page_cache(view):
    """Let the page cache, and shared caches in front (Varnish, a CDN),
    share ``view``'s response with every anonymous reader, with the page's
    keys in ``xkey`` and ``Surrogate-Key`` for purging it. Requests that are
    not cacheable get the view's response as it is, with its queries
    exactly as before."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if _reader(request):
            response.page_cache_shareable = True
            if response.status_code == 200 and not response.has_header("Cache-Control"):
                keys = " ".join(page_tokens(request))
                response["xkey"] = keys
                response["Surrogate-Key"] = keys
                # Shared caches keep it until a purge; browsers ask again
                # every time, so the next request after an edit shows it.
                patch_cache_control(
                    response, public=True, max_age=0,
                    s_maxage=settings.PAGE_SHARED_MAX_AGE,
                )
        # The page differs for signed-in editors: shared caches must know.
        patch_vary_headers(response, ("Cookie",))
        return response

    return cached_view


LOOKUP_ENVIRON_KEY = "encyclopedia.pagecache.lookup"


class PageCacheMiddleware:
    """First in MIDDLEWARE: answers anonymous readers from the page cache and
    stores the pages ``page_cache`` marked, exactly as sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_share(request):
            return self.get_response(request)
        from . import fastpath

        if not enabled():
            response = self.get_response(request)
            fastpath.learn(request, response)
            return response
        # PageCacheApp's miss, if it is in front: the same lookup, not twice.
        found = request.META.get(LOOKUP_ENVIRON_KEY) or lookup(request)
        if found.hit is not None:
            _tokens, _versions, status, reason, headers, body = found.hit
            return HttpResponse(body, status=status, reason=reason, headers=dict(headers))
        response = self.get_response(request)
        if getattr(response, "page_cache_shareable", False):
            _store(request, found, response)
            fastpath.learn(request, response)
        return response
