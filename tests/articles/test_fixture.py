"""The seed fixture and the seed text describe the same article."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Language, Religion
from articles.services import article_export, article_to_doc, articles_import
from people.models import Person, Place

pytestmark = pytest.mark.django_db


def _document_fields(article: Article) -> dict:
    """Everything the wiki-text holds, plus the stored typed rows."""
    article = Article.objects.with_document().get(pk=article.pk)
    return {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "doc": article_to_doc(article),
        "places": [(r.place.name, r.position) for r in article.place_rows.all()],
        "languages": [(r.language.name, r.position) for r in article.language_rows.all()],
        "religions": [(r.religion.name, r.position) for r in article.religion_rows.all()],
        "see_also": [(r.target_title, r.target_id, r.position) for r in article.see_also.all()],
        "sections": list(article.sections.values_list("heading", "level", "body", "position")),
    }


def test_fixture_article_equals_what_import_makes_from_the_seed(seed_bytes):
    [imported] = articles_import(sources=[("seed.txt", seed_bytes)])
    from_import = _document_fields(imported.article)
    imported.article.delete()
    for model in (Place, Language, Religion):  # so the fixture's own rows load
        model.objects.all().delete()

    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    from_fixture = _document_fields(Article.objects.get())

    assert from_fixture == from_import


def test_fixture_article_exports_to_the_seed_bytes(seed_fixture, seed_bytes):
    article = Article.objects.with_document().get(pk=seed_fixture.pk)
    assert article_export(article=article).encode("utf-8") == seed_bytes


def test_fixture_names_the_six_people_with_every_spelling_the_article_uses(seed_fixture, seed_text):
    people = {
        person.name: [alias.name for alias in person.aliases.all()]
        for person in Person.objects.prefetch_related("aliases")
    }
    assert people == {
        "Noor Mohammad": ["Sergei Yurevich Krasnoperov", "Sergei Kransnoperov", "Noormomad"],
        "Nikolai Bistrov": [],
        "Ahmad Shah Massoud": [],
        "Khakim Bakhretdinov": ["Sheikh Abdula"],
        "Alexander Levenets": ["Ahmad"],
        "Gennady Tsevma": ["Nek Mohammad"],
    }
    for name, aliases in people.items():
        for spelling in [name, *aliases]:
            assert spelling in seed_text, spelling
    assert set(seed_fixture.mentioned_people().values_list("name", flat=True)) == set(people)


def test_fixture_places_have_kinds_and_parents(seed_fixture):
    parents = dict(Place.objects.values_list("name", "parent__name"))
    assert parents["Balkh Province"] == "Afghanistan"
    assert parents["Kabul"] == "Afghanistan"
    assert parents["Chaghcharan"] == "Ghor Province"
    assert parents["Ghor Province"] == "Afghanistan"
    assert parents["Mecca"] == "Saudi Arabia"
    assert parents["Afghanistan"] is None
    kinds = dict(Place.objects.values_list("name", "kind"))
    assert kinds["Afghanistan"] == kinds["Russia"] == kinds["Uzbekistan"] == "country"
    assert kinds["Kabul"] == "city"
    mentioned = set(seed_fixture.mentioned_places().values_list("name", flat=True))
    assert mentioned == {"Afghanistan", "Russia", "Balkh Province", "Chaghcharan", "Uzbekistan",
                         "Ukraine", "Mecca", "Soviet Union", "Israel"}


def test_fixture_loads_twice_without_duplicates(seed_fixture):
    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    assert Article.objects.count() == 1
    assert Person.objects.count() == 6
    assert seed_fixture.see_also.count() == 4


def test_setup_site_loads_fixture_once_and_creates_one_admin_with_a_random_password():
    from django.contrib.auth import get_user_model

    first, second = StringIO(), StringIO()
    call_command("setup_site", stdout=first)
    article = Article.objects.get()
    article.lead = "Edited by an editor."
    article.save()
    call_command("setup_site", stdout=second)

    user = get_user_model().objects.get()
    assert user.is_superuser and user.username == "admin"
    password = first.getvalue().split("password:")[1].split()[0]
    assert len(password) >= 16 and user.check_password(password)
    assert "password:" not in second.getvalue()
    assert Article.objects.get().lead == "Edited by an editor."  # a second run loses no edit
    assert "fixtures not loaded" in second.getvalue()
    from reversion.models import Version

    [version] = Version.objects.get_for_object(article)
    assert version.revision.get_comment() == "Loaded from fixtures/seed.json"
