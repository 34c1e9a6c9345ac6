"""Search that forgives: close matches of names when a search finds nothing.

"Krasnoperv" (one letter missing) holds no word of any article, person or
place, so the exact search (``articles.search``) finds nothing. Names are few
next to article text, so when it finds nothing they are compared by their
trigrams (as PostgreSQL's pg_trgm splits words: lower case, each word padded
with two spaces before and one after): the titles of published articles, the
names of people and their aliases, and the names of places.

* PostgreSQL: the ``%>`` operator (word similarity above pg_trgm's
  ``word_similarity_threshold``, 0.6 by default), answered from the GIN
  trigram indexes of migration 0018, best first by ``word_similarity``: one
  query for the four kinds of name, each part at most MAX_CLOSE rows.
* SQLite: no trigram index, so the names (at most MAX_NAMES_READ of each
  kind) are read in one query and scored here, one pass: each distinct word
  is split into trigrams once, and each name costs a set intersection per
  word of it against the query's words. Linear in the names read and bounded
  by them; ``Work`` counts it for the tests.

Then the close matches' rows are read (people, places, articles: a query
each, for those kinds that matched), and "Did you mean …?" is the query with
each word replaced by the closest word of the best names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import CharField, F, FloatField, QuerySet, Value

from people.models import Alias, Person, Place

from .models import Article
from .search import query_words

MAX_CLOSE = 10  # close matches shown at most, of each kind and in all
# SQLite: names of each kind read at most for one search (the work's bound).
MAX_NAMES_READ = 50_000
# SQLite: a name is close when its words' trigrams, against the query's,
# average at least this Jaccard similarity ("Krasnoperv" / "Krasnoperov" 0.64,
# "Jalalabd" / "Jalalabad" 0.55; unrelated words stay below 0.2).
SIMILARITY = 0.5
# A word of the close names replaces the query's word in the suggestion above
# this similarity: lower than SIMILARITY, as only the close names' words are
# candidates ("Russains" / "Russians", letters swapped, is 0.38).
SUGGEST_SIMILARITY = 0.3

_WORD = re.compile(r"[^\W_]+")  # pg_trgm's words: runs of letters and digits

PERSON, ALIAS, PLACE, ARTICLE = "person", "alias", "place", "article"


@dataclass
class Work:
    """What one SQLite pass did: the names read and the distinct words
    split into trigrams (each name also costs one set intersection per word
    of it). Tests read it to check the pass is linear and bounded."""

    names: int = 0
    words_split: int = 0
    comparisons: int = 0


@dataclass(frozen=True)
class Candidate:
    kind: str
    pk: int  # the person's for an alias
    name: str
    score: float


@dataclass(frozen=True)
class CloseMatches:
    """What a search that found nothing shows instead. ``people`` have
    ``matched_alias`` set (the alias that was close, else None), as the
    exact search's do."""

    suggestion: str = ""
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.suggestion or self.people or self.places or self.articles)


def close_matches(query: str, *, work: Work | None = None) -> CloseMatches:
    """Names close to ``query`` (a cleaned query) and the suggestion made
    from them; empty for a query without a word of letters or digits."""
    words = [w for w in query_words(query) if _WORD.search(w)]
    if not words:
        return CloseMatches()
    if connection.vendor == "postgresql":
        candidates = _postgresql_candidates(" ".join(words))
    else:
        candidates = _python_candidates(words, _all_names(), work or Work())
    if not candidates:
        return CloseMatches()
    return CloseMatches(
        suggestion=_suggestion(words, [c.name for c in candidates]),
        people=_people(candidates),
        places=_places(candidates),
        articles=_articles(candidates),
    )


# Finding the close names ------------------------------------------------------


def _close(queryset: QuerySet, column: str, text: str, kind: str, pk: str = "pk") -> QuerySet:
    """The rows of ``queryset`` whose ``column`` has a word close to
    ``text`` (``column %> text``, the form the GIN trigram index answers),
    best first, at most MAX_CLOSE."""
    return (
        queryset.filter(TrigramWordSimilar(F(column), Value(text)))
        .annotate(
            c_kind=Value(kind, output_field=CharField()),
            c_pk=F(pk),
            c_name=F(column),
            c_score=TrigramWordSimilarity(text, column, output_field=FloatField()),
        )
        .order_by("-c_score", "c_name")
        .values_list("c_kind", "c_pk", "c_name", "c_score")[:MAX_CLOSE]
    )


def _postgresql_candidates(text: str) -> list[Candidate]:
    parts = [
        _close(Person.objects.all(), "name", text, PERSON),
        _close(Alias.objects.all(), "name", text, ALIAS, pk="person_id"),
        _close(Place.objects.all(), "name", text, PLACE),
        _close(Article.objects.published(), "title", text, ARTICLE),
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-c_score", "c_name")
    return [Candidate(*row) for row in union[:MAX_CLOSE]]


def _all_names() -> list[tuple[str, int, str]]:
    """(kind, pk, name) of every name searched, at most MAX_NAMES_READ of
    each kind, in one query."""
    published = Article.Status.PUBLISHED
    parts = [
        (PERSON, "SELECT id, name FROM people_person"),
        (ALIAS, "SELECT person_id, name FROM people_alias"),
        (PLACE, "SELECT id, name FROM people_place"),
        (ARTICLE, "SELECT id, title FROM articles_article WHERE status = %s"),
    ]
    sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT '{kind}', * FROM ({select}) LIMIT {MAX_NAMES_READ})"
        for kind, select in parts
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [published])
        return cursor.fetchall()


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word (already in lower case)."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _python_candidates(
    words: list[str], names: list[tuple[str, int, str]], work: Work
) -> list[Candidate]:
    """The names whose words are close to the query's: for each query word
    its best similarity to a word of the name, averaged over the query's
    words; at least SIMILARITY, best first, at most MAX_CLOSE."""
    wanted = [trigrams(w) for w in words_of(" ".join(words))]
    if not wanted:
        return []
    split: dict[str, frozenset[str]] = {}
    found: list[Candidate] = []
    for kind, pk, name in names:
        work.names += 1
        best = [0.0] * len(wanted)
        for word in words_of(name):
            grams = split.get(word)
            if grams is None:
                grams = split[word] = trigrams(word)
                work.words_split += 1
            for i, query_grams in enumerate(wanted):
                work.comparisons += 1
                # Cheap test first: most words share no trigram at all.
                if not query_grams.isdisjoint(grams):
                    best[i] = max(best[i], similarity(query_grams, grams))
        score = sum(best) / len(best)
        if score >= SIMILARITY:
            found.append(Candidate(kind, pk, name, score))
    found.sort(key=lambda c: (-c.score, c.name))
    return found[:MAX_CLOSE]


def _suggestion(words: list[str], names: list[str]) -> str:
    """The query with each word replaced by the closest word of ``names``
    (best first; a tie goes to the better name), if one is close enough;
    "" when that changes nothing but letter case."""
    name_words = [w for name in names for w in _WORD.findall(name)]
    out = []
    for word in words:
        grams = trigrams(word.lower())
        best, best_score = word, SUGGEST_SIMILARITY
        for candidate in name_words:
            score = similarity(grams, trigrams(candidate.lower()))
            if score > best_score:
                best, best_score = candidate, score
        out.append(best)
    suggestion = " ".join(out)
    return "" if suggestion.casefold() == " ".join(words).casefold() else suggestion


# Reading the matches' rows -------------------------------------------------------


def _people(candidates: list[Candidate]) -> list[Person]:
    order: dict[int, str | None] = {}  # person pk -> the close alias, or None
    for c in candidates:
        if c.kind in (PERSON, ALIAS) and c.pk not in order:
            order[c.pk] = c.name if c.kind == ALIAS else None
    if not order:
        return []
    people = Person.objects.only("name", "slug", "description").in_bulk(list(order))
    out = []
    for pk, alias in order.items():
        if pk in people:
            people[pk].matched_alias = alias
            out.append(people[pk])
    return out


def _places(candidates: list[Candidate]) -> list[Place]:
    pks = [c.pk for c in candidates if c.kind == PLACE]
    if not pks:
        return []
    places = Place.objects.select_related("parent").in_bulk(pks)
    return [places[pk] for pk in pks if pk in places]


def _articles(candidates: list[Candidate]) -> list[Article]:
    pks = [c.pk for c in candidates if c.kind == ARTICLE]
    if not pks:
        return []
    articles = Article.objects.published().only("title", "slug").in_bulk(pks)
    return [articles[pk] for pk in pks if pk in articles]
