"""Invalidation by dependency (articles.dependencies): each kind of write
makes the pages that show what it changed fresh on the very next request,
and leaves every other page in the cache (served with no query).

Like tests/test_cache.py, each test runs with LocMemCache, the file cache
and Redis.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.dependencies import ALL, article_key, page_keys
from articles.models import Article, PersonMention
from articles.services import article_delete, article_revert, articles_import
from people.models import Person
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory, ArticleReferenceFactory, SourceFactory
from tests.test_cache import admin_save, cached_page, next_page

pytestmark = pytest.mark.django_db

SEED_URL = "/wiki/russians-in-afghanistan/"


def still_cached(client, *urls: str) -> None:
    """Each of ``urls`` is still answered from the cache: no query at all."""
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) == 0, f"{url} was rendered again"


@pytest.fixture
def site(db):
    """A linking article, an unrelated one, and the lists."""
    target = ArticleFactory(title="Kazakhs in Russia", lead="About Kazakhs.")
    linking = ArticleFactory(title="Uzbeks in Georgia", lead="See [[Kazakhs in Russia]].")
    unrelated = ArticleFactory(title="Poles in Brazil", lead="Nothing to do with them.")
    return target, linking, unrelated


def warm(client, django_assert_num_queries, *urls: str) -> None:
    for url in urls:
        cached_page(client, url, django_assert_num_queries)


def test_an_edit_of_the_text_leaves_every_other_page_cached(
    admin_client, client, site, django_assert_num_queries
):
    target, linking, unrelated = site
    pages = [linking.get_absolute_url(), unrelated.get_absolute_url(), "/",
             "/articles/?letter=K"]
    warm(client, django_assert_num_queries, target.get_absolute_url(), *pages)

    admin_save(admin_client, f"/admin/articles/article/{target.pk}/change/",
               lead="About Kazakhs, edited.")

    assert "About Kazakhs, edited." in next_page(client, target.get_absolute_url())
    assert "About Kazakhs, edited." in next_page(client, "/feed/")
    # The links to it, the lists: nothing of what they show changed.
    still_cached(client, *pages)


def test_a_rename_refreshes_the_pages_that_link_to_it_and_its_lists(
    admin_client, client, site, django_assert_num_queries
):
    target, linking, unrelated = site
    warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url(),
         "/", "/articles/?letter=K", "/articles/?letter=T", "/articles/?letter=P")

    admin_save(admin_client, f"/admin/articles/article/{target.pk}/change/",
               title="Tatars in Russia", slug="tatars-in-russia")

    assert 'href="/wiki/tatars-in-russia/"' in next_page(client, linking.get_absolute_url())
    assert "Tatars in Russia" in next_page(client, "/")
    assert "Kazakhs in Russia" not in next_page(client, "/articles/?letter=K")
    assert "Tatars in Russia" in next_page(client, "/articles/?letter=T")
    still_cached(client, unrelated.get_absolute_url())
    # Every index page links the letters holding an article (issue 15): K
    # lost its one article and T gained one, so the P page is rendered again.
    assert 'href="?letter=T"' in next_page(client, "/articles/?letter=P")


def test_creating_an_article_turns_the_links_to_it_blue(
    admin_client, client, site, django_assert_num_queries
):
    _, linking, unrelated = site
    waiting = ArticleFactory(title="Tajiks in Georgia", lead="See [[Armenians in Brazil]].")
    html = cached_page(client, waiting.get_absolute_url(), django_assert_num_queries)
    assert 'title="Armenians in Brazil: no article yet"' in html
    warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())

    response = admin_client.get("/admin/articles/article/add/")
    from tests.admin_forms import change_form_data

    data = change_form_data(response)
    data.update(title="Armenians in Brazil", slug="armenians-in-brazil", lead="New.",
                status="published")
    assert admin_client.post("/admin/articles/article/add/", data).status_code == 302

    assert 'href="/wiki/armenians-in-brazil/"' in next_page(client, waiting.get_absolute_url())
    still_cached(client, linking.get_absolute_url())


def test_unpublishing_turns_the_links_missing(admin_client, client, site, django_assert_num_queries):
    target, linking, unrelated = site
    warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/articles/article/{target.pk}/change/", status="draft")

    assert client.get(target.get_absolute_url()).status_code == 404
    html = next_page(client, linking.get_absolute_url())
    assert 'href="/wiki/kazakhs-in-russia/"' not in html
    still_cached(client, unrelated.get_absolute_url())


def test_deleting_leaves_unrelated_pages_cached(client, site, django_assert_num_queries):
    target, linking, unrelated = site
    warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url(),
         "/articles/?letter=P")

    article_delete(article=target)

    assert 'title="Kazakhs in Russia: no article yet"' in next_page(client, linking.get_absolute_url())
    assert "Kazakhs in Russia" not in next_page(client, "/")
    still_cached(client, unrelated.get_absolute_url())
    # K lost its one article: the index pages' letter links change (issue 15).
    assert 'href="?letter=K"' not in next_page(client, "/articles/?letter=P")


def test_renaming_a_person_refreshes_only_the_pages_naming_them(
    admin_client, client, seed_fixture, site, django_assert_num_queries
):
    _, linking, unrelated = site
    noor = Person.objects.get(slug="noor-mohammad")
    PersonMention.objects.filter(person=noor).update(state="added")
    warm(client, django_assert_num_queries, SEED_URL, "/people/noor-mohammad/",
         linking.get_absolute_url(), unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/people/person/{noor.pk}/change/", name="Nur Muhammad")

    assert '<a href="/people/noor-mohammad/">Nur Muhammad</a>' in next_page(client, SEED_URL)
    assert "Nur Muhammad" in next_page(client, "/people/noor-mohammad/")
    still_cached(client, linking.get_absolute_url(), unrelated.get_absolute_url())


def test_editing_a_source_refreshes_the_articles_citing_it(
    admin_client, client, site, django_assert_num_queries
):
    target, linking, unrelated = site
    source = SourceFactory(title="Census of Russia")
    ArticleReferenceFactory(article=target, source=source, key="census")
    Article.objects.filter(pk=target.pk).update(lead="About Kazakhs.[^census]")
    from articles.services import article_refresh

    article_refresh(article=Article.objects.get(pk=target.pk))
    assert "Census of Russia" in cached_page(client, target.get_absolute_url(),
                                             django_assert_num_queries)
    warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/articles/source/{source.pk}/change/",
               title="Census of the Russian Federation")

    assert "Census of the Russian Federation" in next_page(client, target.get_absolute_url())
    still_cached(client, linking.get_absolute_url(), unrelated.get_absolute_url())


def test_an_import_refreshes_what_it_changed(client, site, django_assert_num_queries):
    target, linking, unrelated = site
    # As an import writes it (its group and host country come from the title).
    articles_import(sources=[("kazakhs.txt", b"= Kazakhs in Russia =\n\nFirst import.\n")])
    warm(client, django_assert_num_queries, target.get_absolute_url(), linking.get_absolute_url(),
         unrelated.get_absolute_url())

    articles_import(sources=[("kazakhs.txt", b"= Kazakhs in Russia =\n\nImported text.\n")])

    assert "Imported text." in next_page(client, target.get_absolute_url())
    still_cached(client, linking.get_absolute_url(), unrelated.get_absolute_url())


def test_a_revert_refreshes_the_article_only(admin_client, client, site, django_assert_num_queries):
    target, linking, unrelated = site
    admin_save(admin_client, f"/admin/articles/article/{target.pk}/change/", lead="First.")
    admin_save(admin_client, f"/admin/articles/article/{target.pk}/change/", lead="Second.")
    warm(client, django_assert_num_queries, target.get_absolute_url(), linking.get_absolute_url(),
         unrelated.get_absolute_url())
    from reversion.models import Version

    first = Version.objects.get_for_object(target)[1].revision

    article_revert(article=Article.objects.get(pk=target.pk), revision=first)

    assert "First." in next_page(client, target.get_absolute_url())
    still_cached(client, linking.get_absolute_url(), unrelated.get_absolute_url())


def test_a_write_no_service_accounts_for_still_refreshes_everything(
    client, seed_fixture, site, django_assert_num_queries
):
    _, _, unrelated = site
    warm(client, django_assert_num_queries, SEED_URL, unrelated.get_absolute_url())

    Tag.objects.filter(name="Russian diaspora").update(name="Russians abroad")

    assert "Russians abroad" in next_page(client, SEED_URL)
    next_page(client, unrelated.get_absolute_url())  # rendered again: the safe side


def test_reader_pages_carry_their_keys_for_shared_caches(client, site, admin_client):
    target, _, _ = site
    response = client.get(target.get_absolute_url())
    assert response["xkey"] == f"{ALL} {article_key(target.slug)}"
    assert response["Surrogate-Key"] == response["xkey"]
    shared = settings.PAGE_SHARED_MAX_AGE
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {
        "public", "max-age=0", f"s-maxage={shared}"
    }
    editor = admin_client.get(target.get_absolute_url())
    assert "xkey" not in editor and "private" in editor["Cache-Control"]


def test_page_keys_follow_the_address():
    assert page_keys("/wiki/kazakhs-in-russia/") == [ALL, article_key("kazakhs-in-russia")]
    assert page_keys("/api/articles/kazakhs-in-russia/") == page_keys("/wiki/kazakhs-in-russia/")
    # LETTERS ("La"): every index page links the letters holding an article.
    assert page_keys("/articles/", {"letter": "k"}) == [ALL, "LiK", "La"]
    assert page_keys("/articles/", {"letter": "#"}) == [ALL, "Li_", "La"]
    assert page_keys("/articles/", {"letter": "Ж"}) == [ALL, "Li", "La"]
    assert page_keys("/no/such/page/") == [ALL]
    assert page_keys("/wiki/русские-в-афганистане/")[1] == article_key("русские-в-афганистане")


def test_renaming_a_place_refreshes_its_family_and_people(
    admin_client, client, site, django_assert_num_queries
):
    from tests.factories import PersonFactory, PlaceFactory

    _, linking, unrelated = site
    country = PlaceFactory(name="Kazakhstan", slug="kazakhstan", kind="country")
    PlaceFactory(name="Almaty", slug="almaty", kind="city", parent=country)
    PlaceFactory(name="Bolivia", slug="bolivia", kind="country")
    person = PersonFactory(name="Abai Kunanbaiuly", slug="abai")
    person.places.add(country)
    warm(client, django_assert_num_queries, "/places/almaty/", "/places/kazakhstan/",
         "/people/abai/", "/places/bolivia/", unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/people/place/{country.pk}/change/", name="Qazaqstan")

    assert "Qazaqstan" in next_page(client, "/places/kazakhstan/")
    assert "Qazaqstan" in next_page(client, "/places/almaty/")  # its parent, named
    assert "Qazaqstan" in next_page(client, "/people/abai/")
    still_cached(client, "/places/bolivia/", unrelated.get_absolute_url())


def test_a_population_edit_refreshes_the_lists_not_the_pages_linking_to_it(
    admin_client, client, site, django_assert_num_queries
):
    target, linking, unrelated = site
    warm(client, django_assert_num_queries, "/", "/articles/?letter=K", linking.get_absolute_url(),
         unrelated.get_absolute_url(), "/articles/?letter=P")

    admin_save(admin_client, f"/admin/articles/article/{target.pk}/change/", population="12345")

    assert "12,345" in next_page(client, target.get_absolute_url())
    assert "12,345" in next_page(client, "/")  # the lists show the population
    next_page(client, "/articles/?letter=K")
    # What other articles show of it (its title, its address) is unchanged.
    still_cached(client, linking.get_absolute_url(), unrelated.get_absolute_url(),
                 "/articles/?letter=P")


def test_an_import_of_as_many_articles_as_are_worked_out_one_by_one(client, site):
    """The largest import whose pages are each worked out (not every page at
    once): its queries stay within what both databases take."""
    from articles import dependencies

    count = dependencies.WHOLESALE - 3  # the three of the site are watched too
    files = [(f"{n}.txt", f"= Group{n} in Country{n} =\n\nSee [[Kazakhs in Russia]].\n".encode())
             for n in range(count)]
    results = articles_import(sources=files)
    assert len(results) == count
    assert "Group0 in Country0" in next_page(client, "/articles/?letter=G")


# The same save made by code (articles.services.article_edit) -----------------


def test_article_edit_is_an_editors_save(client, site, django_assert_num_queries):
    from articles.models import ArticleRender
    from articles.services import article_edit
    from django.contrib.auth import get_user_model
    from reversion.models import Version

    target, linking, unrelated = site
    pages = [linking.get_absolute_url(), unrelated.get_absolute_url(), "/"]
    warm(client, django_assert_num_queries, target.get_absolute_url(), *pages)
    editor = get_user_model().objects.create_user("bot", password="pw-1234567890")

    article_edit(article=target, changes={"lead": "About Kazakhs, by a script."},
                 user=editor, comment="Lead rewritten.")

    # Rendered in the writing transaction: the next reader reads one row.
    assert ArticleRender.objects.get(pk=target.pk).page
    with django_assert_num_queries(1):
        assert "About Kazakhs, by a script." in client.get(target.get_absolute_url()).text
    still_cached(client, *pages)
    version = Version.objects.get_for_object(target).select_related("revision").first()
    assert version.revision.comment == "Lead rewritten." and version.revision.user == editor
    assert "About Kazakhs, by a script." in version.serialized_data


def test_article_edit_of_the_title_relinks_and_a_bad_value_writes_nothing(client, site):
    from django.core.exceptions import ValidationError

    from articles.services import article_edit
    from reversion.models import Version

    target, linking, unrelated = site
    client.get(linking.get_absolute_url())

    article_edit(article=target, changes={"title": "Kazakhs in the Russian Federation",
                                          "slug": "kazakhs-in-the-russian-federation"})

    page = next_page(client, linking.get_absolute_url())
    assert 'href="/wiki/kazakhs-in-the-russian-federation/"' in page
    revisions = Version.objects.get_for_object(target).count()
    with pytest.raises(ValidationError):
        article_edit(article=Article.objects.get(pk=target.pk), changes={"title": ""})
    target.refresh_from_db()
    assert target.title == "Kazakhs in the Russian Federation"
    assert Version.objects.get_for_object(target).count() == revisions
