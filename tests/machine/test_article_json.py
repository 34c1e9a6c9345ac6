"""The read-only JSON view of a published article."""

import json

import pytest
from django.urls import reverse

from articles.models import Article, FormerName, Source
from articles.services import articles_import
from tests.factories import ArticleFactory, SectionFactory, SeeAlsoFactory

pytestmark = pytest.mark.django_db

URL = "/api/articles/russians-in-afghanistan/"


def _get(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_json_url_is_named_article_json():
    assert reverse("article-json", kwargs={"slug": "russians-in-afghanistan"}) == URL


def test_json_has_the_seed_article_and_its_infobox(client, seed_article):
    data = _get(client)

    assert data["title"] == "Russians in Afghanistan"
    assert data["slug"] == "russians-in-afghanistan"
    assert data["url"] == "http://testserver/wiki/russians-in-afghanistan/"
    assert data["status"] == "published"
    assert data["lead"] == seed_article.lead
    assert data["lead"].startswith("There are currently estimated to be 1,500 Russians")
    assert data["lead_html"] == seed_article.lead_html
    assert data["lead_html"].startswith("<p>There are currently")
    infobox = data["infobox"]
    assert infobox["group"] == "Russians in Afghanistan"
    assert infobox["population"] == {"count": 1500, "note": "2009 est.", "text": "1,500 (2009 est.)"}
    assert [place["name"] for place in infobox["places"]] == ["Balkh Province", "Kabul"]
    assert infobox["places"][1]["url"] == "http://testserver/places/kabul/"
    assert infobox["languages"] == ["Russian", "Pashto", "Dari"]
    assert infobox["religions"] == ["Russian Orthodoxy", "Sunni Islam"]
    assert infobox["extra"] == []
    assert data["sections"] == []
    assert data["tags"] == ["Afghanistan", "Russia"]
    assert data["population_history"] == [
        {"year": 1979, "period": "", "count": 15000, "note": "est.", "low": None, "high": None,
         "method": "", "source": None},
        {"year": 2009, "period": "", "count": 1500, "note": "", "low": None, "high": None,
         "method": "", "source": None},
    ]
    assert data["updated"].startswith(seed_article.updated.isoformat()[:19])
    assert data["references"] == [] and data["citations"] == []


def test_json_population_history_has_each_figures_range_method_and_source(client, seed_article):
    source = Source.objects.create(title="Soviet census", slug="soviet-census", identity="t:soviet")
    seed_article.population_figures.filter(year=1979).update(
        low=12000, high=18000, method="estimate", source=source, locator="p. 7"
    )

    data = _get(client)

    assert data["population_history"][0] == {
        "year": 1979, "period": "", "count": 15000, "note": "est.", "low": 12000, "high": 18000,
        "method": "estimate",
        "source": {"title": "Soviet census", "url": "http://testserver/sources/soviet-census/",
                   "locator": "p. 7"},
    }


def test_json_see_also_has_four_entries_with_null_url_for_missing_articles(client, seed_article):
    pakistan = ArticleFactory(title="Russians in Pakistan", slug="russians-in-pakistan")
    from articles.services import see_also_link

    see_also_link(article=pakistan)

    assert _get(client)["see_also"] == [
        {"title": "Afghans in Russia", "url": None},
        {"title": "Armenians in Afghanistan", "url": None},
        {"title": "Demographics of Afghanistan", "url": None},
        {"title": "Russians in Pakistan", "url": "http://testserver/wiki/russians-in-pakistan/"},
    ]


def test_json_lists_people_and_places_mentioned(client, seed_article):
    data = _get(client)
    assert {"name": "Noor Mohammad", "url": "http://testserver/people/noor-mohammad/"} in data["people"]
    names = [place["name"] for place in data["places"]]
    assert "Chaghcharan" in names
    assert names == sorted(names)


def test_json_sections_have_heading_level_body_html_and_the_page_anchor(client):
    article = ArticleFactory(title="Poles in Z", slug="poles-in-z")
    SectionFactory(article=article, heading="History", level=2, body="Old *times*.",
                   body_html="<p>Old <em>times</em>.</p>", position=0)
    SectionFactory(article=article, heading="History", level=3, body="", body_html="", position=1)
    article.extra_rows.create(key="Native name", value="Polacy", position=0)

    data = _get(client, "/api/articles/poles-in-z/")

    html = article.sections.get(level=2).body_html
    assert "<em>times</em>" in html
    assert data["sections"] == [
        {"heading": "History", "level": 2, "body": "Old *times*.", "html": html,
         "anchor": "history"},
        {"heading": "History", "level": 3, "body": "", "html": "", "anchor": "history-2"},
    ]
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'id="history"' in page and 'id="history-2"' in page
    assert data["infobox"]["extra"] == [{"key": "Native name", "value": "Polacy", "position": 0}]
    assert data["infobox"]["population"] is None


def test_json_query_count_is_the_same_for_one_section_and_forty(client, django_assert_num_queries):
    small = ArticleFactory(title="Small in A", slug="small-in-a")
    SectionFactory(article=small, position=0)
    big = ArticleFactory(title="Big in B", slug="big-in-b")
    for n in range(40):
        SectionFactory(article=big, position=n)
        SeeAlsoFactory(article=big, position=n, target_title="Small in A", target=small)
        big.extra_rows.create(key=f"Key {n}", value="v", position=n)
        big.population_figures.create(year=1900 + n, count=n + 1)
        big.related_rows.create(title=f"Group {n}", position=n)
    big.tags.add(*[f"tag {n}" for n in range(10)])

    refs = "".join(f"- [^r{n}]\n  - Title: Source {n}\n  - Author: A\n  - Author: B\n" for n in range(40))
    uses = " ".join(f"x[^r{n}][^r{n}|p. {n}]" for n in range(40))
    articles_import(sources=[("c.txt", f"= Cited in C =\n\n{uses}\n\n==References==\n{refs}".encode())])

    # article, sections, see also (with targets), extra rows, tags, people,
    # places mentioned, population history, references (with their
    # sources), citations (with their references' keys), and the infobox's
    # lists (places, languages, religions, related groups with their
    # articles' slugs) in one
    with django_assert_num_queries(12):
        assert len(_get(client, "/api/articles/small-in-a/")["sections"]) == 1
    with django_assert_num_queries(12):
        cited = _get(client, "/api/articles/cited-in-c/")
    assert len(cited["references"]) == 40 and len(cited["citations"]) == 80
    with django_assert_num_queries(12):
        data = _get(client, "/api/articles/big-in-b/")
    assert len(data["sections"]) == 40 and len(data["see_also"]) == 40
    assert data["see_also"][0] == {"title": "Small in A", "url": "http://testserver/wiki/small-in-a/"}


def test_json_keeps_unicode_and_hostile_text_as_data(client, hostile_article):
    response = client.get("/api/articles/script-in-x/")
    data = json.loads(response.content)
    assert data["title"] == "<script>alert(1)</script> in X"
    assert response["Content-Type"].startswith("application/json")  # never rendered as HTML

    ArticleFactory(title="Русские в Афганистане", slug="русские-в-афганистане")
    response = client.get(reverse("article-json", kwargs={"slug": "русские-в-афганистане"}))
    assert "Русские в Афганистане".encode() in response.content  # not \\u-escaped


def test_json_of_a_draft_or_unknown_slug_is_a_404(client, draft_article):
    for url in ["/api/articles/secret-drafts-in-nowhere/", "/api/articles/no-such-article/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert json.loads(response.content) == {"error": "No published article at this address."}
        assert b"Secret" not in response.content


def test_json_of_a_former_slug_redirects_to_the_current_one(client, seed_article):
    FormerName.objects.create(article=seed_article, title="Old title", slug="old-slug")
    response = client.get("/api/articles/old-slug/")
    assert response.status_code == 301
    assert response["Location"] == URL


def test_json_of_a_former_slug_of_a_draft_is_a_404(client, draft_article):
    FormerName.objects.create(article=draft_article, title="Old title", slug="old-draft")
    assert client.get("/api/articles/old-draft/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_json_refuses_methods_other_than_get_and_head(method, seed_article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # 405, not a CSRF 403
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert Article.objects.filter(slug="russians-in-afghanistan").exists()


def test_json_answers_head(client, seed_article):
    response = client.head(URL)
    assert response.status_code == 200
    assert response.content == b""


EXAMPLE = """\
= Russians in Tajikistan =

Infobox
- Group: Russians in Tajikistan
- Population: 34,000 (2010 census) [^census2010]

Russians live mostly in Dushanbe.[^census2010] The first settlers came.[^smith|p. 42][^?]

==History==
Text.[^smith|pp. 50–52][^rferl]

==References==
- [^census2010]
  - Title: Population census of the Republic of Tajikistan 2010
  - Publisher: Agency on Statistics
  - Date: 2010
  - Url: https://www.stat.tj/en/census
  - Accessed: 2023-05-01
- [^smith]
  - Type: book
  - Title: The Railway and the Steppe
  - Author: John Smith
  - Author: Jane Doe
  - Publisher: Example Press
  - Date: 1998
  - Isbn: 978-0-00-000000-2
  - Quote: They came.
  - Edition: 2nd
- [^rferl]
  - Type: news
  - Title: Tajikistan's Russians
  - Work: Radio Free Europe/Radio Liberty
  - Date: 2019-06-12
  - Url: https://www.rferl.org/a/example/1.html
  - Archive-url: https://web.archive.org/web/2020/https://www.rferl.org/a/example/1.html
  - Archive-date: 2020-01-01
  - Language: ru
- [^general]
  - Type: journal
  - Title: Migration from Central Asia
  - Work: Journal of Examples
  - Doi: 10.1000/xyz
"""


def test_json_references_are_csl_json_and_citations_every_use(client, db):
    articles_import(sources=[("tj.txt", EXAMPLE.encode())])
    data = _get(client, "/api/articles/russians-in-tajikistan/")
    page = {s.title: f"http://testserver{s.get_absolute_url()}" for s in Source.objects.all()}
    assert data["references"] == [
        {
            "id": "census2010",
            "type": "webpage",
            "title": "Population census of the Republic of Tajikistan 2010",
            "publisher": "Agency on Statistics",
            "issued": {"date-parts": [[2010]]},
            "URL": "https://www.stat.tj/en/census",
            "accessed": {"date-parts": [[2023, 5, 1]]},
            "custom": {"source_url": page["Population census of the Republic of Tajikistan 2010"]},
        },
        {
            "id": "smith",
            "type": "book",
            "title": "The Railway and the Steppe",
            "author": [{"literal": "John Smith"}, {"literal": "Jane Doe"}],
            "publisher": "Example Press",
            "issued": {"date-parts": [[1998]]},
            "ISBN": "978-0-00-000000-2",
            "note": "They came.",
            "custom": {"Edition": "2nd", "source_url": page["The Railway and the Steppe"]},
        },
        {
            "id": "rferl",
            "type": "article-newspaper",
            "title": "Tajikistan's Russians",
            "container-title": "Radio Free Europe/Radio Liberty",
            "issued": {"date-parts": [[2019, 6, 12]]},
            "URL": "https://www.rferl.org/a/example/1.html",
            "language": "ru",
            "custom": {
                "archive-url": "https://web.archive.org/web/2020/https://www.rferl.org/a/example/1.html",
                "archive-date": "2020-01-01",
                "source_url": page["Tajikistan's Russians"],
            },
        },
        {
            "id": "general",
            "type": "article-journal",
            "title": "Migration from Central Asia",
            "container-title": "Journal of Examples",
            "DOI": "10.1000/xyz",
            "custom": {"source_url": page["Migration from Central Asia"]},
        },
    ]
    assert data["citations"] == [
        {"key": "census2010", "locator": "", "place": "infobox:Population", "number": 1},
        {"key": "census2010", "locator": "", "place": "lead", "number": 1},
        {"key": "smith", "locator": "p. 42", "place": "lead", "number": 2},
        {"key": "?", "locator": "", "place": "lead", "number": None},
        {"key": "smith", "locator": "pp. 50–52", "place": "section:0", "number": 2},
        {"key": "rferl", "locator": "", "place": "section:0", "number": 3},
    ]
    # The numbers are the page's.
    html = client.get("/wiki/russians-in-tajikistan/").content.decode()
    assert '<li id="cite-note-rferl">' in html and 'href="#cite-note-rferl" rel="noopener noreferrer">[3]<' in html
