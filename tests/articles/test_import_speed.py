"""What the import does to be fast (issue 12's bench target) writes what the
slower, general paths wrote: rows_insert what bulk_create writes, new_row
what the model's constructor makes, the checks it leaves to the parser
those the parser makes, and the documents the check keeps the ones the
import would parse again."""

import datetime
import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import encoding

from articles.models import (
    Article,
    ArticleReference,
    Citation,
    PlaceMention,
    Section,
    SeeAlso,
    Source,
)
from articles.models.article import validate_body, validate_title
from articles.services import ImportFailed, articles_import, importing, revisions
from articles.services.import_names import new_row, rows_insert, values_insert
from articles.services.import_rows import PARSER_CHECKED
from articles.wikitext.document import MAX_LINE_LENGTH
from people.models import Place
from tests.articles.test_import_batches import files, snapshot

pytestmark = pytest.mark.django_db


def stored(model, pk):
    """A row as the database holds it, every column."""
    return model.objects.filter(pk=pk).values().get()


def test_rows_insert_writes_what_bulk_create_writes():
    article = Article.objects.create(title="Tajiks in Russia", slug="tajiks-in-russia")
    place = Place.objects.create(name="Kazan", slug="kazan")
    source = Source(title="A book", identity="title:a book", slug="a-book", authors=["Ann", "Bo"])
    twin = Source(title="A book", identity="title:a book 2", slug="a-book-2", authors=["Ann", "Bo"])
    rows_insert([source])
    Source.objects.bulk_create([twin])
    assert source.pk and not source._state.adding and source._state.db == "default"
    expected = stored(Source, twin.pk)
    got = stored(Source, source.pk)
    for name in ("id", "identity", "slug", "created", "updated"):
        expected.pop(name), got.pop(name)
    assert got == expected
    assert got["authors"] == ["Ann", "Bo"]

    made = [
        Section(article=article, heading="History", level=Section.Level.SUBSECTION, body="x",
                position=0),
        new_row(Section, article=article, heading="History", level=3, body="x", position=0),
    ]
    reference = ArticleReference(article=article, key="k", source=source, extras=[["A", "b"]])
    rows_insert(made[:1])
    Section.objects.bulk_create(made[1:])
    rows_insert([reference])
    # A citation of a reference saved after it was assigned gets its id.
    citation = Citation(article=article, reference=ArticleReference(key="late", source=source,
                                                                    article=article), place="lead")
    rows_insert([citation.reference])
    rows_insert([citation])
    mention = new_row(PlaceMention, state=PlaceMention.State.FOUND, article_id=article.pk,
                      place=place)
    rows_insert([mention])

    first, second = (stored(Section, row.pk) for row in made)
    assert {**first, "id": 0} == {**second, "id": 0}
    assert first["level"] == 3
    assert stored(ArticleReference, reference.pk)["extras"] == [["A", "b"]]
    assert stored(Citation, citation.pk)["reference_id"] == citation.reference.pk
    assert stored(PlaceMention, mention.pk) == {
        "id": mention.pk, "state": "found", "article_id": article.pk, "place_id": place.pk,
    }
    assert str(mention) == "Kazan"  # the cached place, no query


def test_rows_insert_refuses_saved_rows_and_unsaved_related_rows():
    article = Article.objects.create(title="Uzbeks in Russia", slug="uzbeks-in-russia")
    with pytest.raises(ValueError, match="writes new rows only"):
        rows_insert([article])
    unsaved = Source(title="T", identity="title:t", slug="t")
    with pytest.raises(ValueError, match="unsaved related object 'source'"):
        rows_insert([ArticleReference(article=article, key="k", source=unsaved)])
    assert not ArticleReference.objects.exists()


def test_values_insert_writes_parameters_in_one_statement():
    article = Article.objects.create(title="Kazakhs in Russia", slug="kazakhs-in-russia")
    with CaptureQueriesContext(connection) as queries:
        values_insert(SeeAlso, ["position", "article_id", "target_title", "target_group",
                                "target_host"],
                      [(0, article.pk, "A", "", ""), (1, article.pk, "B in C", "B", "C")])
    assert len(queries) == 1
    assert list(article.see_also.values_list("position", "target_title", "target_id")) == [
        (0, "A", None), (1, "B in C", None),
    ]


def test_new_row_is_what_the_constructor_makes():
    source = Source(title="x", slug="x", identity="i", pk=5)
    for model, values in [
        (Section, {"heading": "H", "level": 2, "body": "b", "position": 1, "article_id": None}),
        (ArticleReference, {"key": "k", "position": 0, "source": source, "article_id": None}),
        (Source, {"title": "t", "identity": "i"}),
    ]:
        fast, slow = new_row(model, **values), model(**values)
        assert {k: v for k, v in vars(fast).items() if k != "_state"} == {
            k: v for k, v in vars(slow).items() if k != "_state"
        }
        assert fast._state.adding and fast._state.db is None
        assert fast._state.fields_cache == slow._state.fields_cache
    # A callable default is called for each row, as the constructor does.
    assert new_row(Source, title="a").authors is not new_row(Source, title="b").authors
    with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
        new_row(Section, nonsense=1)


def test_the_checks_left_to_the_parser_are_the_models_validators():
    # A validator added to these fields, or a new field, must be checked by
    # the parser or by import_rows._check_rows: this fails until one is.
    for model, fields in PARSER_CHECKED.items():
        editable = {
            f.name for f in model._meta.concrete_fields
            if f.editable and not f.primary_key and not f.is_relation
        }
        assert editable == set(fields), model
        for name, validators in fields.items():
            field = model._meta.get_field(name)
            assert tuple(v.__name__ for v in field.validators if callable(v) and hasattr(
                v, "__name__")) == validators, (model, name)
            if field.max_length is not None:
                assert field.max_length == MAX_LINE_LENGTH
    assert PARSER_CHECKED[Section]["body"] == (validate_body.__name__,)
    assert PARSER_CHECKED[SeeAlso]["target_title"] == (validate_title.__name__,)


def test_a_heading_the_parser_lets_through_is_refused_as_the_model_refuses_it():
    text = "= Tatars in Finland =\n\nLead.\n\n== History = ==\nText.\n"
    with pytest.raises(ImportFailed) as failed:
        articles_import(sources=[("tatars.txt", text.encode())])
    assert str(failed.value) == "tatars.txt: heading: May not start or end with '=' or spaces."
    assert not Article.objects.exists()


def test_revisions_pass_as_is_what_django_passes_as_is():
    assert revisions._PROTECTED + (type(None),) == tuple(
        t for t in encoding._PROTECTED_TYPES if t is not type(None)
    ) + (type(None),)
    versioned = revisions._versioned(Source)
    source = Source(title="T", identity="i", slug="t", authors=["A"], pk=3,
                    created=datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC))
    from django.core import serializers

    assert versioned.serialize(source) == serializers.serialize("json", [source])


def test_documents_kept_by_the_check_are_those_parsed_again(monkeypatch):
    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    sources = files()
    batches = [importing._parsed(sources[i : i + 2]) for i in range(0, 6, 2)]
    with importing._render_pool(None, batches=3) as pool:
        titles, kept = importing._checked_titles(sources, pool)
        assert titles == [f"Group{n}s in Testland" for n in range(6)]
        assert [read() for read in kept] == batches
        monkeypatch.setattr(importing, "KEEP_FILES", 4)
        assert [read() for read in importing._checked_titles(sources, pool)[1]] == batches[:2]
        monkeypatch.setattr(importing, "KEEP_BYTES", 0)
        assert importing._checked_titles(sources, pool)[1] == []

    articles_import(sources=sources)  # the last batch parsed again
    some_kept = snapshot()
    Article.objects.all().delete()
    monkeypatch.setattr(importing, "KEEP_BYTES", 2**30)
    monkeypatch.setattr(importing, "KEEP_FILES", 1000)
    articles_import(sources=sources)
    assert snapshot() == some_kept


def test_the_collector_is_as_it_was_after_an_import(monkeypatch):
    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    thresholds = gc.get_threshold()
    articles_import(sources=files())
    assert gc.isenabled() and gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    with pytest.raises(ImportFailed):
        articles_import(sources=[*files()[:4], ("bad.txt", b"no title\n")])
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_one_batch_import_leaves_the_collector_on_for_the_other_threads():
    seen = []
    articles_import(sources=files()[:3], on_progress=lambda result: seen.append(gc.isenabled()))
    assert seen == [True, True, True] and gc.get_freeze_count() == 0
