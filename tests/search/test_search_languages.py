"""Search per language: on PostgreSQL the stored vectors follow the
article's language (migration 0020), so that "Казахстане" finds
"Казахстан"; on SQLite FTS5 splits Cyrillic and Arabic script into words
(case folded) and finds them as written. People are found by their names in
other scripts (aliases). The PostgreSQL-only tests skip on SQLite, as the
other PostgreSQL-only tests do: .ci/run runs the suite on both."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from articles import search, search_languages
from articles.models import Article
from people.models import Alias, Person, Place
from tests.search.pages import get, result_titles

pytestmark = pytest.mark.django_db

SEARCH_PAGE_QUERIES = 4  # people, places, the count, the page
ZWNJ = "\u200c"


def add(title: str, document: str, language: str = "en") -> Article:
    return Article.objects.create(
        title=title, slug=f"a-{Article.objects.count()}", status=Article.Status.PUBLISHED,
        search_document=document, language=language,
    )


def titles(query: str) -> list[str]:
    return [a.title for a in search.search_articles(query)]


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("text search configurations are PostgreSQL's (migration 0020)")


def stored_vector(article: Article) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM articles_article WHERE id = %s",
                       [article.pk])
        return cursor.fetchone()[0]


# The configuration of a language ------------------------------------------------------


@pytest.mark.parametrize("language, config", [
    ("en", "english"), ("ru", "russian"), ("fa-AF", "simple"), ("fa-af", "simple"),
    ("ps", "simple"), ("ar", "arabic"), ("zh-Hant", "simple"), ("pt-BR", "portuguese"),
])
def test_a_language_has_its_configuration_or_simple(language, config):
    assert search_languages.search_config(language) == config


def test_the_migration_holds_the_same_mapping_as_search():
    migration = importlib.import_module("articles.migrations.0020_search_language")
    assert migration.SEARCH_CONFIGS == search_languages.LANGUAGE_SEARCH_CONFIGS


def test_the_database_function_agrees_and_every_configuration_exists():
    postgresql_only()
    languages = [*search_languages.LANGUAGE_SEARCH_CONFIGS, "fa-AF", "ps", "zh-Hant", "EN-GB", ""]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
        assert set(search_languages.LANGUAGE_SEARCH_CONFIGS.values()) <= available
        for language in languages:
            cursor.execute("SELECT articles_search_config(%s)::text", [language])
            assert cursor.fetchone()[0] == search_languages.search_config(language), language


def test_a_query_is_parsed_with_the_configurations_its_scripts_need():
    assert search_languages.query_configs("Krasnoperov") == ["english", "simple"]
    assert search_languages.query_configs("Казахстане") == ["russian", "simple"]
    assert search_languages.query_configs("هزاره") == ["simple"]
    assert search_languages.query_configs("Kabul Кабул") == ["english", "russian", "simple"]


# PostgreSQL: the vectors and the stems --------------------------------------------------


def test_a_russian_article_is_stored_with_russian_stems_a_dari_one_as_written():
    postgresql_only()
    russian = add("Казахстан", "Казахстан — государство.", language="ru")
    dari = add("هزاره‌ها در کابل", "هزاره‌ها در کابل زندگی می‌کنند.", language="fa-AF")
    english = add("Families in Kabul", "Families live here.")
    assert "'казахста':1A,2B" in stored_vector(russian)
    assert "'государств':3B" in stored_vector(russian)
    assert "'هزاره':1A" in stored_vector(dari) and "'کابل':4A" in stored_vector(dari)
    assert "'famili':1A" in stored_vector(english)


def test_changing_the_language_makes_the_vector_again():
    postgresql_only()
    article = add("Казахстан", "Казахстан — государство.", language="en")
    assert "'государство':3B" in stored_vector(article)  # English leaves it whole
    Article.objects.filter(pk=article.pk).update(language="ru")
    assert "'государств':3B" in stored_vector(article)


def test_the_stored_vector_is_search_vector_for_a_russian_article():
    postgresql_only()
    article = add("Русские в Казахстане", "Русские живут в Казахстане.", language="ru")
    computed = (
        Article.objects.filter(pk=article.pk).annotate(v=search.SEARCH_VECTOR)
        .values_list("v", flat=True).get()
    )
    assert stored_vector(article) == computed


@pytest.mark.parametrize("query", ["Казахстане", "Казахстан", "казахстана", "КАЗАХСТАНОМ"])
def test_any_case_of_kazakhstan_finds_both_russian_articles(query):
    postgresql_only()
    add("Казахстан", "Казахстан — государство в Азии.", language="ru")
    add("Русские в Казахстане", "Русские живут в Казахстане.", language="ru")
    add("Kazakhs in Russia", "An English article about Kazakhs.")
    assert sorted(titles(query)) == ["Казахстан", "Русские в Казахстане"]


def test_an_imported_russian_article_is_found_on_the_search_page_by_another_case(client):
    """The editor's path: a wiki-text file with its Language line, imported;
    the reader searches "Казахстан" for the article that says "Казахстане"."""
    from articles.services import articles_import

    text = "= Русские в Казахстане =\n\nLanguage: ru\n\nРусские живут в Казахстане.\n"
    [result] = articles_import(sources=[("ru.txt", text.encode())])
    assert result.article.language == "ru"
    response = get(client, "Казахстан")
    if connection.vendor == "postgresql":
        assert result_titles(response) == ["Русские в Казахстане"]
        assert "Русские живут в <mark>Казахстане</mark>." in response.content.decode()
    else:  # FTS5 stems English words only: the word as written
        assert result_titles(response) == []
        assert result_titles(get(client, "казахстане")) == ["Русские в Казахстане"]


def test_the_russian_headline_marks_the_word_in_its_own_case():
    postgresql_only()
    add("Русские в Казахстане", "Русские живут в Казахстане с XIX века.", language="ru")
    [article] = search.search_articles("Казахстан")
    assert "Русские живут в <mark>Казахстане</mark> с XIX века." in article.snippet


def test_a_short_russian_stem_is_not_a_prefix():
    postgresql_only()
    add("Мирза", "Мирза — имя.", language="ru")
    add("Мир", "Мир и война.", language="ru")
    assert titles("мира") == ["Мир"]


def test_an_english_query_still_finds_english_stems_only():
    postgresql_only()
    add("Families in Kabul", "Families live in Kabul.")
    add("Familiar faces", "Familiar faces in Herat.")
    assert titles("family") == ["Families in Kabul"]


def test_the_search_page_takes_four_queries_for_a_russian_query(client,
                                                                 django_assert_num_queries):
    add("Русские в Казахстане", "Русские живут в Казахстане.", language="ru")
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        response = get(client, "Казахстане")
    assert result_titles(response) == ["Русские в Казахстане"]


def test_the_gin_index_answers_a_russian_query():
    postgresql_only()
    add("Русские в Казахстане", "Русские живут в Казахстане.", language="ru")
    Article.objects.bulk_create(
        Article(title=f"Filler {n}", slug=f"filler-{n}", status=Article.Status.PUBLISHED,
                search_document=f"Filler {n}, nothing in particular.")
        for n in range(3000)  # three entries in the tsquery: the index must beat the status's
    )
    sql, params = search.search_articles("Казахстане").queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [search.SEARCH_INDEX_NAME])
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {search.SEARCH_INDEX_NAME}" in plan, plan


# Both databases: words in every script ----------------------------------------------------


def test_a_cyrillic_word_is_found_in_any_letter_case():
    add("Русские в Казахстане", "Русские живут в Казахстане.", language="ru")
    add("Russians in Kazakhstan", "Russians live in Kazakhstan.")
    assert titles("казахстане") == ["Русские в Казахстане"]
    assert titles("РУССКИЕ ЖИВУТ") == ["Русские в Казахстане"]
    assert titles("Kazakhstan") == ["Russians in Kazakhstan"]


def test_a_dari_word_with_its_joiner_is_found_and_the_page_shows_it(client):
    add(f"هزاره{ZWNJ}ها در کابل", f"هزاره{ZWNJ}ها در کابل زندگی می{ZWNJ}کنند.",
        language="fa-AF")
    add("پشتون‌ها در قندهار", "پشتون‌ها در قندهار.", language="ps")
    query = f"می{ZWNJ}کنند"
    assert search.clean_query(query) == query
    assert titles(query) == [f"هزاره{ZWNJ}ها در کابل"]
    assert titles("قندهار") == ["پشتون‌ها در قندهار"]
    response = get(client, f"هزاره{ZWNJ}ها")
    assert result_titles(response) == [f"هزاره{ZWNJ}ها در کابل"]


def test_a_joiner_outside_a_word_is_a_space_and_other_format_characters_too():
    assert search.clean_query(f"{ZWNJ}کابل{ZWNJ}") == "کابل"
    assert search.clean_query(f"کابل {ZWNJ} هرات") == "کابل هرات"
    assert search.clean_query("کابل\u202eهرات") == "کابل هرات"


# People by their names in other scripts ----------------------------------------------------


def test_a_cyrillic_and_an_arabic_script_alias_find_the_person(client):
    person = Person.objects.create(name="Alexander Petrov", slug="alexander-petrov")
    Alias.objects.create(person=person, name="Александр Петров")
    Alias.objects.create(person=person, name="الکساندر پتروف")
    Person.objects.create(name="Someone Else", slug="someone-else")
    found_by = [("Александр", "Александр Петров"), ("александр", "Александр Петров"),
                ("АЛЕКСАНДР петров", "Александр Петров"), ("پتروف", "الکساندر پتروف")]
    for query, alias in found_by:
        [found] = search.search_people(query)
        assert (found.name, found.matched_alias) == ("Alexander Petrov", alias), query
    content = get(client, "Александр").content.decode()
    assert "Alexander Petrov</a> — also known as Александр Петров" in content


def test_a_place_named_in_cyrillic_is_found_in_any_case():
    Place.objects.create(name="Алматы", slug="almaty", kind=Place.Kind.CITY)
    Place.objects.create(name="Almaty", slug="almaty-latin", kind=Place.Kind.CITY)
    assert [p.name for p in search.search_places("алматы")] == ["Алматы"]
    assert [p.name for p in search.search_places("АЛМАТЫ")] == ["Алматы"]


def test_an_alias_with_a_joiner_is_found_by_it():
    person = Person.objects.create(name="Abdul Ali Mazari", slug="abdul-ali-mazari")
    Alias.objects.create(person=person, name=f"عبدالعلی مزاری هزاره{ZWNJ}ها")
    [found] = search.search_people(f"هزاره{ZWNJ}ها")
    assert found.matched_alias == f"عبدالعلی مزاری هزاره{ZWNJ}ها"
