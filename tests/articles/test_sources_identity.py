"""articles.sources: when two references are one Source."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, ArticleReference, PopulationFigure, Source
from articles.sources import (
    identity_rule,
    normalize_doi,
    normalize_isbn,
    normalize_url,
    source_identity,
)


def identity(**fields) -> str:
    values = {"doi": "", "isbn": "", "url": "", "title": "", "work": "", "publisher": "", "date": ""}
    return source_identity(**{**values, **fields})


def test_identity_is_the_sha256_of_the_rule():
    assert identity(doi="10.1000/XYZ") == hashlib.sha256(b"doi:10.1000/xyz").hexdigest()
    assert len(identity(title="A")) == 64


def test_isbn_10_and_isbn_13_of_one_book_are_one_source():
    assert normalize_isbn("0-00-000000-0") == "9780000000002"
    assert normalize_isbn("978-0-00-000000-2") == "9780000000002"
    # A real pair, with a check digit X on the ISBN-10.
    assert normalize_isbn("0-8044-2957-X") == "9780804429573"
    assert identity(isbn="0-8044-2957-X") == identity(isbn="978 0 8044 2957 3")
    assert identity(isbn="0-00-000000-0") != identity(isbn="0-00-000001-0")


def test_the_strongest_identifier_wins():
    book = {"title": "The Railway and the Steppe", "publisher": "Example Press", "date": "1998"}
    assert identity_rule(doi="10.1/A", isbn="0-00-000000-0", url="https://x.org/", **book) == (
        "doi:10.1/a"
    )
    assert identity_rule(isbn="0-00-000000-0", url="https://x.org/", **book) == "isbn:9780000000002"
    assert identity_rule(url="https://x.org/", **book) == "url:https://x.org/"
    assert identity_rule(**book) == "title:the railway and the steppe|example press|1998"


def test_doi_is_case_insensitive_and_prefixes_go():
    assert normalize_doi("10.1000/ABC.def") == "10.1000/abc.def"
    assert normalize_doi("https://doi.org/10.1000/ABC") == "10.1000/abc"
    assert normalize_doi("doi:10.1000/abc") == "10.1000/abc"
    assert identity(doi="10.1000/ABC") == identity(doi="https://dx.doi.org/10.1000/abc")


@pytest.mark.parametrize("written, normal", [
    ("HTTPS://WWW.Example.ORG/Path", "https://www.example.org/Path"),
    ("https://example.org:443/a", "https://example.org/a"),
    ("http://example.org:80/a", "http://example.org/a"),
    ("http://example.org:8080/a", "http://example.org:8080/a"),
    ("https://example.org/a#section-2", "https://example.org/a"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org/a/", "https://example.org/a/"),  # trailing slash kept
    ("https://example.org/a?b=C&d=1", "https://example.org/a?b=C&d=1"),
    ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
])
def test_url_normalisation(written, normal):
    assert normalize_url(written) == normal


def test_urls_that_differ_only_in_form_are_one_source():
    assert identity(url="https://Example.org:443/a#top") == identity(url="https://example.org/a")
    assert identity(url="https://example.org/a/") != identity(url="https://example.org/a")
    assert identity(url="https://example.org/A") != identity(url="https://example.org/a")


def test_title_fallback_casefolds_and_uses_work_else_publisher():
    assert identity(title="Tajikistan's Russians", work="RFE/RL", date="2019") == identity(
        title="TAJIKISTAN'S RUSSIANS", work="rfe/rl", date="2019"
    )
    assert identity(title="A", publisher="P", date="2019") == identity(title="a", work="P", date="2019")
    assert identity(title="A", work="W", date="2019") != identity(title="A", work="W", date="2020")
    assert identity(title="A", work="W") != identity(title="A", work="X")


@pytest.mark.django_db
def test_source_clean_sets_the_identity_and_refuses_unsafe_urls():
    source = Source(title="A page", url="https://Example.org/a", slug="a-page")
    source.full_clean(exclude=["identity"])
    assert source.identity == identity(url="https://example.org/a")
    source.save()
    assert source.get_absolute_url() == "/sources/a-page/"
    assert str(source) == "A page"

    bad = Source(title="Bad", url="javascript:alert(1)", date="2019-13", slug="bad")
    with pytest.raises(ValidationError) as error:
        bad.full_clean(exclude=["identity"])
    assert set(error.value.message_dict) == {"url", "date"}
    assert "javascript: URL is not allowed" in error.value.message_dict["url"][0]


@pytest.mark.django_db
def test_reference_and_population_figure_checks():
    article = Article.objects.create(title="Russians in Tajikistan", slug="russians-in-tajikistan")
    source = Source.objects.create(title="Census", identity=identity(title="Census"), slug="census")
    reference = ArticleReference(article=article, source=source, key="Census 2010")
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "may only hold lowercase letters" in error.value.message_dict["key"][0]
    reference.key = "census2010"
    reference.full_clean()
    assert str(reference) == "[^census2010] Census"

    figure = PopulationFigure(article=article, year=2010, count=34_000, low=40_000, high=30_000,
                              method=PopulationFigure.Method.CENSUS, source=source, locator="p. 3")
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert set(error.value.message_dict) == {"low", "high"}
    figure.low, figure.high = 30_000, 40_000
    figure.full_clean()
    figure.save()
    assert list(source.population_figures.all()) == [figure]


@pytest.mark.django_db
def test_a_second_row_for_one_source_is_a_validation_error():
    Source.objects.create(
        title="The Railway", isbn="978-0-00-000000-2", slug="the-railway",
        identity=identity(isbn="9780000000002"),
    )
    again = Source(title="The Railway (2nd printing)", isbn="0-00-000000-0", slug="again")
    with pytest.raises(ValidationError) as error:
        again.full_clean(exclude=["identity"])
    assert error.value.messages[0].startswith("This is the source “The Railway”, already stored")
