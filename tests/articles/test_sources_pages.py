"""Issue 12, the sources' public pages: /sources/ (A–Z, paginated) and
/sources/<slug>/ (the source and every published article citing it),
page-cached like the other public pages and brought up to date by any
write to a source; and search finding articles by the titles of their
sources."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article, ArticleReference, Source
from articles.services import articles_import
from articles.views import PAGE_SIZE
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SHARED = """\
- [^smith]
  - Type: book
  - Title: The Railway and the Steppe
  - Author: John Smith
  - Publisher: Example Press
  - Date: 1998
  - Isbn: 978-0-00-000000-2
  - Doi: 10.1000/railway
"""


def document(title: str, *, extra: str = "") -> str:
    return (
        f"= {title} =\n\nThe railway brought them.[^smith|p. 4]\n\n==References==\n{SHARED}{extra}"
    )


@pytest.fixture
def two_articles(db) -> list[Article]:
    results = articles_import(sources=[
        ("tj.txt", document("Russians in Tajikistan").encode()),
        ("uz.txt", document(
            "Russians in Uzbekistan",
            extra="- [^rferl]\n  - Title: Uzbekistan's Russians\n  - Url: https://www.rferl.org/a/2\n",
        ).encode()),
    ])
    return [result.article for result in results]


def test_url_names():
    assert reverse("source-index") == "/sources/"
    assert reverse("source-detail", kwargs={"slug": "the-railway"}) == "/sources/the-railway/"


def test_a_source_shared_by_two_articles_is_one_page_listing_both(client, two_articles):
    source = Source.objects.get(title="The Railway and the Steppe")
    assert ArticleReference.objects.filter(source=source).count() == 2
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert "<h1>The Railway and the Steppe</h1>" in html
    assert "Type Book Author John Smith Publisher Example Press Date 1998" in text
    assert "ISBN 978-0-00-000000-2 DOI 10.1000/railway" in text
    assert ('<a class="external" href="https://doi.org/10.1000/railway" '
            'rel="nofollow noopener noreferrer">10.1000/railway</a>') in html
    cited_by = html[html.index('id="cited-by"'):]
    assert '<a href="/wiki/russians-in-tajikistan/" dir="auto">Russians in Tajikistan</a>' in cited_by
    assert '<a href="/wiki/russians-in-uzbekistan/" dir="auto">Russians in Uzbekistan</a>' in cited_by
    # The article's entry links its ISBN to this page.
    article = client.get("/wiki/russians-in-tajikistan/").content.decode()
    assert f'<a href="{source.get_absolute_url()}">978-0-00-000000-2</a>' in article


def test_the_index_lists_each_cited_source_once_a_to_z(client, two_articles):
    html = client.get("/sources/").content.decode()
    listing = html[html.index('<ul class="source-list">'):html.index("</ul>", html.index('<ul class="source-list">'))]
    assert visible_text(listing) == (
        "The Railway and the Steppe Example Press, 1998 Uzbekistan's Russians"
    )
    assert listing.count("/sources/the-railway-and-the-steppe/") == 1
    by_letter = client.get("/sources/?letter=U").content.decode()
    assert "Uzbekistan&#x27;s Russians" in by_letter and "The Railway" not in by_letter
    assert '<a href="?letter=U" aria-current="page">U</a>' in by_letter
    assert "None yet." in client.get("/sources/?letter=Q").content.decode()


def test_sources_only_drafts_cite_are_not_public(client, two_articles):
    Article.objects.filter(title="Russians in Uzbekistan").update(status=Article.Status.DRAFT)
    rferl = Source.objects.get(title="Uzbekistan's Russians")
    assert client.get(rferl.get_absolute_url()).status_code == 404
    assert "Uzbekistan" not in client.get("/sources/").content.decode()
    # The shared one is public still, with its published article only.
    html = client.get("/sources/the-railway-and-the-steppe/").content.decode()
    assert "Russians in Tajikistan" in html and "Russians in Uzbekistan" not in html
    assert client.get("/sources/no-such-source/").status_code == 404


def test_the_index_is_paginated(client, db):
    entries = "".join(
        f"- [^s{n}]\n  - Title: Source {n:03}\n  - Url: https://example.org/{n}\n"
        for n in range(PAGE_SIZE + 1)
    )
    text = "= Poles in A =\n\n" + " ".join(f"x[^s{n}]" for n in range(PAGE_SIZE + 1))
    articles_import(sources=[("a.txt", f"{text}\n\n==References==\n{entries}".encode())])
    first = client.get("/sources/").content.decode()
    second = client.get("/sources/?page=2").content.decode()
    assert "Source 000" in first and f"Source {PAGE_SIZE - 1:03}" in first
    assert f"Source {PAGE_SIZE:03}" not in first and f"Source {PAGE_SIZE:03}" in second
    assert "Page 1 of 2" in first and 'rel="next"' in first


def test_source_pages_make_a_fixed_number_of_queries(client, two_articles, django_assert_num_queries):
    with django_assert_num_queries(2):  # the count, the page of sources
        client.get("/sources/")
    # The source, the count and the page of the articles citing it.
    with django_assert_num_queries(3):
        client.get("/sources/the-railway-and-the-steppe/")


def test_source_pages_are_cached_and_follow_a_change_of_the_source(
    client, two_articles, django_assert_num_queries
):
    url = "/sources/the-railway-and-the-steppe/"
    for page in (url, "/sources/"):
        first = client.get(page)
        with django_assert_num_queries(0):
            second = client.get(page)
        assert second.content == first.content
    # Any write to the sources table moves the page cache on.
    Source.objects.filter(title="The Railway and the Steppe").update(publisher="Other Press")
    assert "Other Press" in client.get(url).content.decode()
    assert "Other Press" in client.get("/wiki/russians-in-tajikistan/").content.decode()


def test_the_source_page_links_only_web_addresses(client, two_articles):
    # Stored past the form's checks (the parser and the admin refuse them).
    Source.objects.filter(title="Uzbekistan's Russians").update(
        url="javascript:alert(1)", archive_url="data:text/html,x", doi="javascript:alert(2)"
    )
    html = client.get("/sources/uzbekistans-russians/").content.decode()
    assert "javascript:alert(1)" in html  # shown as text ...
    assert 'href="javascript' not in html and 'href="data' not in html  # ... never a link
    article = client.get("/wiki/russians-in-uzbekistan/").content.decode()
    assert 'href="javascript' not in article and 'href="data' not in article


def test_search_finds_an_article_by_the_title_of_a_source_it_cites(client, two_articles):
    html = client.get("/search/", {"q": "Steppe"}).content.decode()
    results = html[html.index("<main"):]
    assert "Russians in Tajikistan" in results and "Russians in Uzbekistan" in results
