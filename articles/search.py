"""Site search: published articles, people and places.

On PostgreSQL articles are found with full-text search (weighted title and
search document, ranked, with a highlighted headline) backed by the GIN
expression index of migration 0002. Elsewhere (SQLite) a ranked fallback
requires every word of the query in the title or search document.

Every snippet is safe HTML: the article text is escaped and only the
``<mark>`` tags around matched words are markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Lower, Replace

from people.models import Alias, Person, Place

from .models import Article

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
MAX_NAMES = 20  # people, and places, shown for one query
SNIPPET_WORDS = 30
SNIPPET_WORDS_BEFORE = 10
TITLE_WEIGHT = 10  # SQLite: a title occurrence counts as this many in the body

# PostgreSQL: the vector the GIN index "articles_article_search_idx" is built
# on. The index's expression (migrations/0002_search_index.py) must stay the
# SQL of this expression, or the index is not used.
SEARCH_CONFIG = "english"
SEARCH_INDEX_NAME = "articles_article_search_idx"
SEARCH_VECTOR = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
    "search_document", weight="B", config=SEARCH_CONFIG
)

# ts_headline marks matches with these; they are turned into <mark> tags
# after the headline is escaped. Private-use characters, not typed by anyone.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))

LISTED_FIELDS = ("title", "slug", "group_name", "population", "population_note")


def clean_query(raw: str | None) -> str:
    """The query as searched: control and format characters (NUL, which
    PostgreSQL rejects, among them) become spaces, runs of white space one
    space, and at most MAX_QUERY_LENGTH characters are kept."""
    if not raw:
        return ""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch
        for ch in raw[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    """The words searched for: split on white space, at most MAX_WORDS."""
    return clean_query(query).split()[:MAX_WORDS]


def _all_words(field: str, words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__icontains": word})
    return condition


# Articles ------------------------------------------------------------------


class ArticleResults:
    """Matching published articles, best first, as a lazy sequence for
    Paginator: ``count()`` is one query and a slice is one query. Each
    article of a slice has ``rank`` and ``snippet`` (safe HTML)."""

    def __init__(self, queryset: QuerySet[Article], words: list[str], *, headline: bool = False):
        self.queryset = queryset
        self.words = words
        self.headline = headline  # PostgreSQL wrote the snippets: ts_headline

    def count(self) -> int:
        return self.queryset.count() if self.words else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: int | slice) -> Article | list[Article]:
        if not self.words:
            if isinstance(key, slice):
                return []
            raise IndexError(key)
        if isinstance(key, slice):
            articles = list(self.queryset[key])
            for article in articles:
                self._add_snippet(article)
            return articles
        article = self.queryset[key]
        self._add_snippet(article)
        return article

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
        return ArticleResults(
            _postgresql_articles(articles, " ".join(words)), words, headline=True
        )
    return ArticleResults(_fallback_articles(articles, words), words)


def _postgresql_articles(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        articles.annotate(search=SEARCH_VECTOR)
        .filter(search=search_query)
        .annotate(
            rank=SearchRank(SEARCH_VECTOR, search_query),
            headline=SearchHeadline(
                _escaped("search_document"),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS + 5,
                min_words=SNIPPET_WORDS - 10,
            ),
        )
        .only(*LISTED_FIELDS)
        .order_by("-rank", "title", "pk")
    )


def _escaped(field: str):
    """The field's text HTML-escaped in SQL, as html.escape does it, so that
    ts_headline works on text holding no markup at all."""
    text = F(field)
    for char, entity in _ENTITIES:
        text = Replace(text, Value(char), Value(entity))
    return text


def _occurrences(field: str, word: str):
    """How often ``word`` occurs in ``field``, ignoring (ASCII) case, as
    SQLite's LIKE does."""
    text = Lower(F(field))
    needle = Lower(Value(word))
    return (Length(text) - Length(Replace(text, needle, Value("")))) / Length(Value(word))


def _fallback_articles(articles: QuerySet[Article], words: list[str]) -> QuerySet[Article]:
    rank = Value(0)
    for word in words:
        articles = articles.filter(
            Q(title__icontains=word) | Q(search_document__icontains=word)
        )
        rank = rank + _occurrences("title", word) * TITLE_WEIGHT + _occurrences(
            "search_document", word
        )
    return (
        articles.annotate(rank=rank)
        .only(*LISTED_FIELDS, "search_document")
        .order_by("-rank", "title", "pk")
    )


def mark_headline(headline: str) -> str:
    """ts_headline output (of the escaped document) as safe HTML: unescaped
    and escaped again, so that whatever ts_headline cut or kept is text, then
    the sentinel pairs become <mark> tags; a stray sentinel is dropped."""
    escaped = html.escape(html.unescape(headline), quote=True)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return marked.replace(_START, "").replace(_STOP, "")


def snippet(document: str, words: list[str]) -> str:
    """About SNIPPET_WORDS words of ``document`` around the first match,
    escaped, with each occurrence of a query word in <mark>."""
    tokens = document.split()
    if not tokens:
        return ""
    folded = [word.casefold() for word in words if word]
    first = next(
        (i for i, token in enumerate(tokens) if any(w in token.casefold() for w in folded)),
        0,
    )
    start = max(0, first - SNIPPET_WORDS_BEFORE)
    end = min(len(tokens), start + SNIPPET_WORDS)
    start = max(0, end - SNIPPET_WORDS)
    text = " ".join(tokens[start:end])
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)),
        re.IGNORECASE,
    )
    parts, last = [], 0
    for match in pattern.finditer(text) if words else ():
        if match.end() == match.start():
            continue
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    return ("… " if start > 0 else "") + "".join(parts) + (" …" if end < len(tokens) else "")


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
