"""What links here (/wiki/<slug>/links/): the published articles linking to
an article by a [[link]], See also or the infobox's Related, as MediaWiki's
Special:WhatLinksHere; and the page information block at the foot of the
article (last edited, revisions, sources, other languages), part of the page
stored when written, fresh on the very next request after an admin's save."""

from __future__ import annotations

import re

import pytest
from reversion.models import Version

from articles.dependencies import ALL, RECENT, article_key, page_keys
from articles.models import Article, InterlanguageLink, RelatedGroup
from articles.services import article_refresh
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.factories import ArticleFactory, SeeAlsoFactory
from tests.html import visible_text
from tests.test_cache import admin_save, cached_page, next_page

pytestmark = pytest.mark.django_db

URL = "/wiki/kazakhs-in-russia/links/"


def listed(html: str) -> list[str]:
    body = html.split("<h1>What links here</h1>")[1].split("</main>")[0]
    return [visible_text(li) for li in re.findall(r"<li>(.*?)</li>", body, re.S)]


@pytest.fixture
def site(db):
    target = ArticleFactory(title="Kazakhs in Russia", slug="kazakhs-in-russia", lead="About.")
    ArticleFactory(title="Uzbeks in Georgia",
                   lead="See [[Kazakhs in Russia]] and [[Kazakhs in Russia|them]].")
    SeeAlsoFactory(article=ArticleFactory(title="Tatars in Russia", lead="Tatars."),
                   target_title="Kazakhs in Russia")
    both = ArticleFactory(title="Bashkirs in Russia", lead="Like [[Kazakhs in Russia]].")
    RelatedGroup.objects.create(article=both, title="Kazakhs in Russia", position=0)
    ArticleFactory(title="Draft in Russia", lead="[[Kazakhs in Russia]]",
                   status=Article.Status.DRAFT)
    ArticleFactory(title="Poles in Brazil", lead="Nothing to do with them.")
    ArticleFactory(title="Self in Russia", lead="Nothing.")
    return target


def test_every_published_article_linking_here_is_listed_with_how(client, site):
    html = client.get(URL).content.decode()
    assert listed(html) == [
        "Bashkirs in Russia (link, Related)",
        "Tatars in Russia (See also)",
        "Uzbeks in Georgia (link)",
    ]
    assert '<a href="/wiki/kazakhs-in-russia/">Kazakhs in Russia</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_links_to_a_former_title_still_count_after_a_rename(admin_client, client, site):
    admin_save(admin_client, f"/admin/articles/article/{site.pk}/change/",
               title="Kazakh community in Russia")
    site.refresh_from_db()
    assert "Uzbeks in Georgia (link)" in listed(client.get(f"{site.get_absolute_url()}links/")
                                                 .content.decode())


def test_an_article_with_no_links_here_says_so(client, site):
    html = client.get("/wiki/poles-in-brazil/links/").content.decode()
    assert "No article links here yet." in html


def test_a_missing_or_draft_article_has_no_links_page(client, site):
    assert client.get("/wiki/no-such-article/links/").status_code == 404
    assert client.get("/wiki/draft-in-russia/links/").status_code == 404


def test_the_links_page_is_four_queries_however_many_link(client, site, django_assert_num_queries):
    # The article, its former titles, the link rows (one UNION), the linking articles.
    with django_assert_num_queries(4):
        client.get(URL)
    for n in range(20):
        ArticleFactory(title=f"Group{n} in Russia", lead="[[Kazakhs in Russia]]")
    with django_assert_num_queries(4):
        assert len(listed(client.get(URL + "?page=1").content.decode())) == 23


def test_the_links_page_has_its_keys():
    assert page_keys(URL) == [ALL, RECENT, article_key("kazakhs-in-russia")]


def test_a_new_link_in_the_admin_is_listed_on_the_next_request(
    admin_client, client, site, django_assert_num_queries
):
    cached_page(client, URL, django_assert_num_queries)
    poles = Article.objects.get(title="Poles in Brazil")
    admin_save(admin_client, f"/admin/articles/article/{poles.pk}/change/",
               lead="Now they meet the [[Kazakhs in Russia]].")
    assert "Poles in Brazil (link)" in listed(next_page(client, URL))


# Page information ---------------------------------------------------------------


def info(html: str) -> dict[str, str]:
    block = html.split('<section class="page-info" aria-label="Page information">')[1]
    block = block.split("</section>")[0]
    return {visible_text(dt): visible_text(dd)
            for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)}


def test_the_article_page_ends_with_its_page_information(client, seed_fixture):
    InterlanguageLink.objects.create(article=seed_fixture, language="ru",
                                     title="Русские в Афганистане")
    article_refresh(article=seed_fixture)
    html = client.get("/wiki/russians-in-afghanistan/").content.decode()
    seed_fixture.refresh_from_db()
    revisions = Version.objects.get_for_object(seed_fixture).count()
    assert info(html) == {
        "Last edited": seed_fixture.updated.strftime("%-d %B %Y, %H:%M") + " UTC",
        "Revisions": str(revisions),
        "Sources": str(seed_fixture.references.count()),
        "Other languages": "1: русский",
    }
    assert '<span lang="ru">русский</span>' in html
    assert '<a href="/wiki/russians-in-afghanistan/links/">What links here</a>' in html


def test_an_admin_save_shows_one_more_revision_on_the_next_request(
    admin_client, client, seed_fixture, django_assert_num_queries
):
    url = "/wiki/russians-in-afghanistan/"
    before = int(info(cached_page(client, url, django_assert_num_queries))["Revisions"])
    admin_save(admin_client, f"/admin/articles/article/{seed_fixture.pk}/change/",
               lead=seed_fixture.lead + "\n\nOne more paragraph.")
    page = next_page(client, url)
    assert info(page)["Revisions"] == str(before + 1)
    assert info(page)["Revisions"] == str(Version.objects.get_for_object(seed_fixture).count())

