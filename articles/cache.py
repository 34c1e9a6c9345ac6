"""Whole-page cache of the public pages, for anonymous readers.

What is cached: the rendered HTML of a public page (article, home, A–Z index,
tag/language/religion, person, place) as answered to an anonymous GET or HEAD
with status 200, keyed by the absolute URL (path and query string included)
and a global *content generation*. Never cached: requests carrying a session
cookie or from an authenticated user (editors get drafts, Edit links and
create links), responses that set cookies or are ``Cache-Control: private`` /
``no-store`` / ``no-cache``, anything but 200, search and the admin (those
views are not decorated).

Invalidation: every write to content bumps the generation, so every page key
changes at once and the next request renders afresh; pages cached under old
generations are never read again and expire after ``PAGE_TIMEOUT``. A global
generation is deliberately coarse: one edit may change many pages (links to a
renamed or deleted article, a person's name on every page that mentions them,
the home page, the index), and working out exactly which is where bugs hide.

Writes are noticed by a database ``execute_wrapper`` (installed from
``ArticlesConfig.ready``) that sees every INSERT, UPDATE, DELETE or TRUNCATE
statement on the tables of the ``articles``, ``people`` and ``taggit`` apps.
Model signals would not do: the services write a lot without them
(``QuerySet.update`` for ``lead_html`` and ``search_document``,
``bulk_create`` / ``bulk_update`` for sections, links, mentions and See also
targets), so any such write counts, whatever code path it comes from.

When the bump happens (see ``content_changed``): after the transaction
commits (``transaction.on_commit``), and also at once. Only the bump after the
commit makes the cache correct: a reader whose request falls between the
write and the commit still sees the old rows, and would store the old page
under a generation bumped at write time; the bump on commit moves past it.
The immediate bump is harmless, and it is what keeps the cache correct when
``on_commit`` never fires, as in tests wrapped in a transaction that is
rolled back. In autocommit mode ``on_commit`` runs right after the write.

With ``LocMemCache`` the cache and its generation live in one process: fine
for development and tests, but several worker processes each keep their own
pages, and a write in one does not reach the others. Production sets
``REDIS_URL`` (a shared cache).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60  # seconds; pages of stale generations just expire
GENERATION_KEY = "pages:generation"
CONTENT_APPS = ("articles", "people", "taggit")
UNCACHEABLE = ("private", "no-store", "no-cache")

_local = threading.local()


# The generation --------------------------------------------------------------


def _fresh_generation() -> int:
    # Random, not 1: if the key is evicted or the cache cleared, counting
    # again from 1 could land on a generation whose old pages are still stored.
    return secrets.randbits(52)


def generation() -> int | None:
    """The current content generation, created if missing; None if the cache
    cannot hold it (then nothing is cached)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump() -> None:
    """Move to a new generation: every page is rendered afresh next time."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # missing: any new random value is a new generation
            if not cache.add(GENERATION_KEY, _fresh_generation(), timeout=None):
                cache.incr(GENERATION_KEY)  # a reader created it meanwhile
    except Exception:  # a cache outage must not fail the write
        logger.exception("Could not bump the page cache generation")


def _commit_bump_pending(connection) -> bool:
    return any(func is bump for _, func, _ in connection.run_on_commit)


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Content was written on database ``using``: bump now and after commit."""
    connection = connections[using]
    if not connection.in_atomic_block:
        # Autocommit: the write is already committed. (Under manual
        # transaction management the commit is out of sight: bump anyway.)
        bump()
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
        transaction.on_commit(bump, using=using, robust=True)


# Noticing writes ---------------------------------------------------------------


def content_tables() -> set[str]:
    tables = set()
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
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
    """Called once from ArticlesConfig.ready()."""
    global _tables_re
    tables = content_tables()
    _tables_re = re.compile(
        r"[\"`\s.]("
        + "|".join(re.escape(t) for t in sorted(tables, key=len, reverse=True))
        + r")[\"`\s]"
    )
    connection_created.connect(_on_connection_created, dispatch_uid="articles.cache:wrapper")
    for connection in connections.all(initialized_only=True):
        _install_wrapper(connection)


# The page cache ------------------------------------------------------------------


def _reader(request) -> bool:
    """An anonymous reader. Without a session cookie nobody is signed in, and
    ``request.user`` is then answered without a query."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # maybe an editor: never the shared page, either way
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(request, gen: int) -> str:
    url = request.build_absolute_uri()
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"pages:{gen}:{digest}"


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


def _store(request, key: str, response) -> None:
    if not _storable(request, response):
        return
    value = (response.status_code, bytes(response.content), list(response.items()))
    try:
        cache.set(key, value, PAGE_TIMEOUT)
    except Exception:
        logger.exception("Could not store a page in the cache")


def page_cache(view):
    """Serve ``view``'s page to anonymous readers from the cache, and store it
    there. Requests that are not cacheable go to the view untouched, with its
    queries exactly as before."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _reader(request):
            return view(request, *args, **kwargs)
        _local.bumped = False  # the next write bumps at once again
        try:
            gen = generation()
            key = page_key(request, gen) if gen is not None else None
            hit = cache.get(key) if key else None
        except Exception:
            logger.exception("Page cache unavailable")
            key = hit = None
        if hit is not None:
            status, content, headers = hit
            response = HttpResponse(content, status=status, headers=dict(headers))
        else:
            response = view(request, *args, **kwargs)
            if key is not None:
                if getattr(response, "is_rendered", True) is False:
                    response.add_post_render_callback(lambda r: _store(request, key, r))
                else:
                    _store(request, key, response)
        # The page differs for signed-in editors: shared caches must know.
        patch_vary_headers(response, ("Cookie",))
        return response

    return cached_view
