"""Person and Place pages."""

import pytest

from articles.models import Article
from tests.factories import AliasFactory, ArticleFactory, PersonFactory, PlaceFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_person_page_shows_names_places_and_the_articles_that_mention_them(client, seed_fixture):
    response = client.get("/people/noor-mohammad/")
    html = response.content.decode()
    text = visible_text(html)

    assert response.status_code == 200
    assert "<h1>Noor Mohammad</h1>" in html
    assert "Also known as Sergei Yurevich Krasnoperov Sergei Kransnoperov Noormomad" in text
    assert '<a href="/places/chaghcharan/">Chaghcharan</a>' in html
    assert "Articles that mention Noor Mohammad" in text
    assert '<a href="/wiki/russians-in-afghanistan/" dir="auto">Russians in Afghanistan</a>' in html


def test_person_page_hides_draft_articles(client):
    PersonFactory(name="Jane Roe", slug="jane-roe")
    ArticleFactory(title="Draft in X", status=Article.Status.DRAFT, lead="Jane Roe lived here.")
    ArticleFactory(title="Public in Y", lead="Jane Roe lived there too.")

    text = visible_text(client.get("/people/jane-roe/").content.decode())

    assert "Public in Y" in text
    assert "Draft in X" not in text


def test_place_page_shows_parent_children_articles_and_people(client, seed_fixture):
    afghanistan = client.get("/places/afghanistan/").content.decode()
    balkh = client.get("/places/balkh-province/").content.decode()

    assert "<h1>Afghanistan</h1>" in afghanistan
    assert '<a href="/places/balkh-province/">Balkh Province</a>' in afghanistan
    assert '<a href="/places/kabul/">Kabul</a>' in afghanistan
    assert '<a href="/people/noor-mohammad/">Noor Mohammad</a>' in afghanistan
    assert "Province or region in Afghanistan" in visible_text(balkh)
    assert "Communities living here Russians in Afghanistan" in visible_text(balkh)
    assert '<a href="/wiki/russians-in-afghanistan/" dir="auto">Russians in Afghanistan</a>' in afghanistan


def test_place_page_lists_all_ancestors(client):
    country = PlaceFactory(name="Afghanistan", kind="country")
    province = PlaceFactory(name="Ghor Province", kind="region", parent=country)
    PlaceFactory(name="Chaghcharan", parent=province)

    text = visible_text(client.get("/places/chaghcharan/").content.decode())

    assert "City or town in Ghor Province, Afghanistan" in text


def test_unknown_person_and_place_are_404(client):
    assert client.get("/people/nobody/").status_code == 404
    assert client.get("/places/nowhere/").status_code == 404


def test_names_are_escaped_on_person_pages(client):
    person = PersonFactory(name="<script>x()</script>", slug="hostile")
    AliasFactory(person=person, name='"><img src=x onerror=y()>')

    html = client.get("/people/hostile/").content.decode()

    assert "<script>x()" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
