"""The page cache's fast path (encyclopedia.pagecache.PageCacheApp, in front of
Django in encyclopedia/wsgi.py) and how pages get into it
(PageCacheMiddleware): a hit is the complete response the whole middleware
stack produced, answered without Django's request handling; everything the
cache must never share still goes to Django.

The tests call the WSGI application the way gunicorn does. Like
tests/test_cache.py they run with LocMemCache and with the Redis at
127.0.0.1:6379 (or $CACHE_TEST_REDIS_URL), under a key prefix of their own.
"""

from __future__ import annotations


import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from encyclopedia import pagecache as page_cache
from encyclopedia import pageversions
from encyclopedia.fastpath import PageCacheApp
from articles.models import Article
from tests.cache_backends import REDIS_URL, backend  # noqa: F401 - the autouse fixture

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/wiki/russians-in-afghanistan/"


# Views for the rules, mounted by tests marked with this module's urls ---------------


@page_cache.page_cache
def private_view(request):
    response = HttpResponse("<p>Private page</p>")
    response["Cache-Control"] = "private"
    return response


@page_cache.page_cache
def cookie_view(request):
    response = HttpResponse("<p>Page with a cookie</p>")
    response.set_cookie("flavour", "plain")
    return response


@page_cache.page_cache
def missing_view(request):
    return HttpResponse("<p>Not here</p>", status=404)


def undecorated_view(request):
    return HttpResponse(f"<p>Counted {next(_COUNTER)}</p>")


@page_cache.page_cache
def counted_view(request):
    return HttpResponse(f"<p>Counted {next(_COUNTER)}</p>")


def _counter():
    n = 0
    while True:
        n += 1
        yield n


_COUNTER = _counter()

urlpatterns = [
    path("private/", private_view),
    path("cookie/", cookie_view),
    path("missing/", missing_view),
    path("undecorated/", undecorated_view),
    path("counted/", counted_view),
]


# Fixtures and helpers ----------------------------------------------------------------


class Recorder:
    """Stands for Django behind the fast path: counts the requests that got
    past it, and answers them with the real site."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def site(settings):
    """(the WSGI application as encyclopedia/wsgi.py builds it, the recorder
    of what reached Django). The page cache alone: the stored pages' path
    of the fast path (tests/test_fastpath.py) is off."""
    settings.STORED_PAGES = None
    recorder = Recorder()
    return PageCacheApp(recorder), recorder


def call(app, url: str, method: str = "GET", **environ) -> tuple[str, list, bytes]:
    """(status line, headers, body) as a WSGI server gets them. Like the test
    client, a request does not close the test's database connection."""
    request = RequestFactory().generic(method, url, **environ)
    # As a server gives it: WSGIRequest wrote the decoded path into the
    # environ; a server's holds its UTF-8 bytes read as Latin-1.
    environ = {**request.environ, "PATH_INFO": request.path_info.encode().decode("latin-1")}
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, list(headers)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def fresh(url: str) -> bytes:
    """The page rendered now, past the cache (a session cookie of no
    session makes the request one the cache leaves alone)."""
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789"
    response = reader.get(url)
    assert response.status_code == 200
    return response.content


# A hit is the whole response, without Django ---------------------------------------


def test_hit_has_the_bytes_and_headers_django_sent(site, seed_fixture,
                                                   django_assert_num_queries):
    app, django = site
    # The page built (with its revision count, for the page information, and
    # the places and people of the titles no article has), and stored.
    with django_assert_num_queries(16):
        status, headers, body = call(app, ARTICLE_URL)
    assert django.calls == 1

    with django_assert_num_queries(0):
        hit_status, hit_headers, hit_body = call(app, ARTICLE_URL)

    assert django.calls == 1  # answered before Django
    assert (hit_status, hit_headers, hit_body) == (status, headers, body)
    assert hit_status == "200 OK"
    names = {name.lower(): value for name, value in hit_headers}
    assert names["content-type"] == "text/html; charset=utf-8"
    assert names["content-length"] == str(len(hit_body))
    assert "cookie" in names["vary"].lower()
    assert "frame-ancestors 'none'" in names["content-security-policy"]
    assert names["x-frame-options"] == "DENY"
    assert names["x-content-type-options"] == "nosniff"
    assert names["referrer-policy"] == "same-origin"
    assert "set-cookie" not in names
    assert b"<h1>Russians in Afghanistan</h1>" in hit_body
    assert hit_body == fresh(ARTICLE_URL)


def test_head_is_answered_with_the_get_headers_and_no_body(site, seed_fixture):
    app, django = site
    _, get_headers, get_body = call(app, ARTICLE_URL)

    status, headers, body = call(app, ARTICLE_URL, method="HEAD")

    assert django.calls == 1
    assert status == "200 OK"
    assert headers == get_headers
    assert dict(headers)["Content-Length"] == str(len(get_body))
    assert body == b""


def test_head_first_stores_the_page_a_get_then_gets(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL, method="HEAD")
    _, _, body = call(app, ARTICLE_URL)
    assert django.calls == 1
    assert b"Russians in Afghanistan" in body


def test_the_middleware_answers_the_same_hit_without_the_wrapper(site, seed_fixture, client,
                                                                 django_assert_num_queries):
    """Under the test client (no wrapper) the middleware serves the page the
    fast path would serve, with the same headers."""
    app, _ = site
    _, headers, body = call(app, ARTICLE_URL)
    with django_assert_num_queries(0):
        response = client.get(ARTICLE_URL)
    assert response.content == body
    assert sorted(response.items()) == sorted(headers)


def test_a_miss_is_looked_up_once(site, seed_fixture, monkeypatch):
    """The middleware takes the fast path's lookup (and so the generation
    read before the view ran) instead of asking the cache again."""
    app, django = site
    lookups = []
    real = page_cache.lookup
    monkeypatch.setattr(page_cache, "lookup", lambda request: lookups.append(1) or real(request))

    _, _, body = call(app, ARTICLE_URL)
    assert (len(lookups), django.calls) == (1, 1)
    assert call(app, ARTICLE_URL)[2] == body
    assert (len(lookups), django.calls) == (2, 1)


# What never comes from the fast path -------------------------------------------------


def test_a_session_cookie_goes_to_django(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    call(app, ARTICLE_URL)
    assert django.calls == 1

    cookie = f"{settings.SESSION_COOKIE_NAME}=no-such-session-key-0123456789"
    status, _, body = call(app, ARTICLE_URL, HTTP_COOKIE=cookie)

    assert django.calls == 2
    assert status == "200 OK" and b"Russians in Afghanistan" in body


def test_other_cookies_still_get_the_shared_page(site, seed_fixture):
    app, django = site
    _, _, body = call(app, ARTICLE_URL)
    _, _, again = call(app, ARTICLE_URL, HTTP_COOKIE="theme=dark; csrftoken=abc")
    assert django.calls == 1
    assert again == body


def test_an_editor_never_gets_nor_stores_the_shared_page(site, seed_fixture, admin_client):
    app, django = site
    editor = admin_client.get(ARTICLE_URL)
    assert "private" in editor["Cache-Control"]
    assert b"/admin/articles/article/" in editor.content  # the Edit link

    _, _, reader = call(app, ARTICLE_URL)  # the editor's page was not stored
    assert django.calls == 1
    assert b"/admin/articles/article/" not in reader

    call(app, ARTICLE_URL)
    assert django.calls == 1  # the reader's page is stored now
    session = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    _, headers, editor_again = call(app, ARTICLE_URL, HTTP_COOKIE=cookie)
    assert django.calls == 2
    assert b"/admin/articles/article/" in editor_again
    assert "private" in dict(headers)["Cache-Control"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/private/", "/cookie/", "/missing/", "/undecorated/"])
def test_responses_the_rules_exclude_are_never_stored(site, url):
    app, django = site
    first = call(app, url)
    second = call(app, url)
    assert django.calls == 2
    assert first[0] == second[0]
    if url == "/undecorated/":
        assert first[2] != second[2]  # rendered twice


@pytest.mark.urls(__name__)
def test_post_is_never_answered_from_the_cache(site):
    app, django = site
    _, _, body = call(app, "/counted/")
    call(app, "/counted/", method="POST")
    _, _, again = call(app, "/counted/")
    assert django.calls == 2
    assert again == body


def test_a_hostile_host_header_does_not_hit(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    call(app, ARTICLE_URL)
    assert django.calls == 1

    status, _, body = call(app, ARTICLE_URL, HTTP_HOST="evil.example")

    assert django.calls == 2
    assert status.startswith("400")
    assert b"Russians in Afghanistan" not in body


@override_settings(ALLOWED_HOSTS=["testserver", "other.example"])
def test_each_host_has_its_own_page(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    status, _, body = call(app, ARTICLE_URL, HTTP_HOST="other.example")
    assert django.calls == 2
    assert status == "200 OK" and b"Russians in Afghanistan" in body
    call(app, ARTICLE_URL, HTTP_HOST="other.example")
    assert django.calls == 2


def test_query_string_is_part_of_the_key(site, seed_fixture):
    app, django = site
    _, _, r_page = call(app, "/articles/?letter=R")
    _, _, z_page = call(app, "/articles/?letter=Z")
    assert django.calls == 2
    assert b"Russians in Afghanistan" in r_page
    assert b"Russians in Afghanistan" not in z_page
    assert call(app, "/articles/?letter=R")[2] == r_page
    assert django.calls == 2


def test_static_files_are_left_to_whitenoise(site, seed_fixture):
    app, django = site
    for _ in range(2):
        status, _, body = call(app, "/static/css/site.css")
        assert status == "200 OK" and body
    assert django.calls == 2
    assert not [k for k in page_cache._local_pages if "static" in k]


def test_page_cache_setting_off_renders_every_request(site, seed_fixture,
                                                      django_assert_num_queries):
    app, django = site
    with override_settings(PAGE_CACHE=False):
        # The page built and stored (with the page information's revision count
        # and the places and people of titles no article has), then read as stored.
        for queries in (16, 1):
            with django_assert_num_queries(queries):
                _, _, body = call(app, ARTICLE_URL)
        assert b"Russians in Afghanistan" in body
    assert django.calls == 2
    call(app, ARTICLE_URL)  # nothing was stored while it was off
    assert django.calls == 3


# Edits are visible on the very next request ------------------------------------------


def test_an_edit_is_on_the_very_next_request(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    call(app, ARTICLE_URL)
    assert django.calls == 1

    Article.objects.filter(pk=seed_fixture.pk).update(lead_html="<p>A fresh lead.</p>")

    _, _, body = call(app, ARTICLE_URL)
    assert django.calls == 2
    assert b"<p>A fresh lead.</p>" in body
    assert body == fresh(ARTICLE_URL)
    assert call(app, ARTICLE_URL)[2] == body  # and cached again
    assert django.calls == 2


def test_a_lost_generation_is_a_miss(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    cache.delete(page_cache.GENERATION_KEY)
    call(app, ARTICLE_URL)
    assert django.calls == 2


def test_a_page_stored_under_an_old_generation_is_not_served(site, seed_fixture):
    """A rendering that began before a write and ended after it stores the
    old page under the old generation: nobody is served it."""
    app, django = site
    request = RequestFactory().get(ARTICLE_URL)
    found = page_cache.lookup(request)
    page_cache.bump()  # a write while that page was being rendered
    stale = HttpResponse("<p>Stale page</p>")
    page_cache._store(request, found, stale)

    _, _, body = call(app, ARTICLE_URL)

    assert django.calls == 1
    assert b"Stale page" not in body and b"Russians in Afghanistan" in body


# Redis: every worker sees a bump by any process ------------------------------------


# The generation watch is for Redis only: these run with that backend alone.
redis_only = pytest.mark.parametrize("backend", ["redis"], indirect=True)


def _raw_redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


@redis_only
def test_a_bump_by_another_process_is_seen_at_once(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    call(app, ARTICLE_URL)
    assert django.calls == 1
    assert pageversions._watch is not None  # the hit took the watched generation

    # Another process: its own connection, no Django.
    _raw_redis().incr(cache.make_key(page_cache.GENERATION_KEY))

    call(app, ARTICLE_URL)
    assert django.calls == 2


@redis_only
def test_a_flushed_redis_is_seen_at_once(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    _raw_redis().delete(cache.make_key(page_cache.GENERATION_KEY))
    call(app, ARTICLE_URL)
    assert django.calls == 2


@redis_only
def test_a_broken_watch_falls_back_to_asking_redis(site, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    call(app, ARTICLE_URL)
    assert django.calls == 1
    pageversions._watch.connection.disconnect()  # as if Redis closed it

    call(app, ARTICLE_URL)  # still a hit, asking Redis for the generation
    assert django.calls == 1
    assert pageversions._watch is None
    _raw_redis().incr(cache.make_key(page_cache.GENERATION_KEY))
    call(app, ARTICLE_URL)
    assert django.calls == 2


@redis_only
def test_the_watch_forgets_only_the_keys_redis_names(site, seed_fixture):
    """Another process moves one page's key on: that page is rendered again
    at once, a page with other keys is still a hit."""
    from articles.dependencies import article_key

    app, django = site
    other = "/places/kabul/"
    call(app, ARTICLE_URL)
    call(app, other)
    assert django.calls == 2
    call(app, ARTICLE_URL)
    call(app, other)
    assert django.calls == 2

    name = cache.make_key(page_cache.VERSION_PREFIX + article_key("russians-in-afghanistan"))
    _raw_redis().set(name, 12345)

    call(app, other)
    assert django.calls == 2  # its keys were not named
    call(app, ARTICLE_URL)
    assert django.calls == 3


def test_the_local_copies_keep_to_their_size(settings, monkeypatch):
    settings.PAGE_CACHE_LOCAL_BYTES = 100
    monkeypatch.setattr(page_cache, "_local_pages", page_cache.OrderedDict())
    monkeypatch.setattr(page_cache, "_local_size", 0)
    for number in range(5):
        page_cache._keep_local(f"pages:{number}", ((), (), 200, "OK", [], b"x" * 40))
        if number == 2:
            page_cache._keep_local("pages:1", ((), (), 200, "OK", [], b"y" * 40))  # used again
    assert list(page_cache._local_pages) == ["pages:3", "pages:4"]
    assert page_cache._local_size == 80
