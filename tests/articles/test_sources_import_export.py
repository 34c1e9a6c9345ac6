"""Sources and citations through import_articles and export_articles: the
issue's example comes back byte for byte, a shared source is one row, the
citations and the verifiability columns are the text's, and re-importing
changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from reversion.models import Version

from articles import wikitext
from articles.models import Article, ArticleReference, Citation, Source
from articles.services import (
    ImportFailed,
    article_export,
    article_refresh,
    articles_import,
)
from articles.sources import source_identity
from tests.examples import SOURCES_EXAMPLE

pytestmark = pytest.mark.django_db

# The example of issue 12, as its text gives it.
EXAMPLE = SOURCES_EXAMPLE

# A second article citing the same book (same entry) and a web page of its own.
UZBEKISTAN = """\
= Russians in Uzbekistan =

Infobox
- Group: Russians in Uzbekistan
- Footnote: figures vary [^?]

Russians came with the railway.[^steppe|p. 7]

Most live in Tashkent.[^?]

==References==
- [^steppe]
  - Type: book
  - Title: The Railway and the Steppe
  - Author: John Smith
  - Publisher: Example Press
  - Date: 1998
  - Isbn: 978-0-00-000000-2
- [^stat]
  - Title: Statistics of Uzbekistan
  - Url: https://stat.uz/en/
  - Volume: 3
  - Volume: 4
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def run_import(*paths: Path) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, paths), stdout=out)
    return out.getvalue()


def export(*slugs: str) -> str:
    out = StringIO()
    call_command("export_articles", *slugs, stdout=out)
    return out.getvalue()


def uses(article: Article) -> list[tuple[int, str, str, str]]:
    return [
        (c.position, c.place, str(c.marker), c.reference.source.title if c.reference else "")
        for c in article.citations.select_related("reference__source")
    ]


def test_the_issue_example_comes_back_byte_for_byte_through_the_commands(tmp_path):
    run_import(write(tmp_path, "tajikistan.txt", EXAMPLE))

    assert export("russians-in-tajikistan") == EXAMPLE


def test_the_example_is_stored_as_sources_references_and_citations(tmp_path):
    run_import(write(tmp_path, "tajikistan.txt", EXAMPLE))
    article = Article.objects.get(slug="russians-in-tajikistan")

    assert [
        (r.position, r.key, r.source.type, r.source.title, r.accessed)
        for r in article.references.select_related("source")
    ] == [
        (0, "census2010", "web", "Population census of the Republic of Tajikistan 2010",
         "2023-05-01"),
        (1, "smith", "book", "The Railway and the Steppe", ""),
        (2, "rferl", "news", "Tajikistan's Russians", ""),
    ]
    smith = Source.objects.get(title="The Railway and the Steppe")
    assert (smith.authors, smith.publisher, smith.date, smith.isbn) == (
        ["John Smith"], "Example Press", "1998", "978-0-00-000000-2"
    )
    assert smith.identity == source_identity(isbn="9780000000002")
    assert smith.slug == "the-railway-and-the-steppe"
    rferl = Source.objects.get(title="Tajikistan's Russians")
    assert rferl.work == "Radio Free Europe/Radio Liberty"
    assert rferl.archive_date == "2020-01-01"
    assert rferl.archive_url.startswith("https://web.archive.org/web/20200101000000/")
    census = "Population census of the Republic of Tajikistan 2010"
    assert uses(article) == [
        (0, "infobox:Population", "[^census2010]", census),
        (1, "lead", "[^census2010]", census),
        (2, "lead", "[^smith|p. 42]", "The Railway and the Steppe"),
        (3, "section:0", "[^smith|pp. 50–52]", "The Railway and the Steppe"),
        (4, "section:0", "[^rferl]", "Tajikistan's Russians"),
    ]
    assert (article.paragraphs, article.cited_paragraphs, article.citations_needed) == (2, 2, 0)


def test_a_source_cited_by_two_articles_is_one_row(tmp_path):
    run_import(write(tmp_path, "tajikistan.txt", EXAMPLE), write(tmp_path, "uzbekistan.txt", UZBEKISTAN))

    book = Source.objects.get(title="The Railway and the Steppe")
    assert Source.objects.count() == 4
    assert sorted(book.references.values_list("article__slug", "key")) == [
        ("russians-in-tajikistan", "smith"), ("russians-in-uzbekistan", "steppe"),
    ]
    assert export("russians-in-tajikistan") == EXAMPLE
    assert export("russians-in-uzbekistan") == UZBEKISTAN


def test_citation_needed_extra_rows_and_other_fields(tmp_path):
    run_import(write(tmp_path, "uzbekistan.txt", UZBEKISTAN))
    article = Article.objects.get(slug="russians-in-uzbekistan")

    assert uses(article) == [
        (0, "infobox-extra:1", "[^?]", ""),
        (1, "lead", "[^steppe|p. 7]", "The Railway and the Steppe"),
        (2, "lead", "[^?]", ""),
    ]
    # Two paragraphs, one cited; two claims need a citation (one in the infobox).
    assert (article.paragraphs, article.cited_paragraphs, article.citations_needed) == (2, 1, 2)
    stat = article.references.get(key="stat")
    assert stat.extras == [["Volume", "3"], ["Volume", "4"]]
    assert stat.source.url == "https://stat.uz/en/"


def test_reimporting_changes_nothing(tmp_path):
    files = [write(tmp_path, "tajikistan.txt", EXAMPLE), write(tmp_path, "uzbekistan.txt", UZBEKISTAN)]
    run_import(*files)
    sources = list(Source.objects.values_list("pk", "identity", "slug", "updated"))
    source_versions = Version.objects.get_for_model(Source).count()

    run_import(*files)

    assert list(Source.objects.values_list("pk", "identity", "slug", "updated")) == sources
    assert Version.objects.get_for_model(Source).count() == source_versions == 4
    assert ArticleReference.objects.count() == 5
    assert Citation.objects.count() == 8
    assert export("russians-in-tajikistan") == EXAMPLE
    assert export("russians-in-uzbekistan") == UZBEKISTAN


def test_the_newest_import_has_the_last_word_on_a_shared_source(tmp_path):
    run_import(write(tmp_path, "tajikistan.txt", EXAMPLE))
    # The same book by its ISBN-10, with a subtitle.
    other = UZBEKISTAN.replace("Isbn: 978-0-00-000000-2", "Isbn: 0-00-000000-0").replace(
        "Title: The Railway and the Steppe", "Title: The Railway and the Steppe: A History"
    )
    run_import(write(tmp_path, "uzbekistan.txt", other))

    book = Source.objects.get(identity=source_identity(isbn="978-0-00-000000-2"))
    assert (book.title, book.isbn) == ("The Railway and the Steppe: A History", "0-00-000000-0")
    assert book.references.count() == 2
    assert "  - Title: The Railway and the Steppe: A History\n" in export("russians-in-tajikistan")
    # Changing a source is a revision of the source.
    versions = Version.objects.get_for_object(book)
    assert [v.revision.comment for v in versions] == [
        f"Imported from {tmp_path / 'uzbekistan.txt'}", f"Imported from {tmp_path / 'tajikistan.txt'}",
    ]
    assert versions[0].field_dict["title"] == "The Railway and the Steppe: A History"


def test_sources_with_one_title_get_distinct_slugs(tmp_path):
    text = EXAMPLE.replace("Tajik", "Kyrgyz").replace("Dushanbe", "Bishkek").replace(
        "Isbn: 978-0-00-000000-2", "Isbn: 978-0-00-000001-9"
    )
    run_import(write(tmp_path, "a.txt", EXAMPLE), write(tmp_path, "b.txt", text))

    assert sorted(Source.objects.filter(title="The Railway and the Steppe").values_list(
        "slug", flat=True
    )) == ["the-railway-and-the-steppe", "the-railway-and-the-steppe-2"]


@pytest.mark.parametrize("row, field", [
    ("  - Isbn: " + "9" * 40, "isbn"),
    ("  - Isbn: 978-0-00-000000-2\n  - Language: " + "x" * 40, "language"),
])
def test_a_value_the_source_cannot_hold_fails_the_import_naming_the_reference(row, field):
    text = EXAMPLE.replace("  - Isbn: 978-0-00-000000-2", row)
    with pytest.raises(ImportFailed) as error:
        articles_import(sources=[("tajikistan.txt", text.encode())])

    assert str(error.value).startswith(f"tajikistan.txt: reference [^smith]: {field}: ")
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_a_failed_import_leaves_no_source_behind(tmp_path):
    bad = "= Broken =\n\nText.[^nokey]\n"
    with pytest.raises(ImportFailed):
        articles_import(sources=[
            ("tajikistan.txt", EXAMPLE.encode()), ("broken.txt", bad.encode()),
        ])
    assert not Source.objects.exists()


def test_refresh_rebuilds_the_text_citations_and_keeps_the_infobox_ones(tmp_path):
    run_import(write(tmp_path, "tajikistan.txt", EXAMPLE))
    article = Article.objects.get(slug="russians-in-tajikistan")
    imported = uses(article)
    article_refresh(article=article)
    assert uses(article) == imported  # the same as the import made them

    article.lead = "Russians live mostly in Dushanbe.[^rferl|§ 2]\n\nUncited.[^?]"
    article.save()
    article_refresh(article=article)

    article.refresh_from_db()
    assert uses(article) == [
        (0, "infobox:Population", "[^census2010]",
         "Population census of the Republic of Tajikistan 2010"),
        (1, "lead", "[^rferl|§ 2]", "Tajikistan's Russians"),
        (2, "lead", "[^?]", ""),
        (3, "section:0", "[^smith|pp. 50–52]", "The Railway and the Steppe"),
        (4, "section:0", "[^rferl]", "Tajikistan's Russians"),
    ]
    assert (article.paragraphs, article.cited_paragraphs, article.citations_needed) == (3, 2, 1)


def test_search_document_holds_source_titles_not_markers(tmp_path):
    run_import(write(tmp_path, "tajikistan.txt", EXAMPLE))
    article = Article.objects.get(slug="russians-in-tajikistan")
    imported = article.search_document
    assert "The Railway and the Steppe" in imported
    assert "Radio Free Europe" not in imported  # titles only
    assert "[^" not in imported
    assert "came with the railway. \n" not in imported
    assert "Dushanbe. The first settlers came with the railway.\n" in imported

    article_refresh(article=article)
    assert article.search_document == imported


def test_export_of_an_article_without_references_is_unchanged(tmp_path):
    text = "= Russians in Kazakhstan =\n\nThey live in Almaty.\n"
    run_import(write(tmp_path, "kazakhstan.txt", text))
    assert article_export(article=Article.objects.get()) == text
    assert wikitext.parse(text).references == []


def test_two_entries_of_one_file_naming_one_source_differently_are_refused():
    text = EXAMPLE.replace(
        "  - Title: Tajikistan's Russians\n", "  - Title: Tajikistan's Russians\n  - Author: A. Writer\n"
    ).replace("https://www.rferl.org/a/example/1.html\n", "https://www.stat.tj/en/census\n", 1)
    with pytest.raises(ImportFailed) as error:
        articles_import(sources=[("tajikistan.txt", text.encode())])

    assert str(error.value) == (
        "tajikistan.txt: the references [^census2010] and [^rferl] are one source (the same URL) "
        "but differ in Type, Title, Author, Work, Publisher, Date, Archive-url, Archive-date; "
        "make them agree, or keep one entry and cite it with locators ([^census2010|p. 42])"
    )
    assert not Source.objects.exists()


def test_two_keys_for_one_source_in_one_file_share_it(tmp_path):
    text = EXAMPLE.replace("[^rferl]\n  - Type: news\n  - Title: Tajikistan's Russians", (
        "[^smith2]\n  - Type: book\n  - Title: The Railway and the Steppe\n  - Author: John Smith\n"
        "  - Publisher: Example Press\n  - Date: 1998\n  - Isbn: 978-0-00-000000-2\n"
        "  - Accessed: 2020-01-01\n- [^rferl]\n  - Type: news\n  - Title: Tajikistan's Russians"
    ))
    run_import(write(tmp_path, "tajikistan.txt", text))

    assert Source.objects.count() == 3
    assert export("russians-in-tajikistan") == text


def test_factories_make_a_cited_article():
    from tests.factories import CitationFactory

    citation = CitationFactory(locator="p. 3")
    article = Article.objects.with_document().get(pk=citation.article_id)
    article.population, article.population_note = 1200, "2010"
    assert article_export(article=article).startswith(
        f"= {article.title} =\n\nInfobox\n- Population: 1,200 (2010) [^{citation.reference.key}|p. 3]\n"
    )
    assert article.citations_needed == 0


def cited_files(count: int) -> list[tuple[str, bytes]]:
    """Articles citing the same book (the last one with a new subtitle) and
    a page of their own."""
    files = []
    for n in range(count):
        title = "The Book" + (": Revised" if n == count - 1 else "")
        files.append((f"{n}.txt", (
            f"= Group{n}s in Testland =\n\nThey came.[^book|p. {n + 1}] They stayed.[^own]\n\n"
            f"==References==\n- [^book]\n  - Type: book\n  - Title: {title}\n"
            f"  - Isbn: 978-0-00-000000-2\n- [^own]\n  - Title: Page {n}\n"
            f"  - Url: https://example.org/{n}\n"
        ).encode()))
    return files


@pytest.mark.parametrize("batch", [2, 100])
def test_sources_shared_across_batches_and_workers(monkeypatch, batch):
    from articles.services import importing

    monkeypatch.setattr(importing, "IMPORT_BATCH", batch)
    articles_import(sources=cited_files(6))

    assert Source.objects.count() == 7
    book = Source.objects.get(isbn="978-0-00-000000-2")
    assert book.title == "The Book: Revised"  # the last file has the last word
    assert book.references.count() == 6
    for n in range(6):
        article = Article.objects.with_document().get(title=f"Group{n}s in Testland")
        assert f'<span class="reference-locator">:\u200ap. {n + 1}</span>' in article.lead_html
        assert (article.paragraphs, article.cited_paragraphs) == (1, 1)
        assert article_export(article=article).endswith(f"  - Url: https://example.org/{n}\n")


def test_the_queries_of_an_import_do_not_grow_with_its_sources():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for files in (cited_files(2), cited_files(8)):
        Article.objects.all().delete()
        Source.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            articles_import(sources=files)
        counts.append(len([q for q in queries if "articles_source" in q["sql"]]))
    assert counts[0] == counts[1]


def test_a_source_made_meanwhile_by_another_import_is_used(monkeypatch):
    """The insert fails on a slug or identity another transaction took:
    undone in a savepoint, the sources are inserted again, the taken slug
    given up for another."""
    from articles.services import import_references

    Source.objects.create(title="Taken", identity="0" * 64, slug="page-0")
    real = import_references.SourceSlugs.allot
    calls = []

    def first_taken(self, titles):
        calls.append(titles)
        slugs = real(self, titles)
        return ["page-0" for _ in slugs] if len(calls) == 1 else slugs

    monkeypatch.setattr(import_references.SourceSlugs, "allot", first_taken)
    articles_import(sources=cited_files(1))

    assert len(calls) == 2
    assert sorted(Source.objects.values_list("slug", flat=True)) == ["page-0", "page-0-2", "the-book-revised"]


def test_sources_of_one_title_across_batches_are_numbered_on_with_one_search(monkeypatch):
    """Thousands of sources called "Census": each batch goes on numbering
    from the last slug given, and the numbered slugs are read once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.services import importing

    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    files = [
        (f"{n}.txt", f"= Page {n} =\n\nA claim.[^c]\n\n==References==\n- [^c]\n  - Title: Census\n"
         f"  - Url: https://example.org/census/{n}\n".encode())
        for n in range(7)
    ]
    with CaptureQueriesContext(connection) as queries:
        articles_import(sources=files)

    assert sorted(Source.objects.values_list("slug", flat=True)) == [
        "census", "census-2", "census-3", "census-4", "census-5", "census-6", "census-7"
    ]
    prefix_searches = [q for q in queries.captured_queries if "LIKE" in q["sql"] and "census" in q["sql"]]
    assert len(prefix_searches) == 1


def test_a_locator_names_no_one():
    from people.models import Place

    from articles.services import mentions_detect

    Place.objects.create(name="Khujand", slug="khujand")
    text = EXAMPLE.replace("[^smith|p. 42]", "[^smith|the Khujand chapter]")
    [result] = articles_import(sources=[("tajikistan.txt", text.encode())])
    article = Article.objects.get(pk=result.article_id)
    assert not article.place_mentions.filter(place__name="Khujand").exists()
    mentions_detect(article=article)
    assert not article.place_mentions.filter(place__name="Khujand").exists()
    assert "Khujand" not in article.search_document
