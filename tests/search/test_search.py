"""Site search (/search/?q=): articles, people and places, on SQLite (ranked
fallback) and on PostgreSQL (full-text search with a GIN index)."""

import html
import importlib
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from articles import search
from articles.models import Article
from articles.services import articles_import
from people.models import Alias, Person, Place
from tests.search.pages import SEARCH_URL, get, result_titles

pytestmark = pytest.mark.django_db

INDEX_NAME = "articles_article_search_idx"
# people, places, count of matching articles, the page of articles
SEARCH_PAGE_QUERIES = 4


def wiki(title: str, lead: str = "", sections: tuple[tuple[str, str], ...] = ()) -> bytes:
    text = f"= {title} =\n\n{lead}\n"
    for heading, body in sections:
        text += f"\n=={heading}==\n{body}\n"
    return text.encode()


def import_articles(*docs: bytes) -> list[Article]:
    results = articles_import(sources=[(f"doc{i}.txt", doc) for i, doc in enumerate(docs)])
    return [result.article for result in results]


@pytest.fixture
def seed_article(seed_bytes) -> Article:
    """The seed article, imported after its person exists so that the import
    finds the mention and puts the person's aliases in the search document.
    (Built here rather than from fixtures/seed.json, which is being
    regenerated.)"""
    noor = Person.objects.create(name="Noor Mohammad", slug="noor-mohammad")
    Alias.objects.create(person=noor, name="Sergei Yurevich Krasnoperov")
    [article] = import_articles(seed_bytes)
    return article


# Finding things --------------------------------------------------------------


def test_url_name_search_is_the_search_page():
    assert reverse("search") == SEARCH_URL


def test_krasnoperov_finds_noor_mohammad_by_alias_and_the_seed_article(client, seed_article):
    [person] = search.search_people("Krasnoperov")
    assert person.name == "Noor Mohammad"
    assert person.matched_alias == "Sergei Yurevich Krasnoperov"
    assert [a.title for a in search.search_articles("Krasnoperov")] == ["Russians in Afghanistan"]

    response = get(client, "Krasnoperov")
    content = response.content.decode()
    assert "Noor Mohammad</a> — also known as Sergei Yurevich Krasnoperov" in content
    assert f'<a href="{person.get_absolute_url()}" dir="auto">Noor Mohammad</a>' in content
    assert result_titles(response) == ["Russians in Afghanistan"]
    assert "<mark>Krasnoperov</mark>" in content


def test_person_found_by_own_name_shows_no_alias(client, seed_article):
    [person] = search.search_people("noor mohammad")
    assert person.name == "Noor Mohammad"
    assert person.matched_alias is None
    content = get(client, "Noor Mohammad").content.decode()
    assert "Noor Mohammad</a>" in content
    assert "also known as" not in content


def test_person_found_when_every_word_is_in_one_alias(seed_article):
    [person] = search.search_people("sergei krasnoperov")
    assert (person.name, person.matched_alias) == ("Noor Mohammad", "Sergei Yurevich Krasnoperov")
    assert search.search_people("krasnoperov mohammad") == []


def test_kabul_finds_the_article_and_the_place(client, seed_article):
    assert [p.name for p in search.search_places("kabul")] == ["Kabul"]
    response = get(client, "Kabul")
    content = response.content.decode()
    kabul = Place.objects.get(name="Kabul")
    assert f'<a href="{kabul.get_absolute_url()}" dir="auto">Kabul</a>' in content
    assert result_titles(response) == ["Russians in Afghanistan"]


def test_title_match_ranks_above_section_only_match(client):
    import_articles(
        wiki("Koreans in Uzbekistan", "A community of Koreans.",
             (("History", "Many settled around Tashkent after 1937."),)),
        wiki("Uzbeks in Tashkent", "A community of Uzbeks."),
    )
    ranked = list(search.search_articles("Tashkent"))
    assert [a.title for a in ranked] == ["Uzbeks in Tashkent", "Koreans in Uzbekistan"]
    assert ranked[0].rank > ranked[1].rank
    assert result_titles(get(client, "tashkent")) == ["Uzbeks in Tashkent", "Koreans in Uzbekistan"]


def test_word_only_in_a_section_body_finds_the_article_with_a_marked_snippet(client):
    import_articles(
        wiki("Persians in Oman", "A trading community.",
             (("Trade", "The old bazaar sells saffron and silk."),)),
        wiki("Baluch in Oman", "Another community."),
    )
    [article] = search.search_articles("saffron")
    assert article.title == "Persians in Oman"
    assert "<mark>saffron</mark>" in article.snippet
    response = get(client, "saffron")
    assert result_titles(response) == ["Persians in Oman"]
    assert "<mark>saffron</mark>" in response.content.decode()


def test_every_word_must_match():
    import_articles(
        wiki("Persians in Oman", "Saffron traders.", (("Trade", "Silk too."),)),
        wiki("Baluch in Oman", "Saffron growers."),
    )
    assert [a.title for a in search.search_articles("saffron silk")] == ["Persians in Oman"]


def test_drafts_are_never_found(client):
    [draft] = import_articles(wiki("Marsupials in Quokkaland", "Quokka quokka quokka."))
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    assert list(search.search_articles("quokka")) == []
    assert search.search_articles("quokka").count() == 0
    response = get(client, "quokka")
    assert result_titles(response) == []
    assert "Marsupials in Quokkaland" not in response.content.decode()
    assert "No articles match “quokka”." in response.content.decode()


def test_hostile_text_comes_out_escaped_in_the_snippet(client):
    hostile = "<script>alert(1)</script>"
    import_articles(wiki("Hostiles in Testland", f"Smugglers wrote {hostile} on walls."))
    [article] = search.search_articles("smugglers")
    assert "<mark>Smugglers</mark>" in article.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article.snippet
    assert "<script" not in article.snippet
    # The snippet's only markup is <mark>.
    assert set(re.findall(r"</?[a-z]+", article.snippet)) == {"<mark", "</mark"}
    content = get(client, "smugglers").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert" not in content

    # Searching for the hostile text itself: a normal page, echoed escaped.
    # SQLite's fallback finds it as a substring; PostgreSQL's text parser
    # leaves what is inside <script> out of the vector, so nothing matches.
    response = get(client, hostile)
    content = response.content.decode()
    assert "<script>alert" not in content
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in content
    if connection.vendor == "sqlite":
        [article] = search.search_articles(hostile)
        assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in article.snippet
        assert result_titles(response) == ["Hostiles in Testland"]
    else:
        assert result_titles(response) == []


def test_snippet_is_a_window_around_the_first_match():
    document = " ".join(f"w{i}" for i in range(100)) + " Needle & <b> " + " ".join(
        f"v{i}" for i in range(100)
    )
    text = search.snippet(document, ["needle", "<b>"])
    assert text.startswith("… w90 ")
    assert "<mark>Needle</mark> &amp; <mark>&lt;b&gt;</mark>" in text
    assert text.endswith(" …")
    assert len(text.replace("… ", "").replace(" …", "").split()) == search.SNIPPET_WORDS


def test_headline_keeps_only_mark_tags():
    start, stop = "\ue000", "\ue001"
    marked = search.mark_headline(f"&lt;i&gt;{start}word{stop}&lt;/i&gt; &amp;amp; {stop}x{start}")
    assert marked == "&lt;i&gt;<mark>word</mark>&lt;/i&gt; &amp;amp; x"


# Empty, long and odd queries ------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "\x00\x01"}])
def test_empty_query_is_a_page_inviting_a_search(client, seed_article, params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Search the encyclopedia</h1>" in content
    assert 'name="q" value=""' in content
    assert "Search articles, people and places" in content
    assert "search-results" not in content
    assert "Russians in Afghanistan" not in content


def test_very_long_query_is_cut_to_200_characters(client, seed_article):
    response = get(client, "a" * 5000)
    content = response.content.decode()
    assert f'value="{"a" * 200}"' in content
    assert "a" * 201 not in content
    assert search.clean_query("b" * 5000) == "b" * search.MAX_QUERY_LENGTH == "b" * 200


@pytest.mark.parametrize(
    "query",
    ['"', "'", "&|!", ":*", "%", "_", "\\", "\\\\", "<script>", "a\x00b", "!!(", "-", "or",
     "'; DROP TABLE articles_article; --", "a:* & !b", "%_%", "\u202e", "“quoted”"],
)
def test_odd_queries_give_a_normal_page_with_the_query_echoed_escaped(client, seed_article, query):
    response = get(client, query)
    content = response.content.decode()
    echoed = search.clean_query(query)
    assert f'name="q" value="{html.escape(echoed)}"' in content
    if query in {"%", "_", "%_%", "\\", "&|!", ":*"}:  # never a wildcard
        assert result_titles(response) == []
    assert Article.objects.filter(title="Russians in Afghanistan").exists()


def test_control_characters_are_stripped_from_the_query():
    assert search.clean_query("a\x00b\tc\n") == "a b c"
    assert search.query_words(" ".join(f"w{i}" for i in range(15))) == [
        f"w{i}" for i in range(10)
    ]


# Pagination and query counts ---------------------------------------------------------


def _matching(count: int) -> None:
    import_articles(*(
        wiki(f"Group{n:02} in Wombatland", f"Every group {n} here keeps wombats.")
        for n in range(count)
    ))


def test_results_are_paginated_20_per_page_and_keep_the_query(client):
    _matching(30)
    first = get(client, "wombats")
    assert len(result_titles(first)) == 20
    assert "30 articles found." in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?q=wombats&amp;page=2"' in first.content.decode()

    second = get(client, "wombats", page=2)
    assert len(result_titles(second)) == 10
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    assert 'href="?q=wombats&amp;page=1"' in second.content.decode()

    assert result_titles(get(client, "wombats", page=99)) == result_titles(second)
    assert result_titles(get(client, "wombats", page="x")) == result_titles(first)


@pytest.mark.parametrize("matching", [1, 30])
def test_search_page_query_count_does_not_grow_with_results(
    client, django_assert_num_queries, matching
):
    _matching(matching)
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        response = get(client, "wombats")
    assert len(result_titles(response)) == min(matching, 20)


def test_empty_query_makes_no_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        get(client, "")


# The GIN index (PostgreSQL) --------------------------------------------------------


def _index_exists() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [INDEX_NAME])
        else:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [INDEX_NAME])
        return cursor.fetchone() is not None


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Rows inserted by earlier (rolled back) tests stay in the GIN index's
        # pending list and make it look costlier than it is.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX_NAME])
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_search_index_is_used_on_postgresql_and_absent_elsewhere(seed_article):
    """Runs on both databases: on PostgreSQL the planner uses the GIN index
    for the search query (so the index expression is the query's); on SQLite
    migration 0002 created nothing."""
    results = search.search_articles("Krasnoperov")
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        assert not _index_exists()
        assert [a.title for a in results] == ["Russians in Afghanistan"]
        return
    assert _index_exists()
    # Enough published articles that filtering on status alone is not cheaper.
    Article.objects.bulk_create(
        Article(title=f"Filler {n}", slug=f"filler-{n}", status=Article.Status.PUBLISHED,
                search_document=f"Filler {n}, an article about nothing in particular.")
        for n in range(200)
    )
    assert [a.title for a in results] == ["Russians in Afghanistan"]
    plan = _plan(results.queryset)
    assert f"Bitmap Index Scan on {INDEX_NAME}" in plan, plan
    # Control: a vector the index was not built on cannot use it.
    from django.contrib.postgres.search import SearchQuery, SearchVector

    other = Article.objects.published().annotate(
        search=SearchVector("title", "search_document", config="simple")
    ).filter(search=SearchQuery("Krasnoperov", config="simple"))
    assert INDEX_NAME not in _plan(other)


def test_search_index_migration_reverses_and_reapplies():
    migration = importlib.import_module("articles.migrations.0002_search_index")
    assert migration.INDEX_NAME == search.SEARCH_INDEX_NAME == INDEX_NAME
    if connection.vendor != "postgresql":
        # SQLite: both directions are no-ops; they execute no SQL at all.
        executed = []
        editor = SimpleNamespace(connection=connection, execute=executed.append)
        migration.drop_index(None, editor)
        migration.create_index(None, editor)
        assert executed == []
        assert not _index_exists()
        return
    assert _index_exists()
    # DDL is transactional on PostgreSQL: the test's transaction undoes this.
    with connection.schema_editor(atomic=False) as editor:
        migration.drop_index(None, editor)
    assert not _index_exists()
    with connection.schema_editor(atomic=False) as editor:
        migration.create_index(None, editor)
    assert _index_exists()
