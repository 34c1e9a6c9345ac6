"""Read side of the index pages (people, places, languages, religions,
tags), of "What links here", of Wikipedia-style addresses and of the random
article. Each read is a fixed number of queries whatever the size of the
encyclopedia; none of them writes."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from taggit.models import Tag

from encyclopedia.text import slug_base
from people.models import Person, Place

from .infobox import TERM_STORAGE
from .wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH
from .models import (
    Article,
    FormerName,
    PersonMention,
    PlaceMention,
    PopulationPlace,
    RelatedGroup,
    SeeAlso,
    WikiLink,
)

PUBLISHED = Article.Status.PUBLISHED


@dataclass(frozen=True)
class IndexTerm:
    """One entry of a term index: its name, page and published articles."""

    name: str
    url: str
    count: int


@dataclass(frozen=True)
class Term:
    """A kind of term index page: its heading and the terms it lists."""

    title: str
    url_name: str


# By URL name of the detail page: what the index of that kind is called.
TERM_INDEXES = {
    "tag-detail": Term("Tags", "tag-detail"),
    **{s.url_name: Term(s.path.capitalize(), s.url_name) for s in TERM_STORAGE},
}


def people_index():
    """Every person by name, each with the number of published articles
    that mention them (as the person's page lists them). A queryset: the
    view paginates it (one query for the count, one for the page)."""
    shown = Q(mentions__state__in=PersonMention.SHOWN, mentions__article__status=PUBLISHED)
    return (
        Person.objects.only("name", "slug", "description")
        .annotate(count=Count("mentions", filter=shown))
        .order_by("name", "pk")
    )


def places_index():
    """Every place, grouped by the country it lies in (its outermost parent,
    up to the three levels a place's page shows), the country first, then
    its places by name; the parents come with each (select_related)."""
    country = Coalesce(
        "parent__parent__parent__name", "parent__parent__name", "parent__name", "name",
        output_field=CharField(),
    )
    inside = ExpressionWrapper(Q(parent__isnull=False), output_field=BooleanField())
    return (
        Place.objects.select_related("parent__parent__parent")
        .annotate(country_name=country, inside=inside)
        .order_by("country_name", "inside", "name", "pk")
    )


def place_counts(place_ids: list[int]) -> dict[int, int]:
    """How many published articles each place's page lists (a population
    there, the host country, or a mention): one query, each article counted
    once per place (UNION, not UNION ALL)."""
    if not place_ids:
        return {}
    published = Q(article__status=PUBLISHED)
    pairs = (
        PopulationPlace.objects.filter(published, place_id__in=place_ids)
        .values_list("place_id", "article_id").order_by()
        .union(
            PlaceMention.objects.shown().filter(published, place_id__in=place_ids)
            .values_list("place_id", "article_id").order_by(),
            Article.objects.published().filter(host_country_id__in=place_ids)
            .values_list("host_country_id", "pk").order_by(),
        )
    )
    return Counter(place for place, _article in pairs)


def term_index(url_name: str):
    """The terms of one kind (tags, languages, religions) that at least one
    published article carries, by name, with how many do."""
    if url_name == "tag-detail":
        items = "taggit_taggeditem_items"
        # The content type joined, not looked up: the same queries whatever
        # ContentType's cache holds.
        carried = Q(**{
            f"{items}__content_type__app_label": Article._meta.app_label,
            f"{items}__content_type__model": Article._meta.model_name,
            f"{items}__object_id__in": Article.objects.published().values("pk"),
        })
        terms = Tag.objects.annotate(count=Count(items, filter=carried))
    else:
        model = next(s.target for s in TERM_STORAGE if s.url_name == url_name)
        terms = model.objects.annotate(
            count=Count("articles", filter=Q(articles__status=PUBLISHED))
        )
    return terms.filter(count__gt=0).only("name", "slug").order_by("name", "pk")


# --- What links here --------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A published article linking to another, and how: by a [[link]] in
    its text, its See also, or its infobox's Related."""

    title: str
    url: str
    ways: tuple[str, ...]


WAYS = ("link", "See also", "Related")


def links_here(article: Article) -> list[Incoming]:
    """Every other published article whose page links to ``article`` (by
    any title it has or had: links written before a rename still reach it),
    by title. Two queries."""
    titles = [article.title, *FormerName.objects.filter(article=article)
              .values_list("title", flat=True)]
    way = lambda name: Value(name, output_field=CharField())  # noqa: E731
    rows = (
        WikiLink.objects.filter(target_title__in=titles)
        .values_list("article_id", way("link")).order_by()
        .union(
            SeeAlso.objects.filter(Q(target_title__in=titles) | Q(target=article))
            .values_list("article_id", way("See also")).order_by(),
            RelatedGroup.objects.filter(title__in=titles)
            .values_list("article_id", way("Related")).order_by(),
        )
    )
    ways: dict[int, set[str]] = {}
    for pk, name in rows:
        if pk != article.pk:
            ways.setdefault(pk, set()).add(name)
    if not ways:
        return []
    linking = Article.objects.published().filter(pk__in=ways).only("title", "slug")
    return [
        Incoming(a.title, a.get_absolute_url(), tuple(w for w in WAYS if w in ways[a.pk]))
        for a in linking.order_by("title")
    ]


# --- Addresses ---------------------------------------------------------------------


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in text)


def article_by_address(text: str) -> Article | None:
    """The published article a Wikipedia-style address names
    (``Russians_in_Afghanistan``, ``russians in afghanistan``, any case,
    any script), or None. The title as written (or a former title) first,
    then, among the articles whose slug the title's slug begins (a slug
    taken twice gets a "-2"), the one titled so but for case, else the one
    at that slug. At most three queries, each by an index."""
    title = " ".join(text.replace("_", " ").split())
    # Control characters are checked before the spaces are folded, which
    # would drop a newline. Not isprintable(): it refuses the zero-width
    # non-joiner of Persian titles (a format character, Cf).
    if not title or _has_control(text) or len(title) > MAX_NAME_LENGTH:
        # No title has a control character (PostgreSQL refuses NUL in a
        # query) or is that long: nothing to look up.
        return None
    published = Article.objects.published().only("title", "slug")
    found = published.filter(title=title).first()
    if found is None:
        former = (
            FormerName.objects.filter(title=title, article__status=PUBLISHED)
            .select_related("article").order_by("-renamed", "-id").first()
        )
        found = former.article if former else None
    if found is not None:
        return found
    base = slug_base(title, fallback="")
    if not base:
        return None
    # The article whose title is this one but for case, else the one at the
    # slug the title makes ("Kurds_in_Iraq" for "Kurds in Iraq").
    candidates = list(
        published.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).order_by("slug")[:50]
    )
    folded = title.casefold()
    same = [a for a in candidates if a.title.casefold() == folded]
    at_slug = [a for a in candidates if a.slug == base]
    return (same or at_slug or [None])[0]


def random_article() -> Article | None:
    """A published article picked at random in constant time: a random id
    between the smallest and largest (the primary key's index ends), then
    the first published article from there on, or the last before it.
    Articles after long gaps of ids are a little likelier: a fair draw would
    need a count or ORDER BY RANDOM() over the whole table."""
    bounds = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return None
    pick = random.randint(bounds["low"], bounds["high"])
    published = Article.objects.published().only("slug")
    return (
        published.filter(pk__gte=pick).order_by("pk").first()
        or published.filter(pk__lt=pick).order_by("-pk").first()
    )
