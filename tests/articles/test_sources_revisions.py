"""Sources and citations in revisions: the bulk writer stores them as
django-reversion does, a revert restores them, and the history diff shows
the references and citations added and removed."""

import json

import pytest
from django.core import serializers
from reversion.models import Version
from reversion.revisions import _get_options

from articles import revision_diff
from articles.infobox import ARTICLE_ROWS
from articles.models import Article, ArticleReference, Citation, Source
from articles.services import (
    RevertRefused,
    article_export,
    article_revert,
    article_revision_save,
    articles_import,
)
from tests.articles.test_sources_import_export import EXAMPLE

pytestmark = pytest.mark.django_db

# The example without the news article, and another page for the book.
CHANGED = (
    EXAMPLE.replace("Text.[^smith|pp. 50–52][^rferl]", "Text.[^smith|p. 51]")
    .split("- [^rferl]")[0]
)


def imported(text: str = EXAMPLE) -> Article:
    [result] = articles_import(sources=[("tajikistan.txt", text.encode())])
    return Article.objects.with_document().get(pk=result.article_id)


def assert_versions_are_what_the_serializer_writes(versions, objects):
    stored = {(v.content_type.model_class(), v.object_id): v for v in versions}
    assert len(stored) == len(objects)
    for obj in objects:
        version = stored[(type(obj), str(obj.pk))]
        expected = serializers.serialize("json", [obj], fields=_get_options(type(obj)).fields)
        assert version.serialized_data == expected
        assert json.loads(version.serialized_data)[0]["pk"] == obj.pk
        assert version.object_repr == str(obj)


def test_an_imported_revision_holds_the_references_and_citations_as_reversion_would():
    article = imported()
    # All but the text's citations, which the lead and sections hold.
    objects = [article] + [
        row for related in ARTICLE_ROWS for row in getattr(article, related).all()
        if not (isinstance(row, Citation) and not row.place.startswith("infobox"))
    ]
    revision = Version.objects.get_for_object(article).first().revision
    versions = list(revision.version_set.all())
    models = sorted(v.content_type.model for v in versions)
    assert models.count("articlereference") == 3
    assert models.count("citation") == 1
    assert Citation.objects.filter(article=article).count() == 5
    assert "source" not in models  # sources are shared: they have revisions of their own
    assert_versions_are_what_the_serializer_writes(versions, objects)
    texts = {v.object_repr for v in versions}
    assert "[^smith] The Railway and the Steppe" in texts
    assert "[^smith|pp. 50–52] in section:0" not in texts
    assert "[^census2010] in infobox:Population" in texts

    # A save by hand (django-reversion's follow) holds the same rows.
    by_hand = article_revision_save(article=article, comment="By hand")
    assert sorted(v.content_type.model for v in by_hand.version_set.all()) == models
    assert_versions_are_what_the_serializer_writes(list(by_hand.version_set.all()), objects)


def test_a_source_made_by_an_import_has_a_revision_as_reversion_would_write_it():
    imported()
    for source in Source.objects.all():
        [version] = Version.objects.get_for_object(source)
        assert_versions_are_what_the_serializer_writes([version], [source])
        assert version.revision.comment == "Imported from tajikistan.txt"


def test_revert_restores_the_references_and_citations():
    article = imported()
    first = Version.objects.get_for_object(article).first().revision
    imported(CHANGED)
    assert list(article.references.values_list("key", flat=True)) == ["census2010", "smith"]
    assert Citation.objects.filter(article=article).count() == 4

    article_revert(article=article, revision=first)

    article = Article.objects.with_document().get(pk=article.pk)
    assert article_export(article=article) == EXAMPLE
    assert [str(c) for c in article.citations.all()] == [
        "[^census2010] in infobox:Population", "[^census2010] in lead", "[^smith|p. 42] in lead",
        "[^smith|pp. 50–52] in section:0", "[^rferl] in section:0",
    ]
    # The shared source is the same row, not a copy.
    assert Source.objects.count() == 3
    assert 'id="cite-ref-rferl-0"><a href="#cite-note-rferl"' in article.sections.get().body_html


def test_revert_to_a_revision_whose_source_was_deleted_is_refused():
    article = imported()
    first = Version.objects.get_for_object(article).first().revision
    imported(CHANGED)
    Source.objects.filter(title="Tajikistan's Russians").delete()

    with pytest.raises(RevertRefused) as error:
        article_revert(article=article, revision=first)

    assert str(error.value) == (
        f"Revision {first.pk} cannot be restored: its reference [^rferl] cites the source "
        "“Tajikistan's Russians”, which has been deleted since. Edit the article instead of "
        "reverting."
    )

    assert list(article.references.values_list("key", flat=True)) == ["census2010", "smith"]
    assert ArticleReference.objects.count() == 2
    assert Citation.objects.count() == 4


def test_history_shows_references_and_citations_added_and_removed():
    article = imported()
    first = Version.objects.get_for_object(article).first().revision
    imported(CHANGED)
    second = Version.objects.get_for_object(article).first().revision

    old, new = revision_diff.state_of(first), revision_diff.state_of(second)
    assert old.references == (
        "[^census2010] Population census of the Republic of Tajikistan 2010 (web), "
        "accessed 2023-05-01\n"
        "[^smith] The Railway and the Steppe (book)\n"
        "[^rferl] Tajikistan's Russians (news)"
    )
    assert old.citations == (
        "[^census2010] in the infobox (Population)\n"
        "[^census2010] in the lead\n"
        "[^smith|p. 42] in the lead\n"
        "[^smith|pp. 50–52] in History\n"
        "[^rferl] in History"
    )
    changes = {c.label: c for c in revision_diff.diff(old, new)}
    assert changes["References"].kind == "changed"
    assert changes["References"].html.endswith(
        "(book)<del>\n[^rferl] Tajikistan&#x27;s Russians (news)</del>"
    )
    assert changes["Citations"].html == (
        "[^census2010] in the infobox (Population)\n[^census2010] in the lead\n"
        "[^smith|p. 42] in the lead\n[^smith|<del>pp</del><ins>p</ins>. <del>50–52] in History\n"
        "[^rferl</del><ins>51</ins>] in History"
    )
    assert "Section ==History==" in changes


def test_history_names_an_extra_row_and_citation_needed():
    text = EXAMPLE.replace(
        "- Population: 34,000 (2010 census) [^census2010]\n",
        "- Population: 34,000 (2010 census) [^census2010]\n- Footnote: estimates vary [^?]\n",
    )
    article = imported(text)
    state = revision_diff.state_of(Version.objects.get_for_object(article).first().revision)
    assert state.citations.split("\n")[:2] == [
        "[^census2010] in the infobox (Population)", "[^?] in the infobox (Footnote)",
    ]


def test_an_older_revision_holding_the_texts_citations_as_rows_lists_each_use_once():
    import reversion

    article = imported()
    # Before the text's citations were left out, django-reversion's follow
    # stored every Citation row; such revisions still read the same.
    with reversion.create_revision():
        for row in [article, *(r for related in ARTICLE_ROWS for r in getattr(article, related).all())]:
            reversion.add_to_revision(row)
    older = Version.objects.get_for_object(article).first().revision
    assert sum(v.content_type.model == "citation" for v in older.version_set.all()) == 5

    assert revision_diff.state_of(older).citations == (
        "[^census2010] in the infobox (Population)\n"
        "[^census2010] in the lead\n"
        "[^smith|p. 42] in the lead\n"
        "[^smith|pp. 50–52] in History\n"
        "[^rferl] in History"
    )
