"""Links go where a reader expects (issue 15): a ``[[...]]`` target, a See
also title or an infobox title is an article's first, then a place's or a
person's (by name or alias), and only then shown missing; in the lead,
sections, lists and the infobox. The page shows that on the very next
request after a person or place is created, renamed, given an alias or
deleted through the admin's own forms, and leaves unrelated pages cached."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.lookups import name_targets
from articles.models import Article
from articles.services import articles_import
from people.models import Alias, Person, Place
from tests.admin_forms import add_inline_form, change_form_data
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory, PersonFactory, PlaceFactory
from tests.test_cache import admin_save, cached_page, next_page

pytestmark = pytest.mark.django_db

TEXT = """= Tajiks in Russia =

Infobox
- Group: Tajiks
- Related: Kabul, Noormomad, Nowhere Group

They came from [[Kabul]] and [[kabul|the capital]]; [[Sergei Kransnoperov]] wrote of it.

==Places==
Some went on to [[Mazar-i-Sharif]].

- [[Noor Mohammad|Noor]] in a list
- [[Nowhere at all]] in a list

==See also==
- Kabul
- Noor Mohammad
- Tajiks in Kazakhstan
"""


def _import(text: str = TEXT) -> Article:
    [result] = articles_import(sources=[("tajiks.txt", text.encode())])
    Article.objects.filter(pk=result.article.pk).update(status=Article.Status.PUBLISHED)
    return Article.objects.get(pk=result.article.pk)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _part(html: str, start: str, end: str = "</section>") -> str:
    html = html[html.index(start):]
    return html[:html.index(end)]


def _lead_of(html: str) -> str:
    """The lead's HTML without the infobox (which the layout puts inside
    the lead's box, after its first paragraph)."""
    lead = html[html.index('<div class="lead">'):]
    lead = lead[:lead.index("<section")] if "<section" in lead else lead
    return re.sub(r"<aside .*?</aside>", "", lead, flags=re.S)


def _link(url: str, label: str) -> str:
    return f'<a href="{url}" rel="noopener noreferrer">{label}</a>'


@pytest.fixture
def names(db):
    kabul = PlaceFactory(name="Kabul", slug="kabul", kind="city")
    noor = PersonFactory(name="Noor Mohammad", slug="noor-mohammad")
    Alias.objects.create(person=noor, name="Sergei Kransnoperov")
    Alias.objects.create(person=noor, name="Noormomad")
    return kabul, noor


# --- where a title goes --------------------------------------------------------


def test_name_targets_prefer_a_place_then_a_name_then_an_alias(names):
    kabul, noor = names
    other = PersonFactory(name="Kabul", slug="kabul-the-person")
    alias_owner = PersonFactory(name="Someone", slug="someone")
    Alias.objects.create(person=alias_owner, name="Noor Mohammad")
    with CaptureQueriesContext(connection) as queries:
        found = name_targets({"Kabul", "KABUL", "Noor Mohammad", "Sergei Kransnoperov", "Nobody"})
    assert len(queries) == 1  # one UNION whatever the number of titles
    assert found == {
        "Kabul": "/places/kabul/",  # a place before a person of that name
        "KABUL": "/places/kabul/",  # places are one by name_key: any case
        "Noor Mohammad": "/people/noor-mohammad/",  # a name before another's alias
        "Sergei Kransnoperov": "/people/noor-mohammad/",
    }
    assert other.get_absolute_url() not in found.values()
    with CaptureQueriesContext(connection) as queries:
        assert name_targets(set()) == {}
    assert len(queries) == 0


def test_lead_links_go_to_the_place_and_to_the_person_by_alias(client, names):
    article = _import()
    lead = _lead_of(_page(client, article.get_absolute_url()))
    assert _link("/places/kabul/", "Kabul") in lead
    assert _link("/places/kabul/", "the capital") in lead  # any case, its own label
    assert _link("/people/noor-mohammad/", "Sergei Kransnoperov") in lead
    assert "no article yet" not in lead


def test_sections_and_lists_link_names_and_leave_the_rest_missing(client, names):
    article = _import()
    html = _page(client, article.get_absolute_url())
    section = _part(html, '<section aria-labelledby="places"')
    assert _link("/people/noor-mohammad/", "Noor") in section
    # No article, place or person: missing, as before.
    assert '<span class="missing" title="Mazar-i-Sharif: no article yet">Mazar-i-Sharif</span>' in section
    assert '<span class="missing" title="Nowhere at all: no article yet">Nowhere at all</span>' in section


def test_see_also_and_infobox_titles_link_names_too(client, names):
    article = _import()
    html = _page(client, article.get_absolute_url())
    see_also = _part(html, '<section class="see-also"')
    assert '<a href="/places/kabul/">Kabul</a>' in see_also
    assert '<a href="/people/noor-mohammad/">Noor Mohammad</a>' in see_also
    assert '<span class="missing" title="Tajiks in Kazakhstan: no article yet">' in see_also
    infobox = _part(html, '<aside class="infobox"', "</aside>")
    assert '<a href="/places/kabul/">Kabul</a>' in infobox
    assert '<a href="/people/noor-mohammad/">Noormomad</a>' in infobox
    assert '<span class="missing" title="Nowhere Group: no article yet">Nowhere Group</span>' in infobox


def test_an_article_of_the_title_comes_before_the_place(client, names):
    ArticleFactory(title="Kabul", slug="kabul-article", lead="The city.")
    article = _import()
    lead = _lead_of(_page(client, article.get_absolute_url()))
    assert '<a href="/wiki/kabul-article/" rel="noopener noreferrer">Kabul</a>' in lead
    # Article titles match as written (as links to articles always have);
    # "[[kabul|the capital]]" names no article, so it is the place's.
    assert lead.count("/places/kabul/") == 1
    assert _link("/places/kabul/", "the capital") in lead


def test_names_in_cyrillic_and_arabic_script_link_and_are_escaped(client, db):
    PlaceFactory(name="Кабул", slug="кабул", kind="city")
    PersonFactory(name='Ahmad "Tom" & <Jerry>', slug="ahmad-tom")
    PlaceFactory(name="مزار شریف", slug="مزار-شریف", kind="city")
    article = _import(
        "= Tajiks in Russia =\n\nFrom [[Кабул]], [[مزار شریف]] and "
        '[[Ahmad "Tom" & <Jerry>]].\n'
    )
    lead = _lead_of(_page(client, article.get_absolute_url()))
    assert _link("/places/%D0%BA%D0%B0%D0%B1%D1%83%D0%BB/", "Кабул") in lead
    assert "مزار شریف</a>" in lead
    assert _link("/people/ahmad-tom/", "Ahmad &quot;Tom&quot; &amp; &lt;Jerry&gt;") in lead \
        or _link("/people/ahmad-tom/", 'Ahmad "Tom" &amp; &lt;Jerry&gt;') in lead
    assert "<Jerry>" not in lead


def test_the_stored_text_keeps_article_links_only(names):
    # Names are linked when the page is built, so that a new person or place
    # renders no article's text again: the stored lead still says missing.
    article = _import()
    assert 'title="Kabul: no article yet"' in article.lead_html


# --- the page follows the person or place through the admin ---------------------


def _warm(client, django_assert_num_queries, *urls: str) -> None:
    for url in urls:
        cached_page(client, url, django_assert_num_queries)


def _still_cached(client, *urls: str) -> None:
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 0, f"{url} was rendered again"


@pytest.fixture
def pages(db):
    linking = ArticleFactory(title="Uzbeks in Georgia", lead="See [[Herat]] and [[Ahmad Zia]].")
    unrelated = ArticleFactory(title="Poles in Brazil", lead="Nothing to do with them.")
    return linking, unrelated


def _lead(client, article) -> str:
    return _lead_of(next_page(client, article.get_absolute_url()))


def test_creating_a_place_in_the_admin_links_the_pages_naming_it(
    admin_client, client, pages, django_assert_num_queries
):
    linking, unrelated = pages
    _warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())
    assert 'title="Herat: no article yet"' in cached_page(
        client, linking.get_absolute_url(), django_assert_num_queries)

    response = admin_client.get("/admin/people/place/add/")
    data = change_form_data(response)
    data.update(name="Herat", slug="herat", kind="city")
    assert admin_client.post("/admin/people/place/add/", data).status_code == 302

    assert _link("/places/herat/", "Herat") in _lead(client, linking)
    _still_cached(client, unrelated.get_absolute_url())


def test_renaming_and_deleting_a_place_in_the_admin_turn_the_link_missing(
    admin_client, client, pages, django_assert_num_queries
):
    linking, unrelated = pages
    herat = PlaceFactory(name="Herat", slug="herat", kind="city")
    _warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/people/place/{herat.pk}/change/", name="Hirat")
    lead = _lead(client, linking)
    assert 'title="Herat: no article yet"' in lead and "/places/herat/" not in lead
    _still_cached(client, unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/people/place/{herat.pk}/change/", name="Herat")
    assert _link("/places/herat/", "Herat") in _lead(client, linking)

    response = admin_client.post(f"/admin/people/place/{herat.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Place.objects.filter(pk=herat.pk).exists()
    assert 'title="Herat: no article yet"' in _lead(client, linking)
    _still_cached(client, unrelated.get_absolute_url())


def test_a_person_and_an_alias_added_in_the_admin_link_the_pages_naming_them(
    admin_client, client, pages, django_assert_num_queries
):
    linking, unrelated = pages
    _warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())

    response = admin_client.get("/admin/people/person/add/")
    data = change_form_data(response)
    data.update(name="Zia Ahmad", slug="zia-ahmad")
    assert admin_client.post("/admin/people/person/add/", data).status_code == 302
    person = Person.objects.get(slug="zia-ahmad")
    # Not a name the page uses: still missing, and the page is as it was.
    assert 'title="Ahmad Zia: no article yet"' in _lead(client, linking)

    url = f"/admin/people/person/{person.pk}/change/"
    response = admin_client.get(url)
    data = change_form_data(response)
    add_inline_form(response, data, "aliases", name="Ahmad Zia")
    assert admin_client.post(url, data).status_code == 302
    assert list(person.aliases.values_list("name", flat=True)) == ["Ahmad Zia"]

    assert _link("/people/zia-ahmad/", "Ahmad Zia") in _lead(client, linking)
    _still_cached(client, unrelated.get_absolute_url())


def test_renaming_and_deleting_a_person_in_the_admin_follow_on_the_page(
    admin_client, client, pages, django_assert_num_queries
):
    linking, unrelated = pages
    person = PersonFactory(name="Ahmad Zia", slug="ahmad-zia")
    _warm(client, django_assert_num_queries, linking.get_absolute_url(), unrelated.get_absolute_url())
    assert _link("/people/ahmad-zia/", "Ahmad Zia") in cached_page(
        client, linking.get_absolute_url(), django_assert_num_queries)

    admin_save(admin_client, f"/admin/people/person/{person.pk}/change/", name="Zia Ahmad")
    assert 'title="Ahmad Zia: no article yet"' in _lead(client, linking)
    _still_cached(client, unrelated.get_absolute_url())

    admin_save(admin_client, f"/admin/people/person/{person.pk}/change/", name="Ahmad Zia")
    assert _link("/people/ahmad-zia/", "Ahmad Zia") in _lead(client, linking)

    response = admin_client.post(f"/admin/people/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert 'title="Ahmad Zia: no article yet"' in _lead(client, linking)
    _still_cached(client, unrelated.get_absolute_url())


def test_see_also_of_a_name_follows_a_new_place(admin_client, client, django_assert_num_queries):
    article = _import("= Tajiks in Russia =\n\nLead.\n\n==See also==\n- Herat\n")
    _warm(client, django_assert_num_queries, article.get_absolute_url())
    response = admin_client.get("/admin/people/place/add/")
    data = change_form_data(response)
    data.update(name="Herat", slug="herat", kind="city")
    assert admin_client.post("/admin/people/place/add/", data).status_code == 302
    see_also = _part(next_page(client, article.get_absolute_url()), '<section class="see-also"')
    assert '<a href="/places/herat/">Herat</a>' in see_also
    assert re.search(r"not written yet", see_also) is None
