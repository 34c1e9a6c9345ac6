"""Site search: published articles, people and places.

Articles are found with full-text search: every word of the query (by its
stem: "families" finds "family") in the title or the search document.
On PostgreSQL from the stored vectors and GIN index of migration 0005,
ranked by ts_rank (title weight A, document B), with a ts_headline snippet;
on SQLite from the FTS5 index of migration 0006 (porter stems), ranked by
bm25 (the title weighing TITLE_WEIGHT times the document), with a snippet
made here.

Languages. On PostgreSQL each article's vectors are made with the text
search configuration of its language (migration 0020: ``russian`` for a
Russian article, ``simple`` for Dari and Pashto, which PostgreSQL has no
stemmer for). A query is not known to be in one language, so it is parsed
with each configuration of the interface languages whose stemmer changes a
word of it (search_languages.query_configs: ``english`` for Latin letters, ``russian`` for
Cyrillic) and with ``simple``, and the results OR-ed: one constant tsquery,
which the GIN index answers; each article matches by the stems its own
configuration made. (So a negated word, "-word", excludes an article only
when every configuration's reading of it does.) For Russian, stems are also forgiven (see
search_languages): "Казахстане" finds "Казахстан". On SQLite every script is
split into words the same way (unicode61: Cyrillic, Arabic script, and
case folded) but only English words are stemmed (porter): other words are
found as they are written. A run of CJK characters without spaces is one
word on both databases: it is found by the whole run (a whole title such
as "東京の日本人"), not by a part of it.

The work per search is bounded whatever the number of articles and of
matches, in four SQL queries (people, places, the count, the page):

* the count stops at RESULT_LIMIT + 1 matching articles (the page says
  "more than 1,000 articles found");
* up to RESULT_LIMIT matches are ranked fully; beyond, only the first
  RESULT_LIMIT are shown, ranked by their titles (title matches first,
  then alphabetically): no matching document's vector is read to rank it;
* headlines and snippets are made for the shown rows only, from a window
  of the document around the first occurrence of a query word (found by a
  string search in C over the document; only the window's words are read
  one by one).

Every snippet is safe HTML: the article text is escaped and only the
``<mark>`` tags around matched words are markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from people.models import Alias, Person, Place

from .models import Article
from .search_languages import tsquery_sql
from .snippets import SNIPPET_WORDS, snippet  # noqa: F401 - part of this module's API

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
MAX_NAMES = 20  # people, and places, shown for one query
TITLE_WEIGHT = 10  # SQLite: bm25 weight of the title, the document's being 1

# Matches shown at most, and counted at most (one more, to say "more than").
# Up to this many matches are ranked fully (by their documents too).
RESULT_LIMIT = 1000

# PostgreSQL: the vectors that migrations/0005_search_vector.py stores in
# columns of articles_article, search_vector and search_title_vector (a
# trigger computes them, with the row's configuration since migration 0020;
# they are no model fields). SEARCH_VECTOR is what search_vector holds; the
# GIN index "articles_article_search_idx" is on search_vector.
SEARCH_INDEX_NAME = "articles_article_search_idx"
ROW_CONFIG = Func(F("language"), function="articles_search_config")
SEARCH_VECTOR = SearchVector("title", weight="A", config=ROW_CONFIG) + SearchVector(
    "search_document", weight="B", config=ROW_CONFIG
)
STORED_VECTOR = RawSQL('"articles_article"."search_vector"', [], output_field=SearchVectorField())

# ts_headline marks matches with these; they are turned into <mark> tags
# after the headline is escaped. Private-use characters, not typed by anyone.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))

LISTED_FIELDS = ("title", "slug", "group_name", "population", "population_note")


# The zero-width non-joiner and joiner are kept between two letters: they
# are part of a Persian, Dari or Pashto word as its article and aliases
# spell it ("هزاره‌ها"); elsewhere they are format characters like others.
_JOINERS = "\u200c\u200d"
_UNSEARCHED = ("Cc", "Cf", "Cs", "Co")


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def clean_query(raw: str | None) -> str:
    """The query as searched: control and format characters (NUL, which
    PostgreSQL rejects, among them) become spaces, except a zero-width
    non-joiner or joiner between two letters; runs of white space become
    one space, and at most MAX_QUERY_LENGTH characters are kept."""
    if not raw:
        return ""
    text = raw[: MAX_QUERY_LENGTH * 4]
    kept = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _UNSEARCHED and not (
            ch in _JOINERS
            and 0 < i < len(text) - 1
            and _is_letter(text[i - 1])
            and _is_letter(text[i + 1])
        ):
            ch = " "
        kept.append(ch)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    """The words searched for: split on white space, at most MAX_WORDS."""
    return clean_query(query).split()[:MAX_WORDS]


def _case_forms(word: str) -> list[str]:
    """The forms of ``word`` that icontains compares: itself on PostgreSQL
    (UPPER() folds every script). SQLite's LIKE folds ASCII letters only, so
    that "александр" would miss "Александр": a word with other letters is
    also tried in lower case, upper case and capitalised, as names are
    written."""
    if connection.vendor == "postgresql" or word.isascii():
        return [word]
    return list(dict.fromkeys([word, word.lower(), word.upper(), word.capitalize()]))


def _all_words(field: str, words: list[str]) -> Q:
    condition = Q()
    for word in words:
        either = Q()
        for form in _case_forms(word):
            either |= Q(**{f"{field}__icontains": form})
        condition &= either
    return condition


# Articles ------------------------------------------------------------------


class ArticleResults:
    """Matching published articles, best first, as a lazy sequence for
    Paginator: ``count()`` is one query (then cached) and a slice is one
    query. Each article of a slice has ``rank`` and ``snippet`` (safe HTML).

    At most RESULT_LIMIT + 1 matches are counted and RESULT_LIMIT shown:
    when more match, ``more`` is True and ``count()`` is RESULT_LIMIT (the
    page says "more than 1,000 articles found") and the shown ones are ranked
    cheaply: those whose title matches first, by their title, then the
    others alphabetically.
    """

    def __init__(
        self,
        matches: QuerySet[Article],
        words: list[str],
        *,
        ranked: QuerySet[Article] | None = None,
        page: Callable[[int, int, bool], list[Article]] | None = None,
        counter: Callable[[int], int] | None = None,
        headline: bool = False,
    ):
        self.matches = matches  # filtered only
        # PostgreSQL: the matches ranked (no headline), as the page ranks up
        # to RESULT_LIMIT matches; else the matches.
        self.queryset = matches if ranked is None else ranked
        self.words = words
        # page(start, stop, more): rows start:stop, when not self.queryset's.
        self._page = page
        # counter(limit): how many match, counting no further than limit.
        self._counter = counter or (
            lambda limit: self.matches.order_by().values("pk")[:limit].count()
        )
        self.headline = headline  # PostgreSQL wrote the snippets: ts_headline
        self._counted: int | None = None

    def _count_up_to_limit(self) -> int:
        if self._counted is None:
            self._counted = self._counter(RESULT_LIMIT + 1) if self.words else 0
        return self._counted

    @property
    def more(self) -> bool:
        """More than RESULT_LIMIT articles match (one query, then cached)."""
        return self._count_up_to_limit() > RESULT_LIMIT

    def count(self) -> int:
        return min(self._count_up_to_limit(), RESULT_LIMIT)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: int | slice) -> Article | list[Article]:
        if isinstance(key, slice):
            if key.step not in (None, 1):
                raise ValueError("ArticleResults slices have no step.")
            start, stop, _ = key.indices(RESULT_LIMIT)  # never past the limit
            return self._slice(start, stop)
        if not 0 <= key < RESULT_LIMIT:
            raise IndexError(key)
        found = self._slice(key, key + 1)
        if not found:
            raise IndexError(key)
        return found[0]

    def _slice(self, start: int, stop: int) -> list[Article]:
        if not self.words or stop <= start:
            return []
        if self._page is not None:
            articles = self._page(start, stop, self.more)
        else:
            articles = list(self.queryset[start:stop])
        for article in articles:
            self._add_snippet(article)
        return articles

    def __iter__(self) -> Iterator[Article]:
        return iter(self[:])

    def _add_snippet(self, article: Article) -> None:
        if self.headline:
            article.snippet = mark_headline(article.headline or "")
        else:
            article.snippet = snippet(article.search_document, self.words)


def search_articles(query: str) -> ArticleResults:
    """Published articles matching ``query``, best first, with ``rank`` and
    ``snippet``."""
    words = query_words(query)
    articles = Article.objects.published()
    if not words:
        return ArticleResults(articles.none(), [])
    if connection.vendor == "postgresql":
        text = " ".join(words)
        query, params = tsquery_sql(text)
        matches = articles.filter(
            RawSQL(f'"articles_article"."search_vector" @@ {query}', params, BooleanField())
        )
        rank = RawSQL(f'ts_rank("articles_article"."search_vector", {query})', params, FloatField())
        return ArticleResults(
            matches,
            words,
            ranked=matches.annotate(rank=rank).only(*LISTED_FIELDS).order_by("-rank", "title", "pk"),
            page=lambda start, stop, more: _postgresql_page(text, words, start, stop, more=more),
            headline=True,
        )
    fts_query = _fts_query(words)
    if fts_query is None:  # no word has a letter or digit
        return ArticleResults(articles.none(), [])
    matches = articles.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query])
    )
    return ArticleResults(
        matches,
        words,
        page=lambda start, stop, more: _sqlite_page(fts_query, start, stop, more=more),
        counter=lambda limit: _sqlite_count(fts_query, limit),
    )


# PostgreSQL ------------------------------------------------------------------


# The headline is taken from a window of the search document around the
# first occurrence of a query word (matched by its first letters, as the
# stemmed lexeme is not known here) rather than from the whole document:
# ts_headline parses all the text it is given, about 1 ms for a 13 kB
# document, 25 ms for a page of 20. It marks any of the query's words found
# in the window (the article holds them all, the window may not).
HEADLINE_BEFORE = 200  # characters of the window before the first occurrence
HEADLINE_WINDOW = 800  # characters in the window: 35 words fit in it
_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, "
    f"MaxWords={SNIPPET_WORDS + 5}, MinWords={SNIPPET_WORDS - 10}"
)


def _prefixes(words: list[str]) -> list[str]:
    """What to look for in the document for each word: its first letters,
    so that "settled" finds "settlers" as the lexeme "settl" would, after a
    space or a line break, in lower case and capitalised. (Exact strings:
    lower() of a whole document costs more than the rest of the headline.)"""
    prefixes = []
    for word in words:
        word = word.lower().strip("\"'()-!|&:*<>")
        if word:
            start = word[: max(4, len(word) - 3)]
            for before in (" ", "\n"):
                prefixes += [before + start, before + start.capitalize()]
    return list(dict.fromkeys(prefixes)) or [" "]


def _window_sql(document: str, words: list[str]) -> tuple[str, list[str]]:
    """SQL for the headline's window of the text ``document``: from
    HEADLINE_BEFORE characters before the first word that starts like a
    query word (or from the start), HEADLINE_WINDOW characters."""
    prefixes = _prefixes(words)
    found = ", ".join(f"NULLIF(strpos({document}, %s), 0)" for _ in prefixes)
    start = f"GREATEST(COALESCE(LEAST({found}), 1) - {HEADLINE_BEFORE}, 1)"
    return f"substr({document}, {start}, {HEADLINE_WINDOW})", prefixes


# The document of the row "a", read (detoasted) once: each use of
# a.search_document itself in an expression reads and decompresses the
# whole text again, about 0.1 ms for 13 kB. OFFSET 0 keeps PostgreSQL from
# merging the subquery into the outer query.
_DOCUMENT_SQL = """
    CROSS JOIN LATERAL (SELECT a.search_document || '' AS doc OFFSET 0) AS d
"""


def _escaped_sql(sql: str) -> str:
    """``sql``'s text HTML-escaped, as html.escape does it, so that
    ts_headline works on text holding no markup at all."""
    for char, entity in _ENTITIES:
        literal = char.replace("'", "''")
        sql = f"replace({sql}, '{literal}', '{entity}')"
    return sql


def _headline_sql(words: list[str]) -> tuple[str, list[str]]:
    """The headline of the document of _DOCUMENT_SQL, in the configuration
    of the article's language, marking any of the query's words."""
    window, params = _window_sql("d.doc", words)
    any_word, word_params = [], []
    for word in words:
        sql, sql_params = tsquery_sql(word, parser="plainto_tsquery")
        any_word.append(sql)
        word_params += sql_params
    return (
        f"ts_headline(articles_search_config(a.language), {_escaped_sql(window)},"
        f" ({' || '.join(any_word)}), %s)",
        [*params, *word_params, _HEADLINE_OPTIONS],
    )


def _postgresql_page(
    text: str, words: list[str], start: int, stop: int, *, more: bool
) -> list[Article]:
    """Rows ``start:stop`` of the matches, best first by ts_rank of the
    stored title-and-document vector; or, ``more`` than RESULT_LIMIT
    matching, ranked without reading the matching documents' vectors: first
    those whose title matches (by ts_rank of the title vector), then the
    others by title, each part reading at most ``stop`` rows through an
    index (GIN on the title vector; the title's B-tree or the GIN index on
    the full vector, whichever the planner finds cheaper). The page's ids
    come from a subquery: headlines are computed for its rows only, not for
    the rows an OFFSET skips."""
    query, q = tsquery_sql(text)
    published = Article.Status.PUBLISHED
    if not more:
        ids = f"""
            SELECT id, title, 0 AS part, ts_rank(search_vector, {query}) AS rank
            FROM articles_article
            WHERE status = %s AND search_vector @@ {query}
            ORDER BY rank DESC, title, id LIMIT %s OFFSET %s
        """
        params = [*q, published, *q, stop - start, start]
    else:
        ids = f"""
            SELECT * FROM (
                (SELECT id, title, 0 AS part, ts_rank(search_title_vector, {query}) AS rank
                 FROM articles_article
                 WHERE status = %s AND search_title_vector @@ {query}
                     AND search_vector @@ {query}
                 ORDER BY rank DESC, title, id LIMIT %s)
                UNION ALL
                (SELECT id, title, 1 AS part, 0.0::real AS rank
                 FROM articles_article
                 WHERE status = %s AND search_vector @@ {query}
                     AND NOT search_title_vector @@ {query}
                 ORDER BY title, id LIMIT %s)
            ) ranked
            ORDER BY part, rank DESC, title, id LIMIT %s OFFSET %s
        """
        params = [
            *q, published, *q, *q, stop,
            published, *q, *q, stop,
            stop - start, start,
        ]
    headline, headline_params = _headline_sql(words)
    columns = ", ".join(f"a.{name}" for name in ("id", *LISTED_FIELDS))
    sql = f"""
        SELECT {columns}, page.rank, {headline} AS headline
        FROM ({ids}) page JOIN articles_article a ON a.id = page.id
        {_DOCUMENT_SQL}
        ORDER BY page.part, page.rank DESC, page.title, page.id
    """
    return list(Article.objects.raw(sql, [*headline_params, *params]))


# SQLite ----------------------------------------------------------------------

FTS_TABLE = "articles_article_fts"  # migrations/0006_search_fts_sqlite.py
_TOKEN_CHARACTER = re.compile(r"[^\W_]")


def _fts_query(words: list[str]) -> str | None:
    """The FTS5 query: every word, as a phrase of its tokens (FTS5 splits
    and stems it as it did the documents: "wombat" finds "wombats"). Words
    without a letter or digit are left out (as PostgreSQL's parser leaves
    them out); None if that is all of them. (Not prefix queries, "word"*:
    FTS5 merges the lists of every word with that start before it returns
    the first row, 25 ms for a word in most articles.)"""
    phrases = [
        '"' + word.replace('"', '""') + '"'
        for word in words
        if _TOKEN_CHARACTER.search(word)
    ]
    return " AND ".join(phrases) or None


# CROSS JOIN: SQLite then reads the full-text index first and looks the
# articles up by id. With a plain JOIN its planner may walk the published
# articles (the status index) and test each against the index: 0.3-1 s at
# 10,000 articles instead of milliseconds.


def _sqlite_count(fts_query: str, limit: int) -> int:
    """Matching published articles, counting no further than ``limit``:
    the rows come from the index one by one and stop there."""
    sql = f"""
        SELECT COUNT(*) FROM (
            SELECT 1 FROM {FTS_TABLE} CROSS JOIN articles_article a ON a.id = {FTS_TABLE}.rowid
            WHERE {FTS_TABLE} MATCH %s AND a.status = %s LIMIT %s
        )
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts_query, Article.Status.PUBLISHED, limit])
        return cursor.fetchone()[0]


def _sqlite_page(fts_query: str, start: int, stop: int, *, more: bool) -> list[Article]:
    """Rows ``start:stop`` of the matches, best first by FTS5's bm25 with
    the title weighing TITLE_WEIGHT times the document; or, ``more`` than
    RESULT_LIMIT matching, title matches first (bm25 of the title) and then
    the others by title, each part at most ``stop`` rows. The documents (for
    the snippets) are read for the page's rows only."""
    published = Article.Status.PUBLISHED
    if not more:
        ids = f"""
            SELECT a.id, a.title, 0 AS part,
                -bm25({FTS_TABLE}, {TITLE_WEIGHT}.0, 1.0) AS rank
            FROM {FTS_TABLE} CROSS JOIN articles_article a ON a.id = {FTS_TABLE}.rowid
            WHERE {FTS_TABLE} MATCH %s AND a.status = %s
            ORDER BY rank DESC, a.title, a.id
            LIMIT %s OFFSET %s
        """
        params = [fts_query, published, stop - start, start]
    else:
        title_query = f"{{title}} : ({fts_query})"
        ids = f"""
            SELECT * FROM (
                SELECT * FROM (
                    SELECT a.id, a.title, 0 AS part,
                        -bm25({FTS_TABLE}, 1.0, 0.0) AS rank
                    FROM {FTS_TABLE} CROSS JOIN articles_article a ON a.id = {FTS_TABLE}.rowid
                    WHERE {FTS_TABLE} MATCH %s AND a.status = %s
                    ORDER BY rank DESC, a.title, a.id LIMIT %s
                )
                UNION ALL
                SELECT * FROM (
                    SELECT a.id, a.title, 1 AS part, 0.0 AS rank
                    FROM articles_article a
                    WHERE a.status = %s
                        -- "+": no index for these, so that SQLite walks the
                        -- title's index and stops after the LIMIT, rather
                        -- than reading every matching row and sorting them.
                        AND +a.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)
                        AND +a.id NOT IN (
                            SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
                        )
                    ORDER BY a.title, a.id LIMIT %s
                )
            )
            ORDER BY part, rank DESC, title, id LIMIT %s OFFSET %s
        """
        params = [
            title_query, published, stop,
            published, fts_query, title_query, stop,
            stop - start, start,
        ]
    columns = ", ".join(f"a.{name}" for name in ("id", *LISTED_FIELDS, "search_document"))
    sql = f"""
        SELECT {columns}, page.rank
        FROM ({ids}) page JOIN articles_article a ON a.id = page.id
        ORDER BY page.part, page.rank DESC, page.title, page.id
    """
    return list(Article.objects.raw(sql, params))


def mark_headline(headline: str) -> str:
    """ts_headline output (of the escaped document) as safe HTML: unescaped
    and escaped again, so that whatever ts_headline cut or kept is text, then
    the sentinel pairs become <mark> tags; a stray sentinel is dropped."""
    escaped = html.escape(html.unescape(headline), quote=True)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return marked.replace(_START, "").replace(_STOP, "")


# People and places -----------------------------------------------------------


def search_people(query: str) -> list[Person]:
    """People whose name, or one of whose aliases, holds every word of the
    query (ignoring case). ``matched_alias`` is the alias that matched when
    the name itself did not, else None."""
    words = query_words(query)
    if not words:
        return []
    name_matches = _all_words("name", words)
    aliases = Alias.objects.filter(_all_words("name", words), person=OuterRef("pk")).order_by(
        "id"
    )
    return list(
        Person.objects.filter(name_matches | Q(Exists(aliases)))
        .annotate(
            matched_alias=Case(
                When(name_matches, then=Value(None, output_field=CharField())),
                default=Subquery(aliases.values("name")[:1]),
                output_field=CharField(),
            ),
            name_first=Case(When(name_matches, then=0), default=1, output_field=IntegerField()),
        )
        .only("name", "slug", "description")
        .order_by("name_first", "name", "pk")[:MAX_NAMES]
    )


def search_places(query: str) -> list[Place]:
    """Places whose name holds every word of the query (ignoring case)."""
    words = query_words(query)
    if not words:
        return []
    return list(
        Place.objects.filter(_all_words("name", words))
        .select_related("parent")
        .order_by("name", "pk")[:MAX_NAMES]
    )
