"""Revisions written in bulk (imports) hold what django-reversion itself
would store: the same serialized data and text for every object."""

import json

import pytest
from django.core import serializers
from reversion.models import Version
from reversion.revisions import _get_options

from articles.infobox import ARTICLE_ROWS
from articles.models import Article, PersonMention
from articles.services import article_revert, article_revision_save, articles_import
from people.models import Person

pytestmark = pytest.mark.django_db

TEXT = """= Uzbeks in Russia =

Infobox
- Group: Uzbeks in Russia
- Population: 12,000 (2010 est.)
- Popplace: Moscow and Kazan
- Langs: Uzbek, Russian
- Rels: Sunni Islam
- Anthem: None

Uzbeks arrived in the 1990s; “Ali Valiev” opened a school. See [[Russians in Uzbekistan]].

==History==
First paragraph with *emphasis*.

==See also==
- Russians in Uzbekistan
- Tatars in Russia
"""


def test_each_version_is_what_the_serializer_writes():
    Person.objects.create(name="Ali Valiev", slug="ali-valiev")
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = result.article
    assert article.person_mentions.count() == 1
    objects = [article] + [row for related in ARTICLE_ROWS for row in getattr(article, related).all()]
    versions = Version.objects.get_for_object(article).first().revision.version_set.all()
    stored = {(v.content_type.model_class(), v.object_id): v for v in versions}
    # article, section, 2 See also, extra row, 2 places, 2 languages, religion,
    # Ali Valiev, and Russia (named by the title)
    assert len(stored) == len(objects) == 12
    for obj in objects:
        version = stored[(type(obj), str(obj.pk))]
        expected = serializers.serialize("json", [obj], fields=_get_options(type(obj)).fields)
        assert version.serialized_data == expected
        assert json.loads(version.serialized_data)[0]["pk"] == obj.pk
        assert version.object_repr == str(obj)
        assert version.format == "json"
        # Derived text is not stored: a revert renders it again.
        assert "_html" not in version.serialized_data
        assert "search_document" not in version.serialized_data


def test_revert_restores_an_imported_article():
    Person.objects.create(name="Ali Valiev", slug="ali-valiev")
    [first] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = first.article
    revision = Version.objects.get_for_object(article).first().revision
    changed = TEXT.replace("First paragraph", "Changed paragraph").replace("- Anthem: None\n", "")
    articles_import(sources=[("uzbeks.txt", changed.encode())])
    article.refresh_from_db()
    assert article.sections.get().body.startswith("Changed paragraph")
    assert not article.extra_rows.exists()
    article_revert(article=article, revision=revision)
    article.refresh_from_db()
    assert article.sections.get().body.startswith("First paragraph")
    assert article.sections.get().body_html.startswith("<p>First paragraph with <em>emphasis</em>")
    assert 'href="/wiki/' not in article.lead_html
    assert "<span class=\"missing\" title=\"Russians in Uzbekistan: no article yet\">" in article.lead_html
    assert "Ali Valiev" in article.search_document
    assert list(article.extra_rows.values_list("key", "value")) == [("Anthem", "None")]
    assert PersonMention.objects.filter(article=article).count() == 1
    assert Version.objects.get_for_object(article).count() == 3


def test_a_single_save_is_one_revision_of_every_row():
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = Article.objects.get(pk=result.article_id)
    revision = article_revision_save(article=article, comment="By hand")
    assert revision.comment == "By hand"
    models = sorted(v.content_type.model for v in revision.version_set.all())
    assert models == sorted(
        ["article", "section", "seealso", "seealso", "infoboxrow", "populationplace",
         "populationplace", "articlelanguage", "articlelanguage", "articlereligion",
         "placemention"]  # Russia, named by the title
    )
