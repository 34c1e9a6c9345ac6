"""The index pages: /people/, /places/ (by country, with their parents),
/languages/, /religions/ and /tags/, each entry with the number of published
articles naming or carrying it, paginated, linked from every page's footer;
page-cached under the keys of articles.dependencies, so that an admin's
write shows on the very next request (each test runs with LocMemCache, the
file cache and Redis, as tests/test_dependencies.py)."""

from __future__ import annotations

import re

import pytest
from taggit.models import Tag

from articles.dependencies import ALL, HOME, PEOPLE_INDEX, PLACES_INDEX, page_keys
from articles.models import Article, Language
from articles.wikitext.names import name_key
from people.models import Person, Place
from tests.admin_forms import change_form_data
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory
from tests.html import visible_text
from tests.test_cache import admin_save, cached_page, next_page
from tests.test_dependencies import still_cached

pytestmark = pytest.mark.django_db

INDEXES = ["/people/", "/places/", "/languages/", "/religions/", "/tags/"]


def items(html: str) -> list[str]:
    """The visible text of each entry of the page's index lists."""
    return [visible_text(li) for li in re.findall(r"<li>(.*?)</li>", html, re.S)
            if "class=\"count\"" in li]


def test_people_are_listed_with_the_published_articles_mentioning_them(client, seed_fixture):
    Person.objects.create(name="Zaher Shah", slug="zaher-shah",
                          description="King <b>of</b> Afghanistan.")
    html = client.get("/people/").content.decode()
    assert "<h1>People</h1>" in html
    listed = items(html)
    assert any(entry.startswith("Noor Mohammad (1 article) ") for entry in listed)
    assert listed[-1] == "Zaher Shah (0 articles) King <b>of</b> Afghanistan."  # escaped
    assert "King &lt;b&gt;of&lt;/b&gt; Afghanistan." in html
    assert [entry.split(" (")[0] for entry in listed] == sorted(
        Person.objects.values_list("name", flat=True))


def test_places_are_grouped_by_country_with_their_parents(client, seed_fixture):
    html = client.get("/places/").content.decode()
    groups = re.findall(r"<h2>(.*?)</h2>", html)
    assert groups[:2] == ["Afghanistan", "Israel"]
    afghanistan = html.split("<h2>Afghanistan</h2>")[1].split("</section>")[0]
    assert items(afghanistan) == [
        "Afghanistan (1 article)",
        "Balkh Province in Afghanistan (1 article)",
        "Chaghcharan in Ghor Province, Afghanistan (1 article)",
        "Ghor Province in Afghanistan (0 articles)",
        "Kabul in Afghanistan (1 article)",
    ]
    assert ('<a href="/places/ghor-province/">Ghor Province</a>, '
            '<a href="/places/afghanistan/">') in afghanistan
    mecca = html.split("<h2>Saudi Arabia</h2>")[1].split("</section>")[0]
    assert "Mecca in Saudi Arabia" in visible_text(mecca)


def test_an_article_counts_once_for_a_place_it_names_in_several_ways(client, seed_fixture):
    # The seed's host country, Afghanistan, is also mentioned in its text.
    html = client.get("/places/").content.decode()
    assert "Afghanistan (1 article)" in items(html)


def test_term_pages_list_the_terms_published_articles_carry(client, seed_fixture):
    draft = ArticleFactory(title="Tatars in Kabul", status=Article.Status.DRAFT)
    draft.tags.add("Draft only")
    Language.objects.create(name="Tatar", slug="tatar")
    assert items(client.get("/languages/").content.decode()) == [
        "Dari (1 article)", "Pashto (1 article)", "Russian (1 article)"]
    assert items(client.get("/religions/").content.decode()) == [
        "Russian Orthodoxy (1 article)", "Sunni Islam (1 article)"]
    html = client.get("/tags/").content.decode()
    assert items(html) == ["Afghanistan (1 article)", "Russian diaspora (1 article)"]
    assert '<a href="/tags/russian-diaspora/">Russian diaspora</a>' in html
    assert '<a href="/languages/dari/">Dari</a>' in client.get("/languages/").content.decode()


def test_counts_add_up_over_several_articles(client, seed_fixture):
    other = ArticleFactory(title="Russians in Kabul")
    other.tags.add("Russian diaspora")
    assert "Russian diaspora (2 articles)" in items(client.get("/tags/").content.decode())


def test_the_index_pages_are_paginated(client, db):
    Person.objects.bulk_create(
        Person(name=f"Person {n:03}", slug=f"person-{n:03}") for n in range(51))
    first = client.get("/people/").content.decode()
    assert len(items(first)) == 50 and "Page 1 of 2" in first
    assert '<a href="?page=2" rel="next">Next</a>' in first
    second = client.get("/people/?page=2").content.decode()
    assert items(second) == ["Person 050 (0 articles)"]
    assert client.get("/people/?page=nonsense").status_code == 200


def test_empty_indexes_say_so(client, db):
    for url in INDEXES:
        assert '<p class="empty">None yet.</p>' in client.get(url).content.decode()


def test_every_page_links_to_the_indexes_from_its_footer(client, seed_fixture):
    for url in ["/", "/wiki/russians-in-afghanistan/", "/people/"]:
        html = client.get(url).content.decode()
        footer = html.split('<footer class="site-footer">')[1]
        for index in [*INDEXES, "/random/"]:
            assert f'href="{index}"' in footer, (url, index)


@pytest.mark.parametrize("url, queries", [
    ("/people/", 2), ("/places/", 3), ("/languages/", 2), ("/religions/", 2), ("/tags/", 2),
])
def test_each_index_is_a_fixed_number_of_queries(
    client, seed_fixture, django_assert_num_queries, url, queries
):
    # The paginator's count and the page; places also their counts (one UNION).
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    Place.objects.bulk_create(Place(name=f"Town {n}", name_key=name_key(f"Town {n}"),
                                    slug=f"town-{n}", parent_id=1) for n in range(30))
    Person.objects.bulk_create(Person(name=f"P {n}", slug=f"p-{n}") for n in range(30))
    with django_assert_num_queries(queries):
        assert client.get(url + "?page=1").status_code == 200


def test_the_index_pages_have_their_keys():
    assert page_keys("/people/") == [ALL, HOME, PEOPLE_INDEX]
    assert page_keys("/places/") == [ALL, HOME, PLACES_INDEX]
    for url in ["/languages/", "/religions/", "/tags/"]:
        assert page_keys(url) == [ALL, HOME]


# Fresh on the very next request ------------------------------------------------


def warm(client, django_assert_num_queries, *urls):
    for url in urls:
        cached_page(client, url, django_assert_num_queries)


def test_a_person_added_in_the_admin_is_on_the_people_index_next(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    warm(client, django_assert_num_queries, "/people/", "/languages/")
    form = admin_client.get("/admin/people/person/add/")
    data = change_form_data(form)
    data.update(name="Babrak Karmal", slug="babrak-karmal", description="President.")
    assert admin_client.post("/admin/people/person/add/", data).status_code == 302
    assert "Babrak Karmal (0 articles) President." in items(next_page(client, "/people/"))
    still_cached(client, "/languages/")


def test_a_place_added_in_the_admin_is_under_its_country_next(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    warm(client, django_assert_num_queries, "/places/")
    data = change_form_data(admin_client.get("/admin/people/place/add/"))
    data.update(name="Herat", slug="herat", kind="city", parent="1")
    assert admin_client.post("/admin/people/place/add/", data).status_code == 302
    html = next_page(client, "/places/")
    afghanistan = html.split("<h2>Afghanistan</h2>")[1].split("</section>")[0]
    assert "Herat in Afghanistan (0 articles)" in items(afghanistan)


def test_unpublishing_an_article_in_the_admin_updates_every_count_next(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    warm(client, django_assert_num_queries, *INDEXES)
    admin_save(admin_client, f"/admin/articles/article/{seed_fixture.pk}/change/", status="draft")
    assert any(entry.startswith("Noor Mohammad (0 articles) ")
               for entry in items(next_page(client, "/people/")))
    assert "Kabul in Afghanistan (0 articles)" in items(next_page(client, "/places/"))
    for url in ["/languages/", "/religions/", "/tags/"]:
        assert '<p class="empty">None yet.</p>' in next_page(client, url)


def test_a_tag_added_in_the_admin_is_on_the_tag_index_next(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    warm(client, django_assert_num_queries, "/tags/", "/people/")
    admin_save(admin_client, f"/admin/articles/article/{seed_fixture.pk}/change/",
               tags="Russian diaspora, Afghanistan, Soviet veterans")
    assert "Soviet veterans (1 article)" in items(next_page(client, "/tags/"))
    assert Tag.objects.filter(name="Soviet veterans").exists()


def test_the_sitemap_lists_the_index_pages(client, db):
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    for url in INDEXES:
        assert f"<loc>http://testserver{url}</loc>" in sitemap
