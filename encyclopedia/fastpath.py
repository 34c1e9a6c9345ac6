"""The WSGI application's fast path: what an anonymous reader asks for most
is answered before Django builds its request and runs the middleware.

Two answers, in this order, for a GET or HEAD without a session cookie:

1. A page-cache hit (``encyclopedia.pagecache``): the stored response,
   exactly as the whole stack sent it. No query.
2. A page stored when it was written (``settings.STORED_PAGES``, for the
   articles ``articles.rendered.reader_page``: the article's row and its
   stored page, one query), sent with the headers Django's own stack sent
   for the last such page on this scheme (``learn``), its keys in ``xkey``
   and ``Surrogate-Key``. This is MediaWiki's file cache in front of its
   ParserCache: what makes the page is stored by the write; a read is the
   row and the bytes. Until Django has answered one such page in this
   process (so that its headers are known), and for every address the
   content app does not recognise, the request goes to Django.

Everything else, and any failure here, goes to Django, which answers it as
if this wrapper were not there (with the page cache's lookup already done).
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.utils.module_loading import import_string

from . import pagecache

logger = logging.getLogger(__name__)

# Set on its response by a view whose reader page STORED_PAGES answers the
# same way (articles.views.article_detail).
STORED_PAGE_ATTRIBUTE = "stored_page"
# What differs from one such page to the next: everything else in the
# headers is the same for all of them (type, caching, security policies).
PER_PAGE = frozenset({"content-length", "xkey", "surrogate-key"})

# scheme -> the headers Django sent with a reader's stored page, but PER_PAGE.
_headers: dict[str, list[tuple[str, str]]] = {}


def mark(response):
    """Say that ``response`` is a stored page as ``STORED_PAGES`` answers it."""
    setattr(response, STORED_PAGE_ATTRIBUTE, True)
    return response


def learn(request, response) -> None:
    """After Django answered a reader: keep the headers of a stored page, for
    the fast path to send with the next ones on this scheme."""
    if not (getattr(response, STORED_PAGE_ATTRIBUTE, False)
            and getattr(response, "page_cache_shareable", False)
            and pagecache._storable(request, response)):
        return
    _headers[request.scheme] = [
        (name, value) for name, value in response.items() if name.lower() not in PER_PAGE
    ]


def _stored_pages():
    name = getattr(settings, "STORED_PAGES", None)
    return _imported(name) if name else None


@functools.cache
def _imported(name: str):
    return import_string(name)


class PageCacheApp:
    """The WSGI application, with the fast path in front (see the module).
    ``PageCacheMiddleware`` stores the pages and answers the same hits when
    this wrapper is not in front, as under the test client."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            answer = self._answer(environ)
            if answer is not None:
                status, reason, headers, body = answer
                start_response(f"{status} {reason}", headers)
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self.application(environ, start_response)

    def _answer(self, environ):
        try:
            # A copy: WSGIRequest writes the decoded path back into the
            # environ it is given, and Django's own request built later
            # from that environ would read it as Latin-1 bytes (a 500 for
            # Cyrillic, a 404 for "café"). Django must get the server's
            # environ untouched.
            request = WSGIRequest(environ.copy())
            if not pagecache._may_share(request):
                return None
            found = None
            if pagecache.enabled():
                found = pagecache.lookup(request)
                if found.hit is not None:
                    return found.hit[2:]
                environ[pagecache.LOOKUP_ENVIRON_KEY] = found  # for PageCacheMiddleware
            return self._stored(environ, request, found)
        except Exception:
            logger.exception("The fast path failed")
            return None

    def _stored(self, environ, request, found):
        headers, stored_pages = _headers.get(request.scheme), _stored_pages()
        if headers is None or stored_pages is None:
            return None
        try:
            origin = request.build_absolute_uri("/")[:-1]
        except DisallowedHost:
            return None  # Django answers 400
        # As Django's handler does: its receivers close database connections
        # past their age or broken, and reset the query log.
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            page = stored_pages(request.path_info, origin)
        finally:
            signals.request_finished.send(sender=self.__class__)
        if page is None:
            return None
        body = page.encode()
        keys = " ".join(pagecache.page_tokens(request))
        headers = [*headers, ("xkey", keys), ("Surrogate-Key", keys),
                   ("Content-Length", str(len(body)))]
        if found is not None:
            pagecache.store(found, 200, "OK", headers, body)
        return 200, "OK", headers, body
