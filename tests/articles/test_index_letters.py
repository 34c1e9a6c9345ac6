"""The A–Z index links only the letters that hold a published article; the
others are plain text (articles/letters.py), and an edit that empties or
fills a letter shows on every index page's very next request
(dependencies.LETTERS)."""

from __future__ import annotations

import re

import pytest

from articles.dependencies import LETTERS, page_keys
from articles.letters import letters_with_articles
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory
from tests.test_cache import admin_save, cached_page, next_page

pytestmark = pytest.mark.django_db


def nav(html: str) -> tuple[list[str], list[str]]:
    """(the letters linked, the letters shown as text) of the letter links."""
    block = html.split('aria-label="By first letter">', 1)[1].split("</nav>", 1)[0]
    linked = re.findall(r'<a href="\?letter=[^"]+"[^>]*>([^<]+)</a>', block)
    text = re.findall(r'<span class="letter-empty"[^>]*>([^<]+)</span>', block)
    return linked, text


@pytest.fixture
def site(db):
    return (
        ArticleFactory(title="Kazakhs in Russia"),
        ArticleFactory(title="Poles in Brazil"),
        ArticleFactory(title="1990s émigrés in Berlin"),
    )


def test_only_letters_with_articles_are_links(client, site):
    linked, text = nav(client.get("/articles/").content.decode())
    assert linked == ["K", "P", "#"]
    assert "A" in text and "Z" in text and "K" not in text and len(text) == 24
    assert 'href="/articles/"' in client.get("/articles/?letter=Q").content.decode()  # All


def test_an_empty_letters_page_shows_it_as_current_text(client, site):
    html = client.get("/articles/?letter=Q").content.decode()
    assert '<span class="letter-empty" aria-current="page">Q</span>' in html


def test_drafts_do_not_make_a_letter_a_link(client, site):
    ArticleFactory(title="Wombats in Austria", status="draft")
    assert "W" not in nav(client.get("/articles/").content.decode())[0]
    assert letters_with_articles() == {"K", "P", "#"}


def test_every_index_page_carries_the_letters_key():
    for query in ({}, {"letter": "k"}, {"letter": "#"}, {"letter": "Ж"}):
        assert page_keys("/articles/", query)[-1] == LETTERS


def test_a_rename_into_an_empty_letter_refreshes_every_index_page(
    admin_client, client, site, django_assert_num_queries
):
    kazakhs, _poles, _ = site
    cached_page(client, "/articles/?letter=P", django_assert_num_queries)
    admin_save(admin_client, f"/admin/articles/article/{kazakhs.pk}/change/",
               title="Tatars in Russia", slug="tatars-in-russia")
    linked, text = nav(next_page(client, "/articles/?letter=P"))
    assert "T" in linked and "K" in text


def test_an_edit_within_a_letter_leaves_the_other_letters_pages_cached(
    admin_client, client, site, django_assert_num_queries
):
    kazakhs, _poles, _ = site
    cached_page(client, "/articles/?letter=P", django_assert_num_queries)
    admin_save(admin_client, f"/admin/articles/article/{kazakhs.pk}/change/",
               title="Kazakhs in Russia and Siberia")
    with django_assert_num_queries(0):
        client.get("/articles/?letter=P")
    assert "Kazakhs in Russia and Siberia" in next_page(client, "/articles/?letter=K")
