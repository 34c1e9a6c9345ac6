"""sitemap.xml: an index of sections that list every public page."""

import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locs(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return root, [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def _all_urls(client) -> dict[str, str | None]:
    """{page URL: lastmod} over every section the index names."""
    root, sections = _locs(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    urls = {}
    for section in sections:
        root, _ = _locs(client, section)
        for node in root.iterfind("sm:url", NS):
            lastmod = node.find("sm:lastmod", NS)
            urls[node.find("sm:loc", NS).text] = None if lastmod is None else lastmod.text
    return urls


def test_sitemap_index_names_each_section_by_absolute_url(client, seed_article):
    _, sections = _locs(client, "/sitemap.xml")
    assert sorted(sections) == sorted(
        f"http://testserver/sitemap-{name}.xml" for name in ("pages", "articles", "people", "places")
    )


def test_sitemap_lists_article_person_place_and_lists_but_not_drafts(
    client, seed_article, draft_article
):
    urls = _all_urls(client)

    assert "http://testserver/wiki/russians-in-afghanistan/" in urls
    assert "http://testserver/people/noor-mohammad/" in urls
    assert "http://testserver/places/kabul/" in urls
    assert "http://testserver/places/balkh-province/" in urls
    assert "http://testserver/" in urls
    assert "http://testserver/articles/" in urls
    assert not any("secret-drafts" in url for url in urls)


def test_sitemap_article_lastmod_is_its_updated_date(client, seed_article):
    urls = _all_urls(client)
    assert urls["http://testserver/wiki/russians-in-afghanistan/"] == (
        seed_article.updated.date().isoformat()
    )


def test_unicode_slug_appears_in_sitemap_percent_encoded_and_resolves(client, db):
    article = ArticleFactory(title="Русские в Афганистане", slug="русские-в-афганистане")
    urls = _all_urls(client)
    # The English address; the others are the same under /ru/, /fa-af/, /ps/.
    [url] = [u for u in urls if u.startswith("http://testserver/wiki/")]
    assert url.isascii()
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert unquote(url) == "http://testserver/wiki/русские-в-афганистане/"
    assert url == f"http://testserver{article.get_absolute_url()}"


def test_sitemap_query_count_does_not_grow_with_articles(client, db, django_assert_num_queries):
    for n in range(30):
        ArticleFactory()
    # The articles, once: listed in each interface language, they are read
    # as a list (no count first); their translations' query is made only
    # for articles in a translation group (tests/articles/test_translations.py).
    with django_assert_num_queries(1):
        _, locs = _locs(client, "/sitemap-articles.xml")
    assert len(locs) == 30 * 4
    # latest change, then a count per section of the database
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /ru/admin/\nDisallow: /fa-af/admin/\n"
        "Disallow: /ps/admin/\nSitemap: http://testserver/sitemap.xml\n"
    )
