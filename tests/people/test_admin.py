"""The person and place admins: search, autocomplete and editing through the
admin's own forms."""

import pytest
from django.utils.html import escape

from people.models import Person, Place
from tests.admin_forms import add_inline_form, change_form_data, inline_forms
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

PERSON_LIST = "/admin/people/person/"
PLACE_LIST = "/admin/people/place/"


def names(response) -> list[str]:
    assert response.status_code == 200
    return [obj.name for obj in response.context["cl"].result_list]


def person_change_url(person: Person) -> str:
    return f"/admin/people/person/{person.pk}/change/"


def place_change_url(place: Place) -> str:
    return f"/admin/people/place/{place.pk}/change/"


def test_person_search_finds_noor_mohammad_by_a_substring_of_an_alias(
    admin_client, seed_fixture
):
    assert names(admin_client.get(PERSON_LIST, {"q": "Krasnoperov"})) == ["Noor Mohammad"]
    assert names(admin_client.get(PERSON_LIST, {"q": "krasnoper"})) == ["Noor Mohammad"]
    assert names(admin_client.get(PERSON_LIST, {"q": "Noormomad"})) == ["Noor Mohammad"]


def test_person_search_lists_a_person_once_when_several_aliases_match(
    admin_client, seed_fixture
):
    # "Sergei Yurevich Krasnoperov" and "Sergei Kransnoperov" both match.
    assert names(admin_client.get(PERSON_LIST, {"q": "Sergei"})) == ["Noor Mohammad"]


def test_person_search_by_name_and_description(admin_client, seed_fixture):
    assert names(admin_client.get(PERSON_LIST, {"q": "Mohammad"})) == [
        "Gennady Tsevma",  # alias "Nek Mohammad"
        "Noor Mohammad",
    ]
    assert names(admin_client.get(PERSON_LIST, {"q": "bodyguard"})) == ["Nikolai Bistrov"]
    assert names(admin_client.get(PERSON_LIST, {"q": "Zhukov"})) == []


def test_place_search_finds_balkh_province(admin_client, seed_fixture):
    assert names(admin_client.get(PLACE_LIST, {"q": "Balkh Province"})) == ["Balkh Province"]
    # Places are found by the place they lie in, too.
    assert "Balkh Province" in names(admin_client.get(PLACE_LIST, {"q": "Afghanistan"}))


def test_place_list_filters_by_kind(admin_client, seed_fixture):
    assert names(admin_client.get(PLACE_LIST, {"kind__exact": "region"})) == [
        "Balkh Province", "Ghor Province"
    ]


def test_person_places_autocomplete_finds_places(admin_client, seed_fixture):
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "people", "model_name": "person", "field_name": "places", "term": "Chagh",
    })
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Chaghcharan"]


def test_person_form_round_trip_keeps_places_and_aliases(admin_client, client, seed_fixture):
    noor = Person.objects.get(name="Noor Mohammad")
    response = admin_client.get(person_change_url(noor))
    data = change_form_data(response)

    assert sorted(data["places"]) == sorted(str(pk) for pk in noor.places.values_list("pk", flat=True))
    aliases = inline_forms(data, "aliases")
    # Three saved aliases and the inline's one blank extra form.
    assert [row["name"] for row in aliases] == [
        "Sergei Yurevich Krasnoperov", "Sergei Kransnoperov", "Noormomad", ""
    ]
    data["description"] = "Soviet soldier who stayed in Afghanistan."
    response = admin_client.post(person_change_url(noor), data)

    assert response.status_code == 302
    noor.refresh_from_db()
    assert noor.description == "Soviet soldier who stayed in Afghanistan."
    assert sorted(noor.places.values_list("name", flat=True)) == ["Afghanistan", "Chaghcharan"]
    assert list(noor.aliases.values_list("name", flat=True)) == [
        "Sergei Yurevich Krasnoperov", "Sergei Kransnoperov", "Noormomad"
    ]
    assert "Soviet soldier who stayed in Afghanistan." in client.get(
        noor.get_absolute_url()
    ).content.decode()


def test_alias_added_in_the_extra_form_makes_the_person_searchable_by_it(
    admin_client, seed_fixture
):
    noor = Person.objects.get(name="Noor Mohammad")
    data = change_form_data(admin_client.get(person_change_url(noor)))
    data["aliases-3-name"] = "Nur Muhammad"

    assert admin_client.post(person_change_url(noor), data).status_code == 302

    assert list(noor.aliases.values_list("name", flat=True))[-1] == "Nur Muhammad"
    assert names(admin_client.get(PERSON_LIST, {"q": "Muhammad"})) == ["Noor Mohammad"]


def test_duplicate_alias_is_refused(admin_client, seed_fixture):
    noor = Person.objects.get(name="Noor Mohammad")
    response = admin_client.get(person_change_url(noor))
    data = change_form_data(response)
    add_inline_form(response, data, "aliases", name="Noormomad")

    response = admin_client.post(person_change_url(noor), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for name" in response.content.decode()
    assert noor.aliases.count() == 3


def test_place_name_with_comma_is_refused(admin_client, seed_fixture):
    kabul = Place.objects.get(name="Kabul")
    data = change_form_data(admin_client.get(place_change_url(kabul)))
    assert data["parent"] == str(Place.objects.get(name="Afghanistan").pk)
    data["name"] = "Kabul, Afghanistan"

    response = admin_client.post(place_change_url(kabul), data)

    assert response.status_code == 200
    assert escape("A place name may not contain a comma.") in response.content.decode()
    kabul.refresh_from_db()
    assert kabul.name == "Kabul"


def test_place_cannot_lie_inside_itself(admin_client, seed_fixture):
    afghanistan = Place.objects.get(name="Afghanistan")
    data = change_form_data(admin_client.get(place_change_url(afghanistan)))
    data["parent"] = str(Place.objects.get(name="Kabul").pk)

    response = admin_client.post(place_change_url(afghanistan), data)

    assert response.status_code == 200
    assert "A place cannot lie inside itself." in response.content.decode()
    afghanistan.refresh_from_db()
    assert afghanistan.parent is None


def test_place_added_through_admin_gets_its_parent(admin_client):
    afghanistan = PlaceFactory(name="Afghanistan", kind=Place.Kind.COUNTRY)
    data = change_form_data(admin_client.get("/admin/people/place/add/"))
    assert data["kind"] == "other"
    data.update(name="Herat", slug="herat", kind="city", parent=str(afghanistan.pk))

    assert admin_client.post("/admin/people/place/add/", data).status_code == 302

    herat = Place.objects.get(slug="herat")
    assert (herat.name, herat.kind, herat.parent) == ("Herat", "city", afghanistan)


def test_alias_added_in_the_admin_finds_the_articles_that_use_it(admin_client, client):
    from articles.services import articles_import

    articles_import(sources=[("t.txt", "= Tatars in Finland =\n\nOld Noormomad lives here.\n".encode())])
    person = Person.objects.create(name="Noor Mohammad", slug="noor-mohammad")
    url = person_change_url(person)
    response = admin_client.get(url)
    data = change_form_data(response)
    add_inline_form(response, data, "aliases", name="Noormomad")

    assert admin_client.post(url, data).status_code == 302

    html = client.get("/people/noor-mohammad/").content.decode()
    assert '<a href="/wiki/tatars-in-finland/" dir="auto">Tatars in Finland</a>' in html
