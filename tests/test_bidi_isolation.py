"""English content (a person's description, a title, a place's name) on a
right-to-left page is isolated (dir="auto" or <bdi>), so that the Dari
interface's direction does not reorder its words and punctuation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import PersonFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def get(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_persons_english_description_reads_left_to_right_on_the_dari_page():
    person = PersonFactory(name="Noor Mohammad", slug="noor-mohammad",
                           description="Soviet soldier (1962–2019) who stayed.")

    html = get("/fa-af" + person.get_absolute_url())

    assert '<html lang="fa-AF" dir="rtl">' in html
    assert '<p class="description" dir="auto">Soviet soldier (1962–2019) who stayed.</p>' in html


def test_the_searchs_people_and_places_lines_isolate_their_names(client):
    PersonFactory(name="Noor Mohammad", slug="noor-mohammad", description="Soviet soldier.")
    parent = PlaceFactory(name="Balkh Province", slug="balkh-province")
    PlaceFactory(name="Mazar-i-Sharif", slug="mazar-i-sharif", parent=parent)

    people = get("/fa-af/search/?q=Noor")
    places = get("/fa-af/search/?q=Mazar")

    person = re.search(r'<section class="search-people".*?</section>', people, re.S).group(0)
    assert '<a href="/fa-af/people/noor-mohammad/" dir="auto">Noor Mohammad</a>' in person
    assert '<span class="description" dir="auto">Soviet soldier.</span>' in person
    place = re.search(r'<section class="search-places".*?</section>', places, re.S).group(0)
    assert re.search(r'<a href="/fa-af/places/mazar-i-sharif/" dir="auto">Mazar-i-Sharif</a>'
                     r'[^<]*<bdi>Balkh Province</bdi>', place)
