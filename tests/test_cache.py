"""The page cache (encyclopedia.pagecache): anonymous readers get cached pages, and
every kind of edit is visible on the very next request.

Every test runs three times: with LocMemCache, the file cache and the Redis at
127.0.0.1:6379 (or $CACHE_TEST_REDIS_URL), under a key prefix of its own that
is removed afterwards (never FLUSHDB: others share that Redis). If Redis is
unreachable its tests are skipped, or fail when CI is set.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from encyclopedia import pagecache as page_cache
from articles.models import Article, PersonMention, Section
from articles.services import (
    article_delete,
    article_refresh,
    article_revert,
    article_revision_save,
    articles_import,
)
from people.models import Person, Place
from tests.admin_forms import change_form_data
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/wiki/russians-in-afghanistan/"


def fresh(url: str) -> str:
    """The page as rendered now, past the cache: a session cookie (of no
    session) makes the request one the cache leaves alone."""
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789"
    response = reader.get(url)
    assert response.status_code == 200
    return response.content.decode()


def cached_page(client, url: str, django_assert_num_queries) -> str:
    """Request ``url`` until it is cached; return the cached page."""
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def next_page(client, url: str) -> str:
    """The very next anonymous request, which must equal a fresh rendering."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html == fresh(url)
    return html


def admin_save(admin_client, url: str, **changes):
    response = admin_client.get(url)
    assert response.status_code == 200
    data = change_form_data(response)
    data.update(changes)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    return response


# Serving from the cache ------------------------------------------------------


def test_backend_is_the_one_asked_for(backend):
    from django.core.cache import caches

    expected = {"locmem": "LocMemCache", "file": "FileBasedCache", "redis": "RedisCache"}[backend]

    assert type(caches["default"]).__name__ == expected


def test_article_page_second_request_is_served_from_cache(client, seed_fixture,
                                                          django_assert_num_queries):
    # Exactly as without the cache: built (15 with the page information's
    # revision count, 16 with the places and people of the seed's titles that
    # have no article) and stored.
    with django_assert_num_queries(16):
        first = client.get(ARTICLE_URL)
    with django_assert_num_queries(0):
        second = client.get(ARTICLE_URL)
    with django_assert_num_queries(0):
        head = client.head(ARTICLE_URL)

    assert first.status_code == second.status_code == head.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    for response in (first, second):
        assert "cookie" in response["Vary"].lower()
        assert "private" not in response.get("Cache-Control", "")
        assert not response.cookies


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/?letter=R",
        "/tags/afghanistan/",
        "/languages/russian/",
        "/religions/sunni-islam/",
        "/people/noor-mohammad/",
        "/places/kabul/",
    ],
)
def test_public_pages_are_cached(client, seed_fixture, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert "Russians in Afghanistan" in second.content.decode()


def test_query_string_is_part_of_the_key(client, seed_fixture, django_assert_num_queries):
    with_r = cached_page(client, "/articles/?letter=R", django_assert_num_queries)
    with_z = client.get("/articles/?letter=Z").content.decode()
    assert "Russians in Afghanistan" in with_r
    assert "Russians in Afghanistan" not in with_z


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_search_and_missing_pages_are_not_cached(client, seed_fixture):
    client.get("/search/?q=Kabul")
    assert queries(client, "/search/?q=Kabul") > 0
    assert client.get("/wiki/no-such-article/").status_code == 404
    assert queries(client, "/wiki/no-such-article/") > 0


def test_editor_page_is_never_served_from_or_stored_in_the_cache(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    # An editor first, with the cache empty: nothing is stored for readers.
    editor_html = admin_client.get(ARTICLE_URL).content.decode()
    assert "/admin/articles/article/" in editor_html  # the Edit link
    assert "private" in admin_client.get(ARTICLE_URL)["Cache-Control"]
    with django_assert_num_queries(1):  # the page the editor's request stored
        reader_html = client.get(ARTICLE_URL).content.decode()
    assert "/admin/articles/article/" not in reader_html

    # The reader's page is cached now; the editor still gets their own.
    cached_page(client, ARTICLE_URL, django_assert_num_queries)
    again = admin_client.get(ARTICLE_URL)
    assert "/admin/articles/article/" in again.content.decode()
    assert "private" in again["Cache-Control"]


def test_editor_sees_draft_reader_gets_404_despite_cache(admin_client, client, db):
    draft = ArticleFactory(title="Tajiks in Russia", status=Article.Status.DRAFT)
    url = draft.get_absolute_url()
    assert admin_client.get(url).status_code == 200
    assert client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


# Every kind of edit is visible on the very next request --------------------------


def test_admin_edit_of_the_lead(admin_client, client, seed_fixture, django_assert_num_queries):
    assert "derserters" in cached_page(client, ARTICLE_URL, django_assert_num_queries)
    url = f"/admin/articles/article/{seed_fixture.pk}/change/"
    lead = Article.objects.get(pk=seed_fixture.pk).lead
    admin_save(admin_client, url, lead=lead.replace("derserters", "deserters"))

    html = next_page(client, ARTICLE_URL)
    assert "derserters" not in html and "deserters" in html


def test_revert(client, seed_fixture, django_assert_num_queries):
    article = seed_fixture
    original = article_revision_save(article=article, comment="as loaded")
    article.lead = "A rewritten lead, soon reverted."
    article.save()
    article_refresh(article=article)
    article_revision_save(article=article, comment="rewritten")
    assert "soon reverted" in cached_page(client, ARTICLE_URL, django_assert_num_queries)

    article_revert(article=article, revision=original)

    html = next_page(client, ARTICLE_URL)
    assert "soon reverted" not in html and "derserters" in html


def test_rename_through_the_admin(admin_client, client, seed_fixture, django_assert_num_queries):
    linking = ArticleFactory(title="Afghans in Russia", lead="See [[Russians in Afghanistan]].")
    linking_url = linking.get_absolute_url()
    assert 'href="/wiki/russians-in-afghanistan/"' in cached_page(
        client, linking_url, django_assert_num_queries
    )
    cached_page(client, ARTICLE_URL, django_assert_num_queries)
    cached_page(client, "/", django_assert_num_queries)

    admin_save(
        admin_client,
        f"/admin/articles/article/{seed_fixture.pk}/change/",
        title="Russian people in Afghanistan",
        slug="russian-people-in-afghanistan",
    )

    old = client.get(ARTICLE_URL)
    assert old.status_code == 301
    assert old["Location"] == "/wiki/russian-people-in-afghanistan/"
    html = next_page(client, "/wiki/russian-people-in-afghanistan/")
    assert re.search(r"<h1>\s*Russian people in Afghanistan\s*</h1>", html)
    assert "Russian people in Afghanistan" in next_page(client, "/")
    assert 'href="/wiki/russian-people-in-afghanistan/"' in next_page(client, linking_url)


def test_renaming_a_person_mentioned_on_the_page(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    noor = Person.objects.get(slug="noor-mohammad")
    # Chosen by hand, so the mention stays when the text no longer names him.
    PersonMention.objects.filter(person=noor).update(state="added")
    html = cached_page(client, ARTICLE_URL, django_assert_num_queries)
    assert '<a href="/people/noor-mohammad/">Noor Mohammad</a>' in html
    cached_page(client, "/people/noor-mohammad/", django_assert_num_queries)

    admin_save(admin_client, f"/admin/people/person/{noor.pk}/change/", name="Nur Muhammad")

    html = next_page(client, ARTICLE_URL)
    assert '<a href="/people/noor-mohammad/">Nur Muhammad</a>' in html
    assert ">Noor Mohammad</a>" not in html
    assert "Nur Muhammad" in next_page(client, "/people/noor-mohammad/")


def test_renaming_a_place_in_the_infobox(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    kabul = Place.objects.get(slug="kabul")
    html = cached_page(client, ARTICLE_URL, django_assert_num_queries)
    assert '<a href="/places/kabul/">Kabul</a>' in html
    cached_page(client, "/places/kabul/", django_assert_num_queries)

    admin_save(admin_client, f"/admin/people/place/{kabul.pk}/change/", name="Kabul City")

    html = next_page(client, ARTICLE_URL)
    infobox = html[html.index('<aside class="infobox"'):html.index("</aside>")]
    assert '<a href="/places/kabul/">Kabul City</a>' in infobox
    assert "Kabul City" in next_page(client, "/places/kabul/")


def test_importing_an_update(client, seed_fixture, seed_text, django_assert_num_queries):
    assert "derserters" in cached_page(client, ARTICLE_URL, django_assert_num_queries)
    cached_page(client, "/languages/dari/", django_assert_num_queries)

    updated = seed_text.replace("derserters", "deserters").replace("Dari", "Uzbek")
    articles_import(sources=[("update.txt", updated.encode())])

    html = next_page(client, ARTICLE_URL)
    assert "derserters" not in html and "deserters" in html
    assert "Uzbek" in visible_text(html)
    assert "Russians in Afghanistan" not in next_page(client, "/languages/dari/")


def test_deleting_an_article_another_page_links_to(client, db, django_assert_num_queries):
    target = ArticleFactory(title="Kazakhs in Russia", lead="Target.")
    linking = ArticleFactory(title="Russians in Kazakhstan", lead="See [[Kazakhs in Russia]].")
    url = linking.get_absolute_url()
    assert 'href="/wiki/kazakhs-in-russia/"' in cached_page(client, url, django_assert_num_queries)
    cached_page(client, target.get_absolute_url(), django_assert_num_queries)
    cached_page(client, "/", django_assert_num_queries)

    article_delete(article=target)

    html = next_page(client, url)
    assert 'href="/wiki/kazakhs-in-russia/"' not in html
    assert '<span class="missing" title="Kazakhs in Russia: no article yet">' in html
    assert client.get(target.get_absolute_url()).status_code == 404
    assert "Kazakhs in Russia" not in next_page(client, "/")


def test_deleting_through_the_admin(admin_client, client, db, django_assert_num_queries):
    target = ArticleFactory(title="Kazakhs in Russia", lead="Target.")
    linking = ArticleFactory(title="Russians in Kazakhstan", lead="See [[Kazakhs in Russia]].")
    url = linking.get_absolute_url()
    cached_page(client, url, django_assert_num_queries)

    response = admin_client.post(f"/admin/articles/article/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert 'href="/wiki/kazakhs-in-russia/"' not in next_page(client, url)


def test_renaming_a_tag(client, seed_fixture, django_assert_num_queries):
    assert "Russian diaspora" in visible_text(
        cached_page(client, ARTICLE_URL, django_assert_num_queries)
    )
    tag = Tag.objects.get(slug="russian-diaspora")
    tag.name = "Russian emigration"
    tag.save()
    assert "Tags: Afghanistan, Russian emigration" in visible_text(next_page(client, ARTICLE_URL))


def test_writes_that_send_no_signal(client, seed_fixture, django_assert_num_queries):
    """QuerySet.update and bulk_create, as the services use them."""
    cached_page(client, ARTICLE_URL, django_assert_num_queries)
    Article.objects.filter(pk=seed_fixture.pk).update(lead_html="<p>Only an update().</p>")
    assert "Only an update()." in next_page(client, ARTICLE_URL)

    Section.objects.bulk_create(
        [Section(article=seed_fixture, heading="Bulk heading", level=2, body="Bulk.", position=0)]
    )
    assert "Bulk heading" in next_page(client, ARTICLE_URL)
    article_refresh(article=seed_fixture)  # renders the lead again from its text
    html = next_page(client, ARTICLE_URL)
    assert "Only an update()." not in html and "derserters" in html


# When the generation moves ----------------------------------------------------------


def test_a_write_bumps_after_commit_once_per_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            place = Place.objects.create(name="Herat", slug="herat")
            place.name = "Herat City"
            place.save()
            Place.objects.filter(pk=place.pk).update(demonym="Herati")
            Person.objects.bulk_create([Person(name="Someone", slug="someone")])
    bump = page_cache._bump_all_and_purge
    assert [cb for cb in callbacks if cb is bump] == [bump]

    before = page_cache.generation()
    callbacks[callbacks.index(bump)]()
    assert page_cache.generation() != before


def test_writes_to_other_tables_do_not_bump(client, seed_fixture, django_user_model,
                                            django_assert_num_queries):
    cached_page(client, ARTICLE_URL, django_assert_num_queries)
    before = page_cache.generation()
    django_user_model.objects.create_user("reader", password="x")
    assert page_cache.generation() == before
    Place.objects.filter(slug="kabul").update(name="Kabul City")
    assert page_cache.generation() != before


def test_a_lost_generation_starts_somewhere_new(client, seed_fixture, django_assert_num_queries):
    cached_page(client, ARTICLE_URL, django_assert_num_queries)
    cache.delete(page_cache.GENERATION_KEY)
    Article.objects.filter(pk=seed_fixture.pk).update(lead_html="<p>After eviction.</p>")
    assert "After eviction." in next_page(client, ARTICLE_URL)


def test_flush_statements_count_as_writes(db):
    """``manage.py flush`` (TRUNCATE on PostgreSQL, DELETE FROM on SQLite)."""
    from django.core.management.color import no_style

    sql = connection.ops.sql_flush(no_style(), ["articles_article", "people_place"])
    assert sql and all(
        page_cache._WRITE_RE.match(statement) and page_cache._tables_re.search(statement)
        for statement in sql
    )
    assert not page_cache._tables_re.search(
        connection.ops.sql_flush(no_style(), ["auth_user"])[0]
    )
