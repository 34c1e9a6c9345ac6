"""Site search with many articles: bounded work whatever the number of
matches (a capped count, cheap ranking beyond RESULT_LIMIT matches, headlines
for the shown rows only, computed from a window of the document), and the
stored vectors of migration 0005 (PostgreSQL) kept up to date by a trigger.

RESULT_LIMIT is lowered in most tests so that a few articles stand for
"more than 1,000"; the code reads it at call time."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.db import connection

from articles import search
from articles.models import Article
from tests.search.pages import get, result_titles

pytestmark = pytest.mark.django_db

SEARCH_PAGE_QUERIES = 4  # people, places, capped count, the page


def add(title: str, document: str, status: str = Article.Status.PUBLISHED) -> Article:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return Article.objects.create(title=title, slug=slug, status=status, search_document=document)


def add_many(count: int, document: str, prefix: str = "Group") -> None:
    Article.objects.bulk_create(
        Article(
            title=f"{prefix} {n:04} in Wombatland",
            slug=f"{prefix.lower()}-{n:04}-in-wombatland",
            status=Article.Status.PUBLISHED,
            search_document=f"{prefix} {n:04} in Wombatland\n{document}",
        )
        for n in range(count)
    )


@pytest.fixture
def limit(monkeypatch):
    monkeypatch.setattr(search, "RESULT_LIMIT", 25)
    return 25


# Query counts --------------------------------------------------------------------


@pytest.mark.parametrize("matching", [1, 24, 25, 26, 60])
def test_search_page_makes_four_queries_below_and_above_the_limit(
    client, django_assert_num_queries, limit, matching
):
    add_many(matching, "Every group here keeps wombats.")
    add_many(10, "Nothing to see.", prefix="Other")
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        response = get(client, "wombats")
    assert len(result_titles(response)) == min(matching, 20)
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        second = get(client, "wombats", page=2)
    assert len(result_titles(second)) == (min(matching, limit) - 20 if matching > 20 else matching)


def test_count_query_stops_after_limit_plus_one_rows(limit):
    add_many(60, "Every group here keeps wombats.")
    results = search.search_articles("wombats")
    [sql] = _captured(results.count)
    assert "COUNT(" in sql.upper() and f"LIMIT {limit + 1}" in sql.upper()
    assert results.count() == limit and results.more is True
    assert _captured(results.count) == []  # counted once


def _captured(call) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return [q["sql"] for q in ctx.captured_queries]


# More than RESULT_LIMIT matches ---------------------------------------------------


def test_more_than_the_limit_says_so_and_shows_only_the_limit(client, limit):
    add_many(60, "Every group here keeps wombats.")
    response = get(client, "wombats")
    content = response.content.decode()
    assert f"More than {limit} articles found; the first {limit} are shown." in content
    assert "articles found." not in content.replace(f"More than {limit} articles found", "")
    assert "Page 1 of 2" in content  # 25 shown, 20 a page
    last = get(client, "wombats", page=2)
    assert len(result_titles(last)) == limit - 20
    shown = result_titles(response) + result_titles(last)
    assert len(set(shown)) == limit
    results = search.search_articles("wombats")
    assert len(results) == limit
    assert results[limit:] == []
    with pytest.raises(IndexError):
        results[limit]


def test_up_to_the_limit_the_count_is_exact(client, limit):
    add_many(limit, "Every group here keeps wombats.")
    content = get(client, "wombats").content.decode()
    assert f"{limit} articles found." in content
    assert "More than" not in content
    assert search.search_articles("wombats").more is False


def test_many_matches_title_matches_first_then_by_title(client, limit):
    """Above the limit, matches are ranked by their titles only (title
    matches first, best title first), then alphabetically: no matching
    document's vector (PostgreSQL) or bm25 (SQLite) is computed."""
    add_many(40, "Every group here keeps wombats and wombats.")
    add("Wombats of Zanzibar", "Wombats of Zanzibar\nA community that keeps wombats.")
    add("Wombats in Wombats Bay", "Wombats in Wombats Bay\nThey keep wombats.")
    results = search.search_articles("wombats")
    assert results.more
    titles = [a.title for a in results[:20]]
    assert titles == ["Wombats in Wombats Bay", "Wombats of Zanzibar"] + [
        f"Group {n:04} in Wombatland" for n in range(18)
    ]
    assert results[0].rank > results[1].rank > 0
    assert results[2].rank == 0
    # The next page follows on.
    assert [a.title for a in results[20:25]] == [
        f"Group {n:04} in Wombatland" for n in range(18, 23)
    ]
    assert result_titles(get(client, "wombats")) == titles


def test_two_word_query_above_the_limit(limit):
    add_many(40, "Every group here keeps wombats and okapis.")
    add("Okapis and Wombats", "Okapis and Wombats\nwombats okapis")
    add("Wombats alone", "Wombats alone\nokapis elsewhere")
    results = search.search_articles("wombats okapis")
    assert results.more
    assert [a.title for a in results[:3]] == [
        "Okapis and Wombats", "Group 0000 in Wombatland", "Group 0001 in Wombatland"
    ]
    # Only the title of "Okapis and Wombats" holds both words; "Wombats
    # alone" comes after every "Group" alphabetically, past the limit.
    assert [a.title for a in results[:100]] == ["Okapis and Wombats"] + [
        f"Group {n:04} in Wombatland" for n in range(limit - 1)
    ]


def test_below_the_limit_full_ranking_counts_the_document(client, limit):
    add("Alpha in Wombatland", "Alpha in Wombatland\nOne wombat here.")
    add("Beta in Wombatland", "Beta in Wombatland\nWombat, wombat, wombat and a wombat.")
    assert [a.title for a in search.search_articles("wombat")] == [
        "Beta in Wombatland", "Alpha in Wombatland"
    ]


def test_drafts_are_not_counted_or_shown_above_the_limit(limit):
    add_many(30, "Every group here keeps wombats.")
    Article.objects.filter(title__startswith="Group 000").update(status=Article.Status.DRAFT)
    results = search.search_articles("wombats")
    assert results.more is False  # 20 published
    assert len(results[:40]) == 20
    assert all(not a.title.startswith("Group 000") for a in results[:40])


# Headlines -------------------------------------------------------------------------


def test_headline_comes_from_deep_in_a_long_document(client):
    filler = " ".join(f"filler{i}" for i in range(3000))  # about 30 kB
    add("Deep in Wombatland", f"Deep in Wombatland\n{filler} the rare okapi <b>& co</b> here.")
    [article] = search.search_articles("okapi")
    assert "<mark>okapi</mark>" in article.snippet
    assert "&lt;b&gt;&amp; co&lt;/b&gt;" in article.snippet
    assert set(re.findall(r"</?[a-z]+", article.snippet)) == {"<mark", "</mark"}
    assert "<mark>okapi</mark>" in get(client, "okapi").content.decode()


def test_headline_marks_a_stemmed_form_far_into_the_document():
    filler = " ".join(f"filler{i}" for i in range(3000))
    add("Kin in Wombatland", f"Kin in Wombatland\n{filler} one family stayed.")
    # One stem (lexeme) on both databases: PostgreSQL's "english"
    # configuration, SQLite's porter tokenizer.
    [article] = search.search_articles("families")
    assert "<mark>family</mark> stayed" in article.snippet
    assert "filler2999" in article.snippet


def test_two_words_far_apart_each_marked_where_shown(limit):
    filler = " ".join(f"filler{i}" for i in range(3000))
    add("Pair in Wombatland", f"Pair in Wombatland\nquokka first. {filler} then numbat last.")
    [article] = search.search_articles("numbat quokka")
    assert "<mark>quokka</mark>" in article.snippet


def test_headline_of_a_quote_and_an_ampersand_is_escaped_text():
    add("Quotes in Wombatland", "Quotes in Wombatland\nO'Brien & \"Sons\" sold okapi hides.")
    [article] = search.search_articles("okapi")
    assert "O&#x27;Brien &amp; &quot;Sons&quot; sold <mark>okapi</mark>" in article.snippet


# The stored vectors (PostgreSQL) ----------------------------------------------------


def test_vector_follows_updates_of_the_document_and_title():
    article = add("Update in Wombatland", "Update in Wombatland\nThey keep okapis.")
    assert [a.title for a in search.search_articles("okapi")] == ["Update in Wombatland"]
    # As services.search_document_update writes it: a queryset update.
    Article.objects.filter(pk=article.pk).update(search_document="Now they keep numbats.")
    assert list(search.search_articles("okapi")) == []
    assert [a.title for a in search.search_articles("numbat")] == ["Update in Wombatland"]
    Article.objects.filter(pk=article.pk).update(title="Aardvarks in Wombatland")
    assert [a.title for a in search.search_articles("aardvarks")] == ["Aardvarks in Wombatland"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_vector::text, search_title_vector::text"
                " FROM articles_article WHERE id = %s",
                [article.pk],
            )
            vector, title_vector = cursor.fetchone()
        assert "'numbat':" in vector and "'aardvark':1A" in vector
        assert title_vector == "'aardvark':1A 'wombatland':3A"


def test_migration_0005_reverses_and_reapplies():
    migration = importlib.import_module("articles.migrations.0005_search_vector")
    assert migration.INDEX_NAME == search.SEARCH_INDEX_NAME
    if connection.vendor != "postgresql":
        executed = []
        editor = SimpleNamespace(connection=connection, execute=executed.append)
        migration.remove_vectors(None, editor)
        migration.add_vectors(None, editor)
        assert executed == []
        return
    add("Before in Wombatland", "Before in Wombatland\nokapi")

    def columns() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'articles_article' AND column_name LIKE 'search%%'"
            )
            return {row[0] for row in cursor.fetchall()}

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article'"
                " AND indexname LIKE 'articles_article_search%%'"
            )
            return {row[0] for row in cursor.fetchall()}

    assert columns() == {"search_document", "search_vector", "search_title_vector"}
    assert indexes() == {migration.INDEX_NAME, migration.TITLE_INDEX_NAME}
    with connection.cursor() as cursor:  # no pending FK checks: ALTER TABLE may run
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor(atomic=False) as editor:
        migration.remove_vectors(None, editor)
    assert columns() == {"search_document"}
    assert indexes() == {migration.INDEX_NAME}  # 0002's expression index again
    with connection.schema_editor(atomic=False) as editor:
        migration.add_vectors(None, editor)
    assert columns() == {"search_document", "search_vector", "search_title_vector"}
    # Existing rows were filled, new ones are by the trigger.
    add("After in Wombatland", "After in Wombatland\nokapi")
    assert [a.title for a in search.search_articles("okapi")] == [
        "After in Wombatland", "Before in Wombatland"
    ]


def test_stored_vector_is_the_documented_expression():
    """search.SEARCH_VECTOR (the ORM expression) and the trigger agree."""
    add("Same in Wombatland", "Same in Wombatland\nThe okapis were counted twice.")
    if connection.vendor != "postgresql":
        assert [a.title for a in search.search_articles("okapis")] == ["Same in Wombatland"]
        return
    computed = (
        Article.objects.annotate(v=search.SEARCH_VECTOR).values_list("v", flat=True).get()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM articles_article")
        [(stored,)] = cursor.fetchall()
    assert stored == computed


# The FTS5 index (SQLite) --------------------------------------------------------------


def _sqlite_objects(kind: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = %s AND name LIKE 'articles_article_fts%%'",
            [kind],
        )
        return {row[0] for row in cursor.fetchall()}


def test_fts_index_and_its_triggers_exist_after_all_migrations():
    """A later migration that makes SQLite rebuild articles_article drops the
    triggers with the old table: this fails then (see migration 0006)."""
    migration = importlib.import_module("articles.migrations.0006_search_fts_sqlite")
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        executed = []
        editor = SimpleNamespace(connection=connection, execute=executed.append)
        migration.remove_index(None, editor)
        migration.add_index(None, editor)
        migration.recreate_triggers(editor)
        assert executed == []
        return
    assert "articles_article_fts" in _sqlite_objects("table")
    assert _sqlite_objects("trigger") == set(migration.TRIGGERS)


def test_fts_index_follows_inserts_updates_and_deletes():
    article = add("Sync in Wombatland", "Sync in Wombatland\nThey keep okapis.")
    Article.objects.bulk_create([
        Article(title="Bulk in Wombatland", slug="bulk", status=Article.Status.PUBLISHED,
                search_document="Bulk in Wombatland\nokapis too")
    ])
    assert [a.title for a in search.search_articles("okapi")] == [
        "Bulk in Wombatland", "Sync in Wombatland"
    ]
    Article.objects.filter(pk=article.pk).update(search_document="Now numbats.")
    assert [a.title for a in search.search_articles("okapi")] == ["Bulk in Wombatland"]
    assert [a.title for a in search.search_articles("numbat")] == ["Sync in Wombatland"]
    Article.objects.filter(title="Bulk in Wombatland").delete()
    assert list(search.search_articles("okapi")) == []
    article.title = "Aardvarks in Wombatland"
    article.save()
    assert [a.title for a in search.search_articles("aardvark")] == ["Aardvarks in Wombatland"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the index agrees with the table
            cursor.execute(
                "INSERT INTO articles_article_fts(articles_article_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )


def test_migration_0006_reverses_and_reapplies_on_sqlite():
    if connection.vendor != "sqlite":
        return  # checked by test_fts_index_and_its_triggers_exist_after_all_migrations
    migration = importlib.import_module("articles.migrations.0006_search_fts_sqlite")
    add("Kept in Wombatland", "Kept in Wombatland\nokapi")
    with connection.cursor() as cursor:
        # The SQL the migration runs, in the test's transaction (rolled back).
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.remove_index(None, editor)
        assert _sqlite_objects("table") == set() and _sqlite_objects("trigger") == set()
        migration.add_index(None, editor)  # indexes the existing rows
        assert _sqlite_objects("trigger") == set(migration.TRIGGERS)
        assert [a.title for a in search.search_articles("okapi")] == ["Kept in Wombatland"]
        cursor.execute("DROP TRIGGER articles_article_fts_update")
        migration.recreate_triggers(editor)
        assert _sqlite_objects("trigger") == set(migration.TRIGGERS)


def test_words_match_by_stem_not_by_part():
    add("Settlers in Wombatland", "Settlers in Wombatland\nThe families settled by the river.")
    for query in ("family", "Families", "settle", "settling", "rivers", "RIVER"):
        assert [a.title for a in search.search_articles(query)] == [
            "Settlers in Wombatland"
        ], query
    for query in ("sett", "amilies", "wombat"):  # parts of words are not words
        assert list(search.search_articles(query)) == [], query


def test_words_without_letters_or_digits_are_left_out():
    add("Okapis in Wombatland", "Okapis in Wombatland\nokapis")
    assert [a.title for a in search.search_articles("okapis & -- %")] == [
        "Okapis in Wombatland"
    ]
    assert list(search.search_articles("& -- %")) == []
    assert search.search_articles("& -- %").count() == 0


def test_python_snippet_marks_other_forms_of_a_word():
    document = "Before. " + " ".join(f"w{i}" for i in range(50)) + " one family (families) here."
    text = search.snippet(document, ["families"])
    assert "one family <mark>(families)</mark>" not in text
    assert "(<mark>families</mark>)" in text
    assert text.startswith("… w")
    only_stem = search.snippet(document.replace("(families) ", ""), ["families"])
    assert "one <mark>family</mark> here." in only_stem


def test_a_page_of_20_long_articles_has_each_snippet_from_deep_in_its_text(client):
    # 20 matches of 300 kB each, the words only near the end and only in
    # other forms than typed: the snippets used to read every word of every
    # document in Python (about 1 s of CPU here, 3 s at 1 MB each); now the
    # first match is a string search and only a window around it is read.
    filler = " ".join(f"word{i} of the community" for i in range(12_000))
    Article.objects.bulk_create(
        Article(
            title=f"Group {n:02} in Wombatland", slug=f"group-{n:02}-in-wombatland",
            status=Article.Status.PUBLISHED,
            search_document=(
                f"Group {n:02} in Wombatland\n{filler} then the family of group{n:02} "
                "migrated <script>alert(1)</script> and stayed."
            ),
        )
        for n in range(20)
    )
    assert len(Article.objects.first().search_document) > 300_000
    response = get(client, "families migrating")
    assert len(result_titles(response)) == 20
    content = response.content.decode()
    assert "<script>alert" not in content
    assert content.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 20
    for n in range(20):
        if connection.vendor == "sqlite":  # PostgreSQL's ts_headline cuts its own way
            assert (
                f"word11999 of the community then the <mark>family</mark> of group{n:02} "
                "<mark>migrated</mark> &lt;script&gt;alert(1)&lt;/script&gt; and stayed."
            ) in content
        else:
            assert re.search(f"<mark>family</mark> of group{n:02} <mark>migrated</mark>", content)


def test_python_snippet_window_shows_whole_words_around_a_match_deep_in_a_long_text():
    document = "x" * 5_000 + " " + " ".join(f"w{i}" for i in range(100_000)) + " the Okapi. " + "y" * 5_000
    text = search.snippet(document, ["okapi"])
    assert text.startswith("… w999") and text.endswith(" …")  # the 5,000 y's were cut: not shown
    assert len(text.split()) == search.SNIPPET_WORDS + 2
    assert "w99999 the <mark>Okapi</mark>." in text and "x" not in text and "y" not in text
    # Folding that changes lengths ("ß" is "ss") still gives a marked snippet.
    assert "<mark>Straße</mark>" in search.snippet("Die Straße " + "w " * 50, ["straße"])
