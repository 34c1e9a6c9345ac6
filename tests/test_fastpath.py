"""The stored pages' fast path (encyclopedia.fastpath): an anonymous reader's
article page answered from its stored render before Django's middleware,
with the headers Django's own stack sends, the page cache on or off."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.urls import reverse

from articles.dependencies import page_keys
from articles.models import Article, FormerName
from encyclopedia import fastpath
from encyclopedia.text import slug_base
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory
from tests.test_cache import admin_save
from tests.test_page_cache_fast import ARTICLE_URL, Recorder, call, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """(the WSGI application as encyclopedia/wsgi.py builds it, the recorder
    of what reached Django)."""
    recorder = Recorder()
    return fastpath.PageCacheApp(recorder), recorder


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE = False


def headers_of(headers: list) -> dict[str, str]:
    named = {name.lower(): value for name, value in headers}
    assert len(named) == len(headers), headers  # no header twice
    return named


def test_the_second_reader_gets_django_s_bytes_and_headers_from_one_query(
        site, uncached, seed_fixture, django_assert_num_queries):
    app, django = site
    status, first_headers, first = call(app, ARTICLE_URL)
    assert status == "200 OK" and django.calls == 1  # Django answered: headers learnt

    with django_assert_num_queries(1):
        status, headers, body = call(app, ARTICLE_URL)

    assert django.calls == 1
    assert status == "200 OK"
    assert body == first == fresh(ARTICLE_URL)
    assert b"Russians in Afghanistan" in body
    assert headers_of(headers) == headers_of(first_headers)
    named = headers_of(headers)
    assert named["content-length"] == str(len(body))
    assert named["xkey"] == named["surrogate-key"] == " ".join(page_keys(ARTICLE_URL, QueryDict()))
    assert "content-security-policy" in named and named["x-frame-options"] == "DENY"


def test_each_article_gets_its_own_keys_and_origin(site, uncached, seed_fixture, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    other = ArticleFactory(title="Afghans in Russia", lead="About Afghans.")
    app, django = site
    _, seed_headers, _ = call(app, ARTICLE_URL)  # learnt from Django
    url = reverse("article-detail", args=[other.slug])

    _, headers, body = call(app, url, HTTP_HOST="other.example")

    assert django.calls == 1
    assert headers_of(headers)["xkey"] == " ".join(page_keys(url, QueryDict()))
    assert headers_of(headers)["xkey"] != headers_of(seed_headers)["xkey"]
    assert b"About Afghans." in body
    assert b"http://other.example/wiki/" in body and b"http://testserver/" not in body
    assert body.replace(b"other.example", b"testserver") == fresh(url)


def test_with_the_page_cache_a_miss_is_answered_and_stored(site, seed_fixture,
                                                           django_assert_num_queries):
    app, django = site
    call(app, ARTICLE_URL)
    assert django.calls == 1
    Article.objects.filter(pk=seed_fixture.pk).update(lead_html="<p>A fresh lead.</p>")

    # The stored page is out of date: built again (15 with the page
    # information's revision count, 16 with the places and people named by
    # the seed's missing titles: selectors._link_names, issue 15).
    with django_assert_num_queries(16):
        _, _, body = call(app, ARTICLE_URL)
    assert django.calls == 1
    assert b"<p>A fresh lead.</p>" in body and body == fresh(ARTICLE_URL)
    with django_assert_num_queries(0):  # and it went into the page cache
        assert call(app, ARTICLE_URL)[2] == body
    assert django.calls == 1


def test_an_admin_edit_is_on_the_very_next_request(site, uncached, seed_fixture, admin_client):
    app, django = site
    call(app, ARTICLE_URL)
    call(app, ARTICLE_URL)
    assert django.calls == 1

    admin_save(admin_client, reverse("admin:articles_article_change", args=[seed_fixture.pk]),
               lead="Russians have lived in Afghanistan for a century and more.")

    _, _, body = call(app, ARTICLE_URL)
    assert django.calls == 1
    assert b"for a century and more." in body
    assert body == fresh(ARTICLE_URL)


def test_unpublished_missing_and_former_addresses_go_to_django(site, uncached, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    draft = ArticleFactory(title="Tatars in Kabul", status=Article.Status.DRAFT)

    status, _, body = call(app, reverse("article-detail", args=[draft.slug]))
    assert status.startswith("404") and b"Tatars in Kabul" not in body
    status, _, _ = call(app, "/wiki/no-such-article/")
    assert status.startswith("404")
    Article.objects.filter(pk=seed_fixture.pk).update(slug="russians-in-kabul")
    FormerName.objects.create(article=seed_fixture, title=seed_fixture.title,
                              slug="russians-in-afghanistan")
    status, headers, _ = call(app, ARTICLE_URL)
    assert status.startswith("301")
    assert headers_of(headers)["location"] == "/wiki/russians-in-kabul/"
    assert django.calls == 4


def test_other_pages_editors_and_posts_go_to_django(site, uncached, seed_fixture, client):
    app, django = site
    call(app, ARTICLE_URL)
    status, _, body = call(app, "/articles/?letter=R")
    assert status == "200 OK" and b"Russians in Afghanistan" in body
    call(app, ARTICLE_URL, method="POST")
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-1234567890")
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    _, _, body = call(app, ARTICLE_URL, HTTP_COOKIE=cookie)
    assert b"Edit this article" in body or b"/admin/articles/article/" in body
    assert django.calls == 4


def test_head_has_the_headers_and_no_body(site, uncached, seed_fixture):
    app, django = site
    _, _, body = call(app, ARTICLE_URL)
    status, headers, head_body = call(app, ARTICLE_URL, method="HEAD")
    assert django.calls == 1
    assert status == "200 OK" and head_body == b""
    assert headers_of(headers)["content-length"] == str(len(body))


def test_titles_in_cyrillic_and_arabic_script(site, uncached, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    for title in ("Русские в Афганистане", "روس‌ها در افغانستان"):
        article = ArticleFactory(title=title, slug=slug_base(title, fallback="article"),
                                 lead=f"{title}: lead.")
        url = reverse("article-detail", args=[article.slug])
        status, _, body = call(app, url)
        assert status == "200 OK", (title, status)
        assert f"{title}: lead.".encode() in body
    assert django.calls == 1


def test_headers_learnt_on_http_are_not_sent_on_https(site, uncached, seed_fixture):
    app, django = site
    _, headers, _ = call(app, ARTICLE_URL)
    assert "strict-transport-security" not in headers_of(headers)
    _, django_headers, _ = call(app, ARTICLE_URL, secure=True)
    assert django.calls == 2
    assert "strict-transport-security" in headers_of(django_headers)  # Django's, on https only
    _, headers, body = call(app, ARTICLE_URL, secure=True)
    assert django.calls == 2
    assert headers_of(headers) == headers_of(django_headers)
    assert b"https://testserver/" in body and b"http://testserver/" not in body


def test_a_hostile_host_is_left_to_django(site, uncached, seed_fixture):
    app, django = site
    call(app, ARTICLE_URL)
    status, _, body = call(app, ARTICLE_URL, HTTP_HOST="evil.example")
    assert django.calls == 2
    assert status.startswith("400") and b"Russians in Afghanistan" not in body
