"""Breadcrumbs (articles/templatetags/reading_layout.py): the host country
above a community's article, linked to its place page when the article has
one, and a place's parents above the place; each as a reader gets the page,
and fresh on the very next request after the admin renames or sets the host.
"""

from __future__ import annotations

import re

import pytest

from articles.models import Article
from articles.templatetags.reading_layout import Crumb, article_trail, split_lead
from tests.factories import ArticleFactory, PlaceFactory
from tests.test_cache import admin_save, next_page

pytestmark = pytest.mark.django_db


def breadcrumbs(html: str) -> str:
    """The breadcrumbs' HTML on a page ("" when it has none)."""
    found = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumbs">.*?</nav>', html, re.S)
    return found.group(0) if found else ""


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_article_names_its_host_country_linked_to_its_place_page(client):
    host = PlaceFactory(name="Afghanistan", slug="afghanistan", kind="country")
    article = ArticleFactory(title="Tatars in Afghanistan", lead="A lead.", host_country=host)

    assert breadcrumbs(page(client, article.get_absolute_url())) == (
        '<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>'
        '<li><a href="/places/afghanistan/">Afghanistan</a></li>'
        '<li aria-current="page">Tatars in Afghanistan</li></ol></nav>'
    )


def test_breadcrumbs_come_before_the_title(client):
    host = PlaceFactory(name="Finland", slug="finland", kind="country")
    article = ArticleFactory(title="Tatars in Finland", lead="A lead.", host_country=host)
    html = page(client, article.get_absolute_url())
    assert html.index('<nav class="breadcrumbs"') < html.index("<h1>")


def test_a_host_without_a_place_is_named_unlinked(client):
    article = ArticleFactory(title="Uzbeks in the Netherlands", lead="A lead.")
    assert article.host_country is None

    crumbs = breadcrumbs(page(client, article.get_absolute_url()))
    assert "<li>Netherlands</li>" in crumbs  # "the" dropped, as communities.py reads it
    assert "<a " not in crumbs


def test_a_title_that_names_no_community_has_no_breadcrumbs(client):
    article = ArticleFactory(title="Diaspora", lead="A lead.")
    assert breadcrumbs(page(client, article.get_absolute_url())) == ""


def test_names_in_other_scripts_and_markup_characters_are_escaped(client):
    kazakh = PlaceFactory(name="Қазақстан & <Co>", slug="qazaqstan", kind="country")
    article = ArticleFactory(title="Татары in Қазақстан & <Co>", slug="tatary", lead="Лид.",
                             host_country=kazakh)
    crumbs = breadcrumbs(page(client, article.get_absolute_url()))
    assert '<a href="/places/qazaqstan/">Қазақстан &amp; &lt;Co&gt;</a>' in crumbs
    assert '<li aria-current="page">Татары in Қазақстан &amp; &lt;Co&gt;</li>' in crumbs
    assert "<Co>" not in crumbs

    arabic = ArticleFactory(title="الأفغان in العراق", slug="afghans-in-iraq", lead="نص.")
    assert "<li>العراق</li>" in breadcrumbs(page(client, arabic.get_absolute_url()))


def test_the_trail_makes_no_query_for_a_page_loaded_for_rendering(django_assert_num_queries):
    host = PlaceFactory(name="Georgia", slug="georgia", kind="country")
    article = ArticleFactory(title="Greeks in Georgia", lead="A lead.", host_country=host)
    loaded = Article.objects.for_page().get(pk=article.pk)
    with django_assert_num_queries(0):
        assert article_trail(loaded) == [Crumb("Georgia", "/places/georgia/")]


def test_a_place_lists_its_parents_outermost_first(client):
    country = PlaceFactory(name="Afghanistan", slug="afghanistan", kind="country")
    province = PlaceFactory(name="Balkh Province", slug="balkh-province", kind="region",
                            parent=country)
    PlaceFactory(name="Mazar-i-Sharif", slug="mazar-i-sharif", parent=province)

    assert breadcrumbs(page(client, "/places/mazar-i-sharif/")) == (
        '<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>'
        '<li><a href="/places/afghanistan/">Afghanistan</a></li>'
        '<li><a href="/places/balkh-province/">Balkh Province</a></li>'
        '<li aria-current="page">Mazar-i-Sharif</li></ol></nav>'
    )
    # A country lies in nothing: no breadcrumbs.
    assert breadcrumbs(page(client, "/places/afghanistan/")) == ""


def test_renaming_the_host_in_the_admin_shows_on_the_next_request(admin_client, client):
    host = PlaceFactory(name="Kazakhstan", slug="kazakhstan", kind="country")
    article = ArticleFactory(title="Koreans in Kazakhstan", lead="A lead.", host_country=host)
    url = article.get_absolute_url()
    assert "Kazakhstan</a>" in breadcrumbs(page(client, url))
    page(client, url)  # stored and cached

    admin_save(admin_client, f"/admin/people/place/{host.pk}/change/", name="Qazaqstan")

    assert '<a href="/places/kazakhstan/">Qazaqstan</a>' in breadcrumbs(next_page(client, url))


def test_a_host_place_created_and_set_in_the_admin_links_on_the_next_request(
    admin_client, client
):
    article = ArticleFactory(title="Koreans in Uzbekistan", lead="A lead.")
    url = article.get_absolute_url()
    assert "<li>Uzbekistan</li>" in breadcrumbs(page(client, url))
    page(client, url)

    response = admin_client.post("/admin/people/place/add/", {
        "name": "Uzbekistan", "slug": "uzbekistan", "kind": "country", "demonym": "Uzbeks",
    })
    assert response.status_code == 302
    place = PlaceFactory._meta.model.objects.get(slug="uzbekistan")
    admin_save(admin_client, f"/admin/articles/article/{article.pk}/change/",
               host_country=str(place.pk))

    assert '<a href="/places/uzbekistan/">Uzbekistan</a>' in breadcrumbs(next_page(client, url))


# --- The lead around the infobox ---


def test_the_lead_is_cut_after_its_first_paragraph():
    parts = split_lead("<p>One <em>a</em>.</p>\n<p>Two.</p>\n")
    assert (str(parts.first), str(parts.rest)) == ("<p>One <em>a</em>.</p>", "<p>Two.</p>\n")


@pytest.mark.parametrize("html", ["<ul>\n<li>x</li>\n</ul>\n<p>Two.</p>", "<pre>a</pre>", ""])
def test_a_lead_that_does_not_open_with_a_paragraph_is_not_cut(html):
    parts = split_lead(html)
    assert (str(parts.first), str(parts.rest)) == ("", html)


def test_the_infobox_follows_the_first_paragraph_of_the_lead(client):
    article = ArticleFactory(title="Poles in Brazil", lead="First paragraph.\n\nSecond one.",
                             population="1500")
    html = page(client, article.get_absolute_url())
    lead = html[html.index('<div class="lead">'):]
    first, infobox, second = (lead.index(s) for s in
                              ("First paragraph.", '<aside class="infobox"', "Second one."))
    assert first < infobox < second


def test_a_table_in_a_section_scrolls_in_its_own_box(client):
    article = ArticleFactory(title="Czechs in Chile", lead="A lead.")
    article.sections.create(position=0, heading="Numbers", level=2,
                            body="| Year | People |\n|---|---|\n| 1900 | 12 |\n")
    from articles.services import article_refresh

    article_refresh(article=article)
    html = page(client, article.get_absolute_url())
    assert '<div class="table-scroll" tabindex="0"><table>\n<thead>' in html
    assert "<td>12</td>" in html and "</table></div>" in html
