"""Sources and citations in the admin (issue 12), through the admin's own
forms: the sources admin, an article's references and infobox citations,
the check of the form's markers against its references, verifiability in
the article list, and the articles that most need sources."""

import re
from html import unescape

import pytest
from django.utils.html import escape
from reversion.models import Version

from articles import revision_diff
from articles.models import Article, ArticleReference, Citation, PopulationFigure, Source
from articles.services import article_export, article_refresh, articles_import
from articles.sources import source_identity
from tests.admin_forms import add_inline_form, change_form_data, inline_forms
from tests.examples import SOURCES_EXAMPLE
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SOURCE_ADD_URL = "/admin/articles/source/add/"
SOURCES_URL = "/admin/articles/source/"
CHANGELIST_URL = "/admin/articles/article/"
NEEDS_SOURCES_URL = "/admin/articles/article/needs-sources/"

# The example of issue 12 without its See also and its news article.
TAJIKISTAN = (
    SOURCES_EXAMPLE.replace("Text.[^smith|pp. 50–52][^rferl]", "Text.[^smith|pp. 50–52]")
    .replace("==See also==\n- Russians in Uzbekistan\n\n", "")
    .split("- [^rferl]")[0]
)


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def source_change_url(source: Source) -> str:
    return f"/admin/articles/source/{source.pk}/change/"


def open_form(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response, change_form_data(response)


def imported(text: str = TAJIKISTAN, name: str = "tajikistan.txt") -> Article:
    articles_import(sources=[(name, text.encode())])
    title = text.split("\n", 1)[0].strip("= ")
    return Article.objects.get(title=title)


def make_source(**fields) -> Source:
    source = Source(**{"title": "A source", **fields})
    source.identity = source_identity(**{
        name: getattr(source, name)
        for name in ("doi", "isbn", "url", "title", "work", "publisher", "date")
    })
    source.slug = source.slug or re.sub(r"[^a-z0-9]+", "-", source.title.lower()).strip("-")
    source.save()
    return source


def article_rows(article: Article) -> dict:
    """What the article holds that the form could change, for "nothing saved"."""
    article = Article.objects.get(pk=article.pk)
    return {
        "lead": article.lead,
        "updated": article.updated,
        "sections": list(article.sections.values_list("heading", "body")),
        "references": list(article.references.values_list("key", "source_id", "accessed", "quote",
                                                          "position")),
        "citations": list(article.citations.values_list("place", "reference__key", "locator",
                                                        "position")),
        "versions": Version.objects.get_for_object(article).count(),
    }


def assert_refused(response, messages: list[str], before: dict, article: Article) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the error" in html
    for message in messages:
        assert escape(message) in html, message
    assert article_rows(article) == before


def references_data(data: dict) -> list[dict]:
    return inline_forms(data, "references")


# --- The sources admin -------------------------------------------------------------


def add_source_data(client, **values) -> tuple:
    response, data = open_form(client, SOURCE_ADD_URL)
    data.update(values)
    return response, data


def test_a_source_added_through_the_admin_is_stored_with_its_identity_and_slug(admin_client):
    _, data = add_source_data(
        admin_client, type="book", title="The Railway and the Steppe",
        authors="John Smith\r\nJane Doe\r\n", publisher="Example Press", date="1998",
        isbn="978-0-00-000000-2", slug="",
    )

    response = admin_client.post(SOURCE_ADD_URL, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    source = Source.objects.get()
    assert (source.type, source.title, source.authors, source.publisher, source.date) == (
        "book", "The Railway and the Steppe", ["John Smith", "Jane Doe"], "Example Press", "1998"
    )
    assert source.identity == source_identity(isbn="978-0-00-000000-2")
    assert source.slug == "the-railway-and-the-steppe"
    # The change form shows the authors one a line, and saving it unchanged keeps them.
    response, data = open_form(admin_client, source_change_url(source))
    assert data["authors"] == "John Smith\r\nJane Doe"
    assert admin_client.post(source_change_url(source), data).status_code == 302
    source.refresh_from_db()
    assert source.authors == ["John Smith", "Jane Doe"]
    # Editing a source is its own revision.
    assert Version.objects.get_for_object(source).count() == 2


def test_a_second_source_with_the_same_identity_is_refused_with_a_link_to_the_first(
    admin_client,
):
    first = make_source(title="A study", doi="10.1000/ABC.123")
    # The same DOI with a resolver prefix and in other letters: the same source.
    _, data = add_source_data(
        admin_client, type="journal", title="A study (preprint)", doi="https://doi.org/10.1000/abc.123",
    )

    response = admin_client.post(SOURCE_ADD_URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    link = f'<a href="{source_change_url(first)}">A study</a>'
    assert f"This source is already stored: {link} has the same DOI." in html
    assert Source.objects.count() == 1


def test_a_second_source_with_the_same_normalised_url_is_refused(admin_client):
    make_source(title="Census", url="https://www.stat.tj/en/census")
    _, data = add_source_data(admin_client, title="Census page",
                              url="HTTPS://WWW.STAT.TJ:443/en/census#top")

    response = admin_client.post(SOURCE_ADD_URL, data)

    assert "has the same URL." in visible_text(response.content.decode())
    assert Source.objects.count() == 1


@pytest.mark.parametrize("field", ["url", "archive_url"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>"])
def test_a_script_url_is_refused(admin_client, field, url):
    _, data = add_source_data(admin_client, title="Census", **{field: url})

    response = admin_client.post(SOURCE_ADD_URL, data)

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    scheme = url.strip().split(":")[0].lower()
    assert f"a {scheme}: URL is not allowed" in text
    assert not Source.objects.exists()


def test_dates_that_are_not_iso_8601_are_refused(admin_client):
    _, data = add_source_data(admin_client, title="Census", date="12/06/2019",
                              archive_date="2019-02-30")

    response = admin_client.post(SOURCE_ADD_URL, data)

    text = visible_text(response.content.decode())
    assert "'12/06/2019' is not a date; write it as 2019, 2019-06 or 2019-06-12 (ISO 8601)" in text
    assert "'2019-02-30' is not a real date: 2019-02 has no day 30" in text
    assert not Source.objects.exists()


def test_a_marker_in_a_source_field_is_refused(admin_client):
    _, data = add_source_data(admin_client, title="Census [^x]", authors="Jane [^y] Doe")

    response = admin_client.post(SOURCE_ADD_URL, data)

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert text.count("A citation marker ('[^') cannot stand here") == 2
    assert not Source.objects.exists()


def test_a_taken_slug_is_made_unique(admin_client):
    make_source(title="Census", slug="census", url="https://example.org/a")
    _, data = add_source_data(admin_client, title="Census", slug="census",
                              url="https://example.org/b")

    assert admin_client.post(SOURCE_ADD_URL, data).status_code == 302

    assert sorted(Source.objects.values_list("slug", flat=True)) == ["census", "census-2"]


def changelist_rows(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


KYRGYZSTAN = """\
= Russians in Kyrgyzstan =

Russians came with the railway.[^smith]

==References==
- [^smith]
  - Type: book
  - Title: The Railway and the Steppe
  - Author: John Smith
  - Publisher: Example Press
  - Date: 1998
  - Isbn: 978-0-00-000000-2
"""


def test_the_source_list_counts_the_articles_citing_each_source(admin_client):
    imported()
    imported(KYRGYZSTAN, "kyrgyzstan.txt")
    smith = Source.objects.get(title="The Railway and the Steppe")
    assert smith.references.count() == 2  # one source, shared

    response = admin_client.get(SOURCES_URL, {"o": "1"})

    counts = {source.title: source.citing for source in changelist_rows(response)}
    assert counts == {
        "Population census of the Republic of Tajikistan 2010": 1,
        "The Railway and the Steppe": 2,
    }
    text = visible_text(response.content.decode())
    assert "The Railway and the Steppe Book 1998 Example Press 2" in text


@pytest.mark.parametrize("term, found", [
    ("railway", ["The Railway and the Steppe"]),
    ("Smith", ["The Railway and the Steppe"]),
    ("Müller", ["Deutsche Quelle"]),
    ("example press", ["The Railway and the Steppe"]),
    ("978-0-00-000000-2", ["The Railway and the Steppe"]),
    ("10.1000/xyz", ["Deutsche Quelle"]),
    ("stat.tj", ["Census"]),
    ("Radio Free", ["Census"]),
])
def test_sources_are_found_by_title_author_publisher_isbn_doi_url_and_work(
    admin_client, term, found
):
    make_source(type="book", title="The Railway and the Steppe", authors=["John Smith"],
                publisher="Example Press", isbn="978-0-00-000000-2")
    make_source(title="Deutsche Quelle", authors=["Anna Müller"], doi="10.1000/xyz")
    make_source(title="Census", url="https://www.stat.tj/en/census",
                work="Radio Free Europe")

    titles = [s.title for s in changelist_rows(admin_client.get(SOURCES_URL, {"q": term}))]

    assert titles == found


def test_the_source_list_filters_by_type(admin_client):
    make_source(type="book", title="A book", isbn="978-0-00-000000-2")
    make_source(type="news", title="A report", url="https://example.org/news")

    rows = changelist_rows(admin_client.get(SOURCES_URL, {"type__exact": "book"}))

    assert [s.title for s in rows] == ["A book"]


def test_the_references_inline_finds_sources_by_autocomplete(admin_client):
    make_source(type="book", title="The Railway and the Steppe", authors=["John Smith"],
                isbn="978-0-00-000000-2")
    make_source(title="Census", url="https://www.stat.tj/en/census")

    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "articles", "model_name": "articlereference", "field_name": "source",
        "term": "smith",
    })

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["The Railway and the Steppe"]
    # And the population figures' source too.
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "articles", "model_name": "populationfigure", "field_name": "source",
        "term": "census",
    })
    assert [r["text"] for r in response.json()["results"]] == ["Census"]


def test_renaming_a_source_updates_the_search_documents_of_the_articles_citing_it(admin_client):
    article = imported()
    smith = Source.objects.get(title="The Railway and the Steppe")
    _, data = open_form(admin_client, source_change_url(smith))
    data["title"] = "Rails across the Steppe"

    assert admin_client.post(source_change_url(smith), data).status_code == 302

    document = Article.objects.get(pk=article.pk).search_document
    assert "Rails across the Steppe" in document
    assert "The Railway and the Steppe" not in document


def test_a_cited_source_cannot_be_deleted_and_the_page_says_why(admin_client):
    imported()
    smith = Source.objects.get(title="The Railway and the Steppe")

    response = admin_client.post(f"/admin/articles/source/{smith.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "would require deleting the following protected related objects" in text
    assert Source.objects.filter(pk=smith.pk).exists()


# --- The change form: markers against references --------------------------------------


def test_the_change_form_shows_the_references_and_the_infobox_citations(admin_client):
    article = imported()

    _, data = open_form(admin_client, change_url(article))

    census = Source.objects.get(title__startswith="Population census")
    smith = Source.objects.get(title="The Railway and the Steppe")
    assert [(r["key"], r["source"], r["accessed"], r["position"]) for r in references_data(data)] == [
        ("census2010", str(census.pk), "2023-05-01", "0"),
        ("smith", str(smith.pk), "", "1"),
    ]
    citations = inline_forms(data, "citations")
    assert [(c["place"], c["key"], c["locator"]) for c in citations] == [
        ("infobox:Population", "census2010", "")
    ]


def test_saving_the_unchanged_form_of_an_article_with_references_changes_nothing(admin_client):
    article = imported()
    before = article_rows(article)
    exported = article_export(article=article)
    _, data = open_form(admin_client, change_url(article))

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302
    assert article_rows(article) == before
    assert article_export(article=Article.objects.get(pk=article.pk)) == exported == TAJIKISTAN


def test_a_marker_in_the_lead_without_a_reference_is_a_form_error_and_nothing_is_saved(
    admin_client, seed_fixture
):
    before = article_rows(seed_fixture)
    _, data = open_form(admin_client, change_url(seed_fixture))
    data["lead"] = "Russians live in Kabul.[^smith|p. 4]\r\n\r\n" + data["lead"]

    response = admin_client.post(change_url(seed_fixture), data)

    assert_refused(response, [
        "The lead cites [^smith] (line 1), but no reference has the key “smith”: add a "
        "reference with that key, or correct the marker."
    ], before, seed_fixture)
    assert not Source.objects.exists()


def test_a_marker_in_a_section_whose_reference_is_deleted_in_the_same_form_is_refused(
    admin_client,
):
    article = imported()
    before = article_rows(article)
    _, data = open_form(admin_client, change_url(article))
    smith = next(i for i, r in enumerate(references_data(data)) if r["key"] == "smith")
    data[f"references-{smith}-DELETE"] = "on"

    response = admin_client.post(change_url(article), data)

    assert_refused(response, [
        "The lead cites [^smith] (line 1), but no reference has the key “smith”",
        "The section “History” cites [^smith] (line 1), but no reference has the key “smith”",
    ], before, article)


def test_a_malformed_marker_is_a_form_error_on_its_text(admin_client, seed_fixture):
    before = article_rows(seed_fixture)
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["lead"] = "Russians live in Kabul.[^smith\r\n\r\n" + data["lead"]
    add_inline_form(response, data, "sections", heading="History", level="2", position="0",
                    body="Text.[^Smith]")

    response = admin_client.post(change_url(seed_fixture), data)

    assert_refused(response, [
        "Line 1: the citation marker '[^smith' has no closing ']'",
        "Line 1: the citation key 'Smith' may only hold lowercase letters a-z, digits and "
        "hyphens, like [^smith-1998]",
    ], before, seed_fixture)


def test_a_malformed_or_doubled_reference_key_is_a_form_error(admin_client, seed_fixture):
    source = make_source(title="Census", url="https://example.org/census")
    before = article_rows(seed_fixture)
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "references", key="Census 2010", source=str(source.pk))
    add_inline_form(response, data, "references", key="dup", source=str(source.pk))
    add_inline_form(response, data, "references", key="dup", source=str(source.pk))

    response = admin_client.post(change_url(seed_fixture), data)

    assert_refused(response, [
        "Two references have the key “dup”: each reference needs its own key.",
    ], before, seed_fixture)
    # The malformed key is shown on its row.
    response_text = unescape(response.content.decode())
    assert "the citation key 'Census 2010' may only hold lowercase letters" in response_text


def test_a_new_reference_and_its_marker_are_saved_together(admin_client, client, seed_fixture):
    source = make_source(type="book", title="The Railway and the Steppe",
                         isbn="978-0-00-000000-2", authors=["John Smith"])
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["lead"] = "Russians live in Kabul.[^smith|p. 4]\r\n\r\n" + data["lead"]
    add_inline_form(response, data, "references", key="smith", source=str(source.pk),
                    accessed="2024-01-31", quote="They stayed.")

    response = admin_client.post(change_url(seed_fixture), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    [reference] = ArticleReference.objects.filter(article=seed_fixture)
    assert (reference.key, reference.source, reference.accessed, reference.quote) == (
        "smith", source, "2024-01-31", "They stayed."
    )
    # The refresh rebuilt the text's citations from the lead.
    assert list(seed_fixture.citations.values_list("place", "reference__key", "locator")) == [
        ("lead", "smith", "p. 4")
    ]
    exported = article_export(article=Article.objects.get(pk=seed_fixture.pk))
    assert (
        "- Rels: Russian Orthodoxy, Sunni Islam\n\nRussians live in Kabul.[^smith|p. 4]\n\n"
        "There are currently"
    ) in exported
    assert exported.endswith(
        "==References==\n- [^smith]\n  - Type: book\n  - Title: The Railway and the Steppe\n"
        "  - Author: John Smith\n  - Isbn: 978-0-00-000000-2\n  - Accessed: 2024-01-31\n"
        "  - Quote: They stayed.\n"
    )
    # One revision holds the reference; the lead holds the citation, which
    # the history reads from it (the text's citations are not rows of it).
    version = Version.objects.get_for_object(seed_fixture).first()
    models = {v.content_type.model for v in version.revision.version_set.all()}
    assert "articlereference" in models and "citation" not in models
    assert revision_diff.state_of(version.revision).citations == "[^smith|p. 4] in the lead"


def test_an_infobox_citation_added_with_its_reference_is_written_after_the_row(
    admin_client, seed_fixture
):
    source = make_source(title="Census", url="https://example.org/census")
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "references", key="census", source=str(source.pk))
    add_inline_form(response, data, "citations", place="infobox:Population", key="census",
                    locator="table 3")
    add_inline_form(response, data, "citations", place="infobox:Langs", key="?")

    response = admin_client.post(change_url(seed_fixture), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(seed_fixture.citations.values_list("place", "reference__key", "locator")) == [
        ("infobox:Population", "census", "table 3"), ("infobox:Langs", None, ""),
    ]
    exported = article_export(article=Article.objects.get(pk=seed_fixture.pk))
    assert "- Population: 1,500 (2009 est.) [^census|table 3]\n" in exported
    assert "- Langs: Russian, Pashto, Dari [^?]\n" in exported
    seed_fixture.refresh_from_db()
    assert seed_fixture.citations_needed == 1


def test_infobox_citations_are_numbered_in_the_order_of_the_rows(admin_client, seed_fixture):
    a = make_source(title="Source A", url="https://example.org/a")
    b = make_source(title="Source B", url="https://example.org/b")
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "references", key="a", source=str(a.pk))
    add_inline_form(response, data, "references", key="b", source=str(b.pk))
    # Entered out of the rows' order: Rels, then Population (two markers).
    add_inline_form(response, data, "citations", place="infobox:Rels", key="b")
    add_inline_form(response, data, "citations", place="infobox:Population", key="a")
    add_inline_form(response, data, "citations", place="infobox:Population", key="b",
                    locator="p. 9")

    assert admin_client.post(change_url(seed_fixture), data).status_code == 302

    assert list(seed_fixture.citations.values_list("place", "reference__key", "position")) == [
        ("infobox:Population", "a", 0), ("infobox:Population", "b", 1), ("infobox:Rels", "b", 2),
    ]
    exported = article_export(article=Article.objects.get(pk=seed_fixture.pk))
    assert "- Population: 1,500 (2009 est.) [^a][^b|p. 9]\n" in exported
    assert "- Rels: Russian Orthodoxy, Sunni Islam [^b]\n" in exported


def test_an_infobox_citation_of_an_unknown_key_or_a_missing_row_is_refused(
    admin_client, seed_fixture
):
    before = article_rows(seed_fixture)
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "citations", place="infobox:Population", key="census")
    add_inline_form(response, data, "citations", place="infobox:Related", key="?")
    add_inline_form(response, data, "citations", place="infobox-extra:7", key="?")

    response = admin_client.post(change_url(seed_fixture), data)

    assert_refused(response, [
        "The infobox citation after Population cites “census”, but no reference has that key",
        "The infobox citation after Related follows a row the infobox does not have: fill in "
        "that row, or delete the citation.",
        "The infobox citation after the other row at position 7 follows a row the infobox "
        "does not have",
    ], before, seed_fixture)


def test_an_infobox_citation_of_an_extra_row_added_in_the_same_form_is_saved(
    admin_client, seed_fixture
):
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "extra_rows", key="Regions", value="Mazar", position="6")
    add_inline_form(response, data, "citations", place="infobox-extra:6", key="?")

    response = admin_client.post(change_url(seed_fixture), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert "- Regions: Mazar [^?]\n" in article_export(article=Article.objects.get(pk=seed_fixture.pk))
    # Now the row is a choice of the citations' rows.
    response = admin_client.get(change_url(seed_fixture))
    assert '<option value="infobox-extra:6" selected>Regions (other row 6)</option>' in (
        response.content.decode()
    )


def test_citation_needed_takes_no_locator(admin_client, seed_fixture):
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "citations", place="infobox:Population", key="?",
                    locator="p. 3")

    response = admin_client.post(change_url(seed_fixture), data)

    assert response.status_code == 200
    assert "[^?] (citation needed) takes no locator." in unescape(response.content.decode())
    assert not Citation.objects.exists()


def test_a_reference_replaced_in_the_same_form_keeps_its_infobox_citation(admin_client):
    article = imported()
    other = make_source(title="Census, second edition", url="https://example.org/census2")
    response, data = open_form(admin_client, change_url(article))
    census = next(i for i, r in enumerate(references_data(data)) if r["key"] == "census2010")
    data[f"references-{census}-DELETE"] = "on"
    add_inline_form(response, data, "references", key="census2010", source=str(other.pk))

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(article.references.values_list("key", "source__title")) == [
        ("smith", "The Railway and the Steppe"), ("census2010", "Census, second edition"),
    ]
    assert list(
        article.citations.filter(place="infobox:Population").values_list("reference__source", flat=True)
    ) == [other.pk]
    assert "- Population: 34,000 (2010 census) [^census2010]\n" in article_export(article=article)


def test_two_references_can_swap_their_keys(admin_client):
    article = imported()
    census, smith = article.references.values_list("source_id", flat=True)
    _, data = open_form(admin_client, change_url(article))
    data["references-0-key"], data["references-1-key"] = "smith", "census2010"

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(article.references.values_list("key", "source_id")) == [
        ("smith", census), ("census2010", smith)
    ]
    # The infobox citation keeps its key, as the text's markers do: it now
    # cites the book.
    assert "- Population: 34,000 (2010 census) [^census2010]\n" in article_export(article=article)
    assert list(article.citations.filter(place="infobox:Population").values_list(
        "reference__source_id", flat=True)) == [smith]


def test_a_reference_can_take_the_key_of_one_deleted_after_it(admin_client):
    article = imported(TAJIKISTAN.replace("[^smith|p. 42]", "[^smith]").replace(
        "Text.[^smith|pp. 50–52]", "Text."))
    response, data = open_form(admin_client, change_url(article))
    # census2010 is renamed smith, and the reference smith (after it) deleted.
    data["references-0-key"] = "smith"
    data["references-1-DELETE"] = "on"
    data["citations-0-key"] = "smith"
    data["lead"] = data["lead"].replace("[^census2010]", "[^smith]")

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(article.references.values_list("key", "source__title")) == [
        ("smith", "Population census of the Republic of Tajikistan 2010")
    ]


@pytest.mark.parametrize("prefix, field, value", [
    ("", "title", "Russians in Afghanistan [^x]"),
    ("", "population_note", "2009 est. [^x]"),
    ("see_also", "target_title", "Russians in Iran [^x]"),
    ("extra_rows", "value", "Mazar [^x]"),
])
def test_a_marker_in_a_one_line_value_is_refused(admin_client, seed_fixture, prefix, field, value):
    before = article_rows(seed_fixture)
    response, data = open_form(admin_client, change_url(seed_fixture))
    if prefix == "extra_rows":
        add_inline_form(response, data, "extra_rows", key="Regions", value=value, position="6")
    elif prefix:
        data[f"{prefix}-0-{field}"] = value
    else:
        data[field] = value

    response = admin_client.post(change_url(seed_fixture), data)

    assert_refused(response, ["A citation marker ('[^') cannot stand here"], before, seed_fixture)


def test_a_concurrent_edit_of_the_lead_merges_with_a_reference_added_meanwhile(
    admin_client, seed_fixture, django_user_model
):
    source = make_source(title="Census", url="https://example.org/census")
    # Editor 1 opens the form; editor 2 adds a reference and its marker and saves.
    _, mine = open_form(admin_client, change_url(seed_fixture))
    other = django_user_model.objects.create_superuser("other", "other@example.org", "pw")
    from django.test import Client

    theirs_client = Client()
    theirs_client.force_login(other)
    response, theirs = open_form(theirs_client, change_url(seed_fixture))
    add_inline_form(response, theirs, "references", key="census", source=str(source.pk))
    add_inline_form(response, theirs, "citations", place="infobox:Population", key="census")
    assert theirs_client.post(change_url(seed_fixture), theirs).status_code == 302

    # Editor 1 fixes the typo: their form had no reference, and still saves.
    mine["lead"] = mine["lead"].replace("derserters", "deserters")
    response = admin_client.post(change_url(seed_fixture), mine)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(pk=seed_fixture.pk)
    assert "deserters" in article.lead
    assert list(article.references.values_list("key", flat=True)) == ["census"]
    assert list(article.citations.values_list("place", "reference__key")) == [
        ("infobox:Population", "census")
    ]


def test_an_article_added_with_a_reference_and_its_marker(admin_client):
    source = make_source(title="Census", url="https://example.org/census")
    response, data = open_form(admin_client, "/admin/articles/article/add/")
    data.update(title="Russians in Tajikistan", slug="russians-in-tajikistan",
                lead="Russians live mostly in Dushanbe.[^census]", group_name="Russians",
                population="34000")
    add_inline_form(response, data, "references", key="census", source=str(source.pk))
    add_inline_form(response, data, "citations", place="infobox:Population", key="census",
                    locator="p. 2")

    response = admin_client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="Russians in Tajikistan")
    assert article_export(article=article) == (
        "= Russians in Tajikistan =\n\nInfobox\n- Group: Russians\n"
        "- Population: 34,000 [^census|p. 2]\n\nRussians live mostly in Dushanbe.[^census]\n\n"
        "==References==\n- [^census]\n  - Title: Census\n  - Url: https://example.org/census\n"
    )
    assert (article.cited_paragraphs, article.paragraphs) == (1, 1)


def test_an_article_added_with_a_marker_and_no_reference_is_refused(admin_client):
    response, data = open_form(admin_client, "/admin/articles/article/add/")
    data.update(title="Russians in Tajikistan", slug="russians-in-tajikistan",
                lead="Russians live mostly in Dushanbe.[^census]")

    response = admin_client.post("/admin/articles/article/add/", data)

    assert response.status_code == 200
    assert escape("The lead cites [^census] (line 1), but no reference has the key “census”") in (
        response.content.decode()
    )
    assert not Article.objects.exists()


def test_an_editor_gets_the_references_inline_and_its_check(client, seed_fixture, django_user_model):
    """Editors edit references and citations (migration 0012), and the
    inlines follow the article's permissions besides, so the marker check
    runs for every editor."""
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("editor", "e@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert editor.has_perm("articles.change_articlereference")
    assert editor.has_perm("articles.add_source") and not editor.has_perm("articles.delete_source")
    client.force_login(editor)
    before = article_rows(seed_fixture)
    response, data = open_form(client, change_url(seed_fixture))
    assert "references-TOTAL_FORMS" in data and "citations-TOTAL_FORMS" in data
    data["lead"] = "Russians live in Kabul.[^smith]\r\n\r\n" + data["lead"]

    response = client.post(change_url(seed_fixture), data)

    assert_refused(response, ["The lead cites [^smith] (line 1), but no reference has the key"],
                   before, seed_fixture)


def test_a_revision_of_the_article_holds_its_references_and_the_history_shows_the_save(
    admin_client,
):
    article = imported()
    _, data = open_form(admin_client, change_url(article))
    data["references-1-quote"] = "The railway came in 1929."

    assert admin_client.post(change_url(article), data).status_code == 302

    history = visible_text(admin_client.get(f"/admin/articles/article/{article.pk}/history/")
                           .content.decode())
    assert "Changed Quote for reference “[^smith] The Railway and the Steppe”." in history
    version = Version.objects.get_for_object(article).first()
    [reference] = [v for v in version.revision.version_set.all()
                   if v.content_type.model == "articlereference" and v.field_dict["key"] == "smith"]
    assert reference.field_dict["quote"] == "The railway came in 1929."


# --- Population figures ----------------------------------------------------------------


def test_a_population_figure_with_a_range_a_method_and_a_source(admin_client, seed_fixture):
    source = make_source(title="Census", url="https://example.org/census")
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "population_figures", year="2021", count="1200",
                    low="1000", high="1500", method="estimate", source=str(source.pk),
                    locator="p. 12")

    assert admin_client.post(change_url(seed_fixture), data).status_code == 302

    figure = PopulationFigure.objects.get(article=seed_fixture, year=2021)
    assert (figure.count, figure.low, figure.high, figure.method, figure.source, figure.locator) == (
        1200, 1000, 1500, "estimate", source, "p. 12"
    )


def test_a_population_range_that_excludes_the_count_is_refused(admin_client, seed_fixture):
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "population_figures", year="2021", count="1200", low="1300")

    response = admin_client.post(change_url(seed_fixture), data)

    assert response.status_code == 200
    assert "The low end of the range may not exceed the count." in response.content.decode()
    assert not PopulationFigure.objects.filter(year=2021).exists()


# --- Verifiability in the article list ---------------------------------------------


def article_with(title: str, lead: str, references: str = "", infobox: str = "") -> Article:
    text = f"= {title} =\n\n"
    if infobox:
        text += f"Infobox\n{infobox}\n\n"
    text += lead + "\n"
    if references:
        text += f"\n==References==\n{references}"
    return imported(text, f"{title}.txt")


REFERENCE = "- [^a]\n  - Title: Source A\n  - Url: https://example.org/{}\n"


@pytest.fixture
def cited_articles(db):
    """Four articles: 1 of 3 paragraphs cited; all cited; none cited with
    two [^?]; no paragraphs but a [^?] in the infobox; and one without
    references at all (0 of 2)."""
    return {
        "third": article_with("Third in A", "One.[^a]\n\nTwo.\n\n- three\n- four[^?]",
                              REFERENCE.format("third")),
        "all": article_with("All in B", "One.[^a]\n\nTwo.[^a]", REFERENCE.format("all")),
        "needed": article_with("Needed in C", "One.[^?]\n\nTwo.[^?]", REFERENCE.format("needed")),
        "empty": article_with("Empty in D", "", "", "- Group: D [^?]"),
        "bare": article_with("Bare in E", "One.\n\nTwo."),
    }


def test_refresh_keeps_the_verifiability_columns_the_list_reads(cited_articles):
    got = {
        name: (a.cited_paragraphs, a.paragraphs, a.citations_needed)
        for name, a in ((n, Article.objects.get(pk=a.pk)) for n, a in cited_articles.items())
    }
    assert got == {
        "third": (1, 4, 1), "all": (2, 2, 0), "needed": (0, 2, 2), "empty": (0, 0, 1),
        "bare": (0, 2, 0),
    }


def column(response, name: str) -> list[str]:
    """The cells of one column of the change list, in the rows' order."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(rf'<t[hd] class="field-{name}[^"]*">(.*?)</t[hd]>', body, re.S)
    return [visible_text(cell) for cell in cells]


def test_the_article_list_shows_the_share_cited_and_the_citations_needed(
    admin_client, cited_articles
):
    response = admin_client.get(CHANGELIST_URL)

    titles = column(response, "title")
    cited = dict(zip(titles, column(response, "cited")))
    needed = dict(zip(titles, column(response, "needed")))
    assert cited == {"All in B": "100%", "Bare in E": "0%", "Empty in D": "—",
                     "Needed in C": "0%", "Third in A": "25%"}
    assert needed == {"All in B": "0", "Bare in E": "0", "Empty in D": "1",
                      "Needed in C": "2", "Third in A": "1"}


def test_the_article_list_sorts_by_the_share_cited(admin_client, cited_articles):
    # The columns: title, status, group, population, cited, needed, updated.
    ascending = admin_client.get(CHANGELIST_URL, {"o": "5.1"})
    descending = admin_client.get(CHANGELIST_URL, {"o": "-5.1"})

    assert [a.title for a in changelist_rows(ascending)] == [
        "Bare in E", "Needed in C", "Third in A", "All in B", "Empty in D"
    ]
    assert [a.title for a in changelist_rows(descending)] == [
        "Empty in D", "All in B", "Third in A", "Bare in E", "Needed in C"
    ]
    by_needed = admin_client.get(CHANGELIST_URL, {"o": "-6.1"})
    assert [a.title for a in changelist_rows(by_needed)][:1] == ["Needed in C"]


def test_the_article_list_filters_no_sources_and_citation_needed(admin_client, cited_articles):
    def titles(**params):
        return sorted(a.title for a in changelist_rows(admin_client.get(CHANGELIST_URL, params)))

    assert titles(sources="none") == ["Bare in E", "Empty in D"]
    assert titles(sources="some") == ["All in B", "Needed in C", "Third in A"]
    assert titles(citation_needed="yes") == ["Empty in D", "Needed in C", "Third in A"]
    assert titles(citation_needed="no") == ["All in B", "Bare in E"]
    assert titles(sources="none", citation_needed="yes") == ["Empty in D"]
    text = visible_text(admin_client.get(CHANGELIST_URL).content.decode())
    assert "By sources All No sources With sources" in text
    assert "By citation needed All Citation needed None needed" in text


def test_the_article_list_takes_a_fixed_number_of_queries(
    admin_client, cited_articles, django_assert_num_queries
):
    admin_client.get(CHANGELIST_URL)  # the session and the user, once
    with django_assert_num_queries(LIST_QUERIES):
        assert admin_client.get(CHANGELIST_URL).status_code == 200
    for n in range(5):
        article_with(f"More{n} in F", "One.[^a]\n\nTwo.", REFERENCE.format(f"more{n}"))
    with django_assert_num_queries(LIST_QUERIES):
        response = admin_client.get(CHANGELIST_URL, {"sources": "some", "o": "5.1"})
        assert len(changelist_rows(response)) == 8


# The user (the session is cached: SESSION_ENGINE cached_db); the filters'
# content languages in use, infobox languages, religions and tags; the counts
# (filtered and in all); the page; the date hierarchy's range and days.
LIST_QUERIES = 10


def test_the_list_links_to_the_articles_that_most_need_sources(admin_client, cited_articles):
    html = admin_client.get(CHANGELIST_URL).content.decode()

    assert f'<a href="{NEEDS_SOURCES_URL}">Articles that most need sources</a>' in html


def test_the_articles_that_most_need_sources_least_cited_first(admin_client, cited_articles):
    # One more at 0% with a single [^?]: after the one with two.
    article_with("Once in G", "One.[^?]", REFERENCE.format("once"))

    response = admin_client.get(NEEDS_SOURCES_URL)

    assert response.status_code == 200
    rows = [(a.title, percent) for a, percent in response.context["rows"]]
    assert rows == [
        ("Needed in C", "0%"), ("Once in G", "0%"), ("Bare in E", "0%"), ("Third in A", "25%"),
        ("Empty in D", "—"),
    ]
    text = visible_text(response.content.decode())
    assert "Needed in C Published 0 of 2 0% 2" in text
    assert "Third in A Published 1 of 4 25% 1" in text
    assert "All in B" not in text  # every paragraph cited, nothing needed


def test_the_articles_that_most_need_sources_are_paginated(admin_client, monkeypatch, cited_articles):
    from articles.admin import verifiability

    monkeypatch.setattr(verifiability, "NEEDS_SOURCES_PER_PAGE", 2)

    first = admin_client.get(NEEDS_SOURCES_URL)

    assert [a.title for a, _ in first.context["rows"]] == ["Needed in C", "Bare in E"]
    second = admin_client.get(NEEDS_SOURCES_URL, {"p": "2"})
    assert [a.title for a, _ in second.context["rows"]] == ["Third in A", "Empty in D"]
    assert "Page 1 of 2 Next" in visible_text(first.content.decode())
    assert "Previous Page 2 of 2" in visible_text(second.content.decode())


def test_the_articles_that_most_need_sources_need_a_staff_login(client, cited_articles):
    response = client.get(NEEDS_SOURCES_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_article_refresh_after_the_text_changes_updates_the_list(admin_client, cited_articles):
    bare = cited_articles["bare"]
    Article.objects.filter(pk=bare.pk).update(lead="One.[^?]\n\nTwo.")
    article_refresh(article=Article.objects.get(pk=bare.pk))

    response = admin_client.get(CHANGELIST_URL, {"citation_needed": "yes"})

    assert "Bare in E" in [a.title for a in changelist_rows(response)]
