"""Which pages show what: the keys of each public page, and the keys a
write touches, so that an edit evicts exactly the pages that depend on it
(the page cache, and Varnish by xkey), as MediaWiki's links tables and
HTMLCacheUpdate do, instead of every page at once.

A page's keys follow from its address alone (``page_keys``), because the
page cache must read their versions before the view reads any content: a
version read afterwards could be one bumped by a write whose rows the view
did not see yet. So pages are keyed by what they are (the article at this
slug, the person at that slug, the A–Z page for B, the feed), and a write
works out which of those pages it changes:

- an article's own page (and its JSON) and the recently-changed lists
  (feed, sitemap) on every write of it;
- when what lists show of it changes (title, slug, status, group, the
  population, tags, languages, religions, the people, places and sources
  it names, its See also), also the lists that hold it before or after
  (home, the A–Z letters, term and tag pages, people's, places' and
  sources' pages) and the articles that show it: those whose [[links]],
  See also or infobox Related name one of its titles, and those whose
  related communities it is or was one of (same group, same host country,
  or the reverse community);
- when its title, slug, status, language or translation group changes,
  the pages of the articles of its translation groups before and after
  (their "In other languages"), and those whose interlanguage links name
  one of its titles (linked to it when it is published).

Writes are gathered in ``content_change()`` (the admin, the services and the
commands open it around a save); the page cache's database hook then leaves
them alone. A write outside any such block still evicts every page, as
before: correct, only coarse.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import Resolver404

from encyclopedia.locale import resolve_default
from people.models import Alias, Person, Place

from . import rendered
from .communities import community_from_title
from .models import (
    Article,
    ArticleLanguage,
    ArticleReference,
    ArticleReligion,
    FormerName,
    InterlanguageLink,
    PersonMention,
    PlaceMention,
    PopulationPlace,
    RelatedGroup,
    SeeAlso,
    Source,
    WikiLink,
)

ALL = "all"  # every page has it: bumped by a write this module cannot place
RECENT = "Lr"  # feed and sitemap: every article write
HOME = "Lh"
INDEX_ALL = "Li"
# The A–Z letters holding a published article: every index page links those
# (articles/letters.py). Moved on when an article enters or leaves a letter.
LETTERS = "La"
SOURCES = "Ls"
BATCH = 500
# Past this many articles in one block (a large import), working out each
# page is more work than it saves: every page moves on (ALL).
WHOLESALE = 500
REVERSE_BATCH = 50


def _h(text: str) -> str:
    # Keys are xkey tokens ([A-Za-z0-9]); slugs may be in any script.
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def article_key(slug: str) -> str:
    return "w" + _h(slug)


def person_key(slug: str) -> str:
    return "p" + _h(slug)


def place_key(slug: str) -> str:
    return "l" + _h(slug)


def source_key(slug: str) -> str:
    return "s" + _h(slug)


def term_key(url_name: str, slug: str) -> str:
    return "T" + _h(f"{url_name}/{slug}")


def letter_key(title: str) -> str:
    """The key of the A–Z page that lists ``title`` ("#" for the rest)."""
    first = title[:1].upper()
    return f"Li{first if 'A' <= first <= 'Z' else '_'}"


# --- the keys of a page, from its address -----------------------------------------

_BY_SLUG = {
    "article-detail": article_key,
    "article-json": article_key,
    "person-detail": person_key,
    "place-detail": place_key,
    "source-detail": source_key,
}
_LISTS = {"home": HOME, "source-index": SOURCES}
_RECENT_LISTS = {"article-feed", "sitemap", "sitemap-section"}


def page_keys(path: str, query: dict[str, str] | None = None) -> list[str]:
    """The keys of the public page at ``path`` (its query string as
    ``query``), ALL first; just [ALL] for an address that is no page."""
    try:
        match = resolve_default(path)  # /ru/wiki/x/ shows what /wiki/x/ does
    except Resolver404:
        return [ALL]
    name = match.url_name or ""
    keys = [ALL]
    if name in _BY_SLUG:
        keys.append(_BY_SLUG[name](match.kwargs["slug"]))
    elif name in _LISTS:
        keys.append(_LISTS[name])
    elif name in _RECENT_LISTS:
        keys.append(RECENT)
    elif name == "article-index":
        letter = (query or {}).get("letter", "").upper()
        # As the view reads it: one letter, "#" for the rest, or all of them.
        if letter == "#":
            keys.append("Li_")
        elif len(letter) == 1 and "A" <= letter <= "Z":
            keys.append(letter_key(letter))
        else:
            keys.append(INDEX_ALL)
        keys.append(LETTERS)
    elif name in INDEX_PAGES:
        keys.extend(index_page_keys(name, match.kwargs))
    elif "slug" in match.kwargs and "kind" in match.kwargs:
        keys.append(term_key(match.kwargs["kind"], match.kwargs["slug"]))
    return keys


# --- what a write touches ---------------------------------------------------------------


@dataclass
class _State:
    """What of one article other pages show, read from the database."""

    slug: str
    title: str
    group: str
    host: str
    listed: tuple  # what lists show of it
    shown: tuple = ()  # what other articles show of it: links, related communities
    lists: set[str] = field(default_factory=set)  # keys of the lists that hold it
    titles: set[str] = field(default_factory=set)  # its titles, and its See also's
    # What its translations' pages show of it under "In other languages"
    # (articles.translations), and the group they are in.
    translated: tuple = ()
    translation_group: int | None = None


def _states(pks: Iterable[int]) -> dict[int, _State]:
    """The state of each existing article among ``pks``, in a fixed number of
    queries per BATCH articles."""
    out: dict[int, _State] = {}
    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        rows = Article.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "slug", "status", "group_name", "population", "population_note",
            "origin_group", "host_country__name", "host_country__slug", "origin_country__slug",
            "language", "translation_group_id",
        )
        extra: dict[int, list] = {}
        for pk, title, slug, status, *rest, language, translation_group in rows:
            host_slug, origin_slug = rest[-2], rest[-1]
            state = _State(
                slug=slug, title=title, group=rest[3], host=rest[4] or "",
                listed=(title, slug, status, *rest),
                shown=(title, slug, status, rest[3], rest[4]),
                translated=(title, slug, status, language, translation_group),
                translation_group=translation_group,
            )
            state.titles.add(title)
            if status == Article.Status.PUBLISHED:
                state.lists |= {HOME, INDEX_ALL, letter_key(title), SOURCES}
            state.lists |= {place_key(s) for s in (host_slug, origin_slug) if s}
            out[pk] = state
            extra[pk] = []
        related = [
            (Article.tags.through.objects.filter(object_id__in=chunk), "object_id", "tag__slug",
             lambda slug: term_key("tag-detail", slug)),
            (ArticleLanguage.objects.filter(article_id__in=chunk), "article_id",
             "language__slug", lambda slug: term_key("language-detail", slug)),
            (ArticleReligion.objects.filter(article_id__in=chunk), "article_id",
             "religion__slug", lambda slug: term_key("religion-detail", slug)),
            (PersonMention.objects.shown().filter(article_id__in=chunk), "article_id",
             "person__slug", person_key),
            (PlaceMention.objects.shown().filter(article_id__in=chunk), "article_id",
             "place__slug", place_key),
            (PopulationPlace.objects.filter(article_id__in=chunk), "article_id", "place__slug",
             place_key),
            (ArticleReference.objects.filter(article_id__in=chunk), "article_id",
             "source__slug", source_key),
        ]
        for queryset, owner, column, key in related:
            for pk, value in queryset.values_list(owner, column).order_by():
                extra[pk].append(key(value))
        see_also: dict[int, list[str]] = {}
        for pk, title in SeeAlso.objects.filter(article_id__in=chunk).values_list(
            "article_id", "target_title"
        ).order_by():
            # Another article's related communities list the unwritten ones.
            see_also.setdefault(pk, []).append(title)
            out[pk].titles.add(title)
        for pk, title in FormerName.objects.filter(article_id__in=chunk).values_list(
            "article_id", "title"
        ).order_by():
            out[pk].titles.add(title)
        for pk, keys in extra.items():
            state = out[pk]
            state.listed = (*state.listed, tuple(sorted(keys)))
            state.shown = (*state.shown, tuple(sorted(see_also.get(pk, ()))))
            state.lists |= set(keys)
    return out


def _showing(titles: set[str], groups: set[str], hosts: set[str]) -> list[str]:
    """The slugs of the articles whose page shows an article by one of
    ``titles`` (links, See also, Related, related communities), or one of
    the group ``groups`` or host countries ``hosts``."""
    slugs: set[str] = set()
    titles = sorted(titles)
    for title in titles:
        parsed = community_from_title(title)
        if parsed:
            groups.add(parsed[0])
            hosts.add(parsed[1])
    for start in range(0, len(titles), BATCH):
        chunk = titles[start : start + BATCH]
        for model, column in ((WikiLink, "target_title"), (SeeAlso, "target_title"),
                              (RelatedGroup, "title"), (InterlanguageLink, "title")):
            slugs.update(
                model.objects.filter(**{f"{column}__in": chunk})
                .values_list("article__slug", flat=True).order_by()
            )
    # The reverse communities, a few titles a query: one condition each, and
    # SQLite refuses an expression past 1,000 terms deep.
    pairs = sorted({parsed for title in titles if (parsed := community_from_title(title))})
    for start in range(0, len(pairs), REVERSE_BATCH):
        reverse = Q()
        for group, host in pairs[start : start + REVERSE_BATCH]:
            reverse |= Q(host_country__demonym=group, origin_country__name=host)
        slugs.update(Article.objects.filter(reverse).values_list("slug", flat=True).order_by())
    groups, hosts = sorted(groups), sorted(hosts)
    for start in range(0, max(len(groups), len(hosts)), BATCH):
        wanted = Q(origin_group__in=groups[start : start + BATCH]) | Q(
            host_country__name__in=hosts[start : start + BATCH]
        )
        slugs.update(Article.objects.filter(wanted).values_list("slug", flat=True).order_by())
    return sorted(slugs)


def _translating(groups: set[int]) -> list[str]:
    """The slugs of the articles of the translation ``groups``: each lists
    the others under "In other languages", by title and language, and
    links them by slug (published ones only: a status change counts)."""
    groups_sorted = sorted(groups)
    slugs: set[str] = set()
    for start in range(0, len(groups_sorted), BATCH):
        slugs.update(Article.objects.filter(
            translation_group_id__in=groups_sorted[start : start + BATCH]
        ).values_list("slug", flat=True).order_by())
    return sorted(slugs)


def _person_keys(pks: Iterable[int]) -> set[str]:
    pks = list(pks)
    return {person_key(slug) for slug in Person.objects.filter(pk__in=pks)
            .values_list("slug", flat=True)} | {
        place_key(slug) for slug in Place.objects.filter(people__in=pks)
        .values_list("slug", flat=True)}


def _person_names(pks: Iterable[int]) -> set[str]:
    pks = list(pks)
    return set(Person.objects.filter(pk__in=pks).values_list("name", flat=True)) | set(
        Alias.objects.filter(person_id__in=pks).values_list("name", flat=True))


def _place_names(pks: Iterable[int]) -> set[str]:
    return set(Place.objects.filter(pk__in=list(pks)).values_list("name", flat=True))


def _naming(names: set[str]) -> list[str]:
    """The slugs of the articles whose [[links]], See also or infobox
    Related name one of ``names``: where no article has the title, their
    page links the place or person of that name (``lookups.name_targets``,
    any case for a place), so it changes when one is created, renamed,
    given an alias or deleted."""
    slugs: set[str] = set()
    names_sorted = sorted(names)
    for start in range(0, len(names_sorted), REVERSE_BATCH):
        chunk = names_sorted[start : start + REVERSE_BATCH]
        for model, column in ((WikiLink, "target_title"), (SeeAlso, "target_title"),
                              (RelatedGroup, "title")):
            wanted = Q()
            for name in chunk:
                wanted |= Q(**{f"{column}__iexact": name})
            slugs.update(model.objects.filter(wanted).values_list("article__slug", flat=True)
                         .order_by())
    return sorted(slugs)


# A place's page shows this many levels of the places above it.
PLACE_DEPTH = 3


def _place_keys(pks: Iterable[int]) -> set[str]:
    pks = set(pks)
    family = set(pks)
    level = set(pks)
    for _ in range(PLACE_DEPTH):  # the places below, whose pages name it
        level = set(Place.objects.filter(parent_id__in=level).values_list("pk", flat=True)) - family
        family |= level
    parents = set(Place.objects.filter(pk__in=pks, parent__isnull=False)
                  .values_list("parent_id", flat=True))  # whose page lists it
    slugs = Place.objects.filter(pk__in=family | parents).values_list("slug", flat=True)
    people = Person.objects.filter(places__in=pks).values_list("slug", flat=True)
    return {place_key(slug) for slug in slugs} | {person_key(slug) for slug in people}


class Change:
    """The keys one block of writes touches; see ``content_change``."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self._before: dict[int, _State | None] = {}
        self._people: set[int] = set()
        self._places: set[int] = set()
        self._render: set[int] = set()
        self._names: set[str] = set()  # of the people and places written, before and after

    def touch(self, *keys: str) -> None:
        self.keys.update(keys)

    def render(self, pks: Iterable[int]) -> None:
        """Render these articles' pages at the end of the block, in the
        writing transaction (an editor's save: the next reader finds it
        ready). Any other page it changes is rendered by its next reader,
        as are an import's."""
        self._render.update(pks)

    def articles(self, pks: Iterable[int]) -> None:
        """These articles are about to be written (or were just created):
        their state now is the "before" that the end of the block compares
        with. Call it before the first write; an article already watched
        keeps its first state."""
        if ALL in self.keys:
            return
        new = [pk for pk in pks if pk is not None and pk not in self._before]
        if not new:
            return
        if len(self._before) + len(new) > WHOLESALE:
            self.keys.add(ALL)
            return
        states = _states(new)
        for pk in new:
            self._before[pk] = states.get(pk)

    def created(self, pks: Iterable[int]) -> None:
        """Articles created in this block (nothing showed them before)."""
        if ALL in self.keys:
            return
        pks = [pk for pk in pks if pk not in self._before]
        if len(self._before) + len(pks) > WHOLESALE:
            self.keys.add(ALL)
            return
        for pk in pks:
            self._before[pk] = None

    def titles(self, titles: Iterable[str]) -> None:
        """The articles with these titles, if any, are about to be written."""
        titles = sorted(set(titles))
        if len(titles) > WHOLESALE:
            self.keys.add(ALL)
            return
        for start in range(0, len(titles), BATCH):
            self.articles(Article.objects.filter(title__in=titles[start : start + BATCH])
                          .values_list("pk", flat=True))

    def deleting(self, pks: Iterable[int]) -> None:
        """Articles about to be deleted: watched now, gone at the end."""
        self.articles(pks)

    def people(self, pks: Iterable[int]) -> None:
        """People about to be written: their pages, their places' pages
        (which list them) and the articles naming them."""
        new = [pk for pk in pks if pk is not None and pk not in self._people]
        self._people.update(new)
        self.touch(PEOPLE_INDEX)  # the index lists every person
        if new:
            self._names |= _person_names(new)
            self.touch(*_person_keys(new))
            self._named_articles(new, PersonMention, "person")

    def places(self, pks: Iterable[int]) -> None:
        """Places about to be written: their pages, those of the places
        above and below them and of their people, and the articles naming
        them or about a community living there."""
        new = [pk for pk in pks if pk is not None and pk not in self._places]
        self._places.update(new)
        self.touch(PLACES_INDEX)  # the index lists every place
        if new:
            self._names |= _place_names(new)
            self.touch(*_place_keys(new))
            self._named_articles(new, PlaceMention, "place")

    def _named_articles(self, pks, mention, column) -> None:
        self.articles(
            mention.objects.filter(**{f"{column}_id__in": pks}).values_list("article_id", flat=True)
        )
        if column == "place":
            self.articles(
                Article.objects.filter(Q(host_country_id__in=pks) | Q(origin_country_id__in=pks))
                .values_list("pk", flat=True)
            )
            self.articles(
                PopulationPlace.objects.filter(place_id__in=pks).values_list("article_id", flat=True)
            )

    def sources(self, pks: Iterable[int]) -> None:
        """Sources about to be written: their pages, the index and the articles citing them."""
        pks = [pk for pk in pks if pk is not None]
        self.touch(SOURCES, *(source_key(s) for s in Source.objects.filter(pk__in=pks)
                               .values_list("slug", flat=True)))
        self.articles(
            ArticleReference.objects.filter(source_id__in=pks).values_list("article_id", flat=True)
        )

    def finish(self) -> set[str]:
        """The keys touched, worked out now that the writes are done."""
        if ALL in self.keys:
            return {ALL}
        # As they are now, and the articles their new names or aliases
        # found (or lost) mentions in.
        if self._people:
            self.touch(*_person_keys(self._people))
            self._named_articles(self._people, PersonMention, "person")
        if self._places:
            self.touch(*_place_keys(self._places))
            self._named_articles(self._places, PlaceMention, "place")
        after = _states(self._before)
        titles: set[str] = set()
        groups: set[str] = set()
        hosts: set[str] = set()
        translation_groups: set[int] = set()
        for pk, old in self._before.items():
            new = after.get(pk)
            states = [state for state in (old, new) if state is not None]
            self.touch(RECENT, *(article_key(state.slug) for state in states))
            if not (old is not None and new is not None and old.translated == new.translated):
                translation_groups |= {s.translation_group for s in states if s.translation_group}
            both = old is not None and new is not None
            if not (both and old.listed == new.listed):
                for state in states:
                    self.touch(*state.lists)
                if _letter_of(old) != _letter_of(new):
                    self.touch(LETTERS)
            if both and old.shown == new.shown:
                continue
            for state in states:
                titles |= state.titles
                if state.group:
                    groups.add(state.group)
                if state.host:
                    hosts.add(state.host)
        showing = _showing(titles, groups, hosts) if titles or groups or hosts else []
        if translation_groups:
            showing = sorted(set(showing) | set(_translating(translation_groups)))
        names = self._names | _person_names(self._people) | _place_names(self._places)
        if names:
            showing = sorted(set(showing) | set(_naming(names)))
        self.touch(*(article_key(slug) for slug in showing))
        rendered.stale(pks=self._before, slugs=showing)
        rendered.render_now([pk for pk in self._render if pk in after])
        return self.keys


def _letter_of(state: _State | None) -> str | None:
    """The A–Z list holding the article in ``state``, None if none does
    (not published, or no such article)."""
    if state is None:
        return None
    return next((key for key in state.lists if key.startswith("Li") and key != INDEX_ALL), None)


_local = threading.local()


def current() -> Change | None:
    """The innermost open ``content_change`` of this thread, if any."""
    return getattr(_local, "change", None)


@contextlib.contextmanager
def content_change() -> Iterator[Change]:
    """Gather the keys of the writes made inside: the caller tells the
    Change what it is about to write (``articles``, ``people``, ...)
    before writing it; at the end the keys are worked out and the page
    cache told (now, and again once the transaction commits). A block
    inside another joins it."""
    from encyclopedia import pagecache

    outer = current()
    if outer is not None:
        yield outer
        return
    change = Change()
    _local.change = change
    try:
        with pagecache.keyed_writes(), transaction.atomic():
            yield change
            keys = change.finish()
            pagecache.keys_changed(keys)
    finally:
        _local.change = None


# --- the index pages and "What links here" ------------------------------------------

PEOPLE_INDEX = "Lp"  # /people/: every write of a person
PLACES_INDEX = "Lq"  # /places/: every write of a place
# Each index counts published articles: any change to what lists show of
# one (its mentions, places, tags, languages, religions, status) touches
# HOME, as it does for the home page. "What links here" changes with any
# article's links, See also or Related, which no key of its own follows:
# RECENT (every article write), as the feed.
INDEX_PAGES = {
    "person-index": (HOME, PEOPLE_INDEX),
    "place-index": (HOME, PLACES_INDEX),
    "tag-index": (HOME,),
    "languages-index": (HOME,),
    "religions-index": (HOME,),
    "article-links": (RECENT,),
}


def index_page_keys(name: str, kwargs: dict) -> list[str]:
    """The keys of an index page or of an article's "What links here"
    (its article's key too: a rename moves it on)."""
    keys = list(INDEX_PAGES[name])
    if name == "article-links":
        keys.append(article_key(kwargs["slug"]))
    return keys
