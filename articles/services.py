"""Writes that touch several models. The admin, the management commands and
the views all call these: one implementation of each operation."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import is_protected_type
from django.utils.text import slugify
from reversion.errors import RevertError
from reversion.models import Revision, Version
from reversion.revisions import _get_options as reversion_options

from encyclopedia.text import unique_slug
from people.models import Alias, Person, Place, validate_name

from . import markdown, wikitext
from .mentions import NameIndex, build_index
from .models import (
    ARTICLE_ROWS,
    Article,
    ArticleLanguage,
    ArticleReligion,
    FormerName,
    InfoboxRow,
    Language,
    Mention,
    PersonMention,
    PlaceMention,
    PopulationFigure,
    PopulationPlace,
    Religion,
    Section,
    SeeAlso,
    WikiLink,
)
from .wikitext.values import InfoboxValueError


class ImportFailed(Exception):
    """An import that wrote nothing; the message names the file and line."""


# A file to import: its name, and its bytes or the path to read them from.
# Paths are read when their batch comes, twice (checked, then imported), so
# that an import of any size holds one batch of documents in memory.
Source = tuple[str, "bytes | Path"]

IMPORT_BATCH = 250


@dataclass(frozen=True)
class ImportResult:
    name: str
    article_id: int
    title: str
    slug: str
    created: bool

    @property
    def article(self) -> Article:
        """The article as it is now (a query): results stay small however
        many files an import has."""
        return Article.objects.get(pk=self.article_id)


def articles_import(
    *,
    sources: Iterable[Source],
    on_progress: Callable[[ImportResult], None] | None = None,
    user=None,
) -> list[ImportResult]:
    """Import wiki-text files, all or nothing.

    Every file is parsed before anything is written (the first bad one
    raises ImportFailed naming its file and line), then the files are
    imported in batches inside one transaction. An article whose title
    exists is updated in place; editorial data the wiki-text does not hold
    (status, tags, hand-made mentions, population history) is kept. Each
    article gets a revision by ``user`` (None for the command line).
    """
    sources = list(sources)
    results: list[ImportResult] = []
    batches = -(-len(sources) // IMPORT_BATCH)
    with _render_pool(None, batches=batches) as pool:
        titles = _checked_titles(sources, pool)  # before the database is touched
    names = name_index()
    with _render_pool(names, batches=batches) as pool:
        with transaction.atomic():
            run = _ImportRun(titles, names)
            # A pipeline: batch k is rendered (in the pool) while k-1 is written.
            waiting: _Batch | None = None
            for start in range(0, len(sources), IMPORT_BATCH):
                docs = [(name, _parse(name, data))
                        for name, data in sources[start : start + IMPORT_BATCH]]
                prepared = run.prepare(docs, pool)
                if waiting:
                    results += _report(run.write(waiting, user=user), on_progress)
                waiting = prepared
            if waiting:
                results += _report(run.write(waiting, user=user), on_progress)
            run.link_created()
    return results


def _checked_titles(sources: list[Source], pool: Executor | None) -> list[str]:
    """Every file parsed (in the pool if there is one), in order: the
    titles, or ImportFailed for the first bad file or repeated title."""
    if pool is None:
        return [doc.title for _, doc in _parse_sources(sources)]
    chunks = [sources[i : i + 100] for i in range(0, len(sources), 100)]
    check = _TitleCheck()
    titles = []
    for parsed in pool.map(_titles_of, chunks):
        for name, title, error in parsed:
            if error:
                raise ImportFailed(error)
            check.add(name, title)
            titles.append(title)
    return titles


def _titles_of(sources: list[Source]) -> list[tuple[str, str, str]]:
    """(name, title, "") for each file, or (name, "", the error)."""
    out = []
    for name, data in sources:
        try:
            out.append((name, _parse(name, data).title, ""))
        except ImportFailed as exc:
            out.append((name, "", str(exc)))
            break
    return out


class _TitleCheck:
    """No title twice in one import."""

    def __init__(self):
        self.first_file: dict[str, str] = {}

    def add(self, name: str, title: str) -> None:
        if title in self.first_file:
            raise ImportFailed(
                f"{name}:1: the title {title!r} is also the title of {self.first_file[title]}"
            )
        self.first_file[title] = name


def _report(results: list[ImportResult], on_progress) -> list[ImportResult]:
    if on_progress:
        for result in results:
            on_progress(result)
    return results


# Rendering Markdown and finding mentions is most of an import's work, and
# needs no database: in a large import, worker processes do it while the
# import process writes. Forked, they start with the name index in memory.
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_worker_names: NameIndex | None = None


def _start_worker(names: NameIndex | None) -> None:
    global _worker_names
    _worker_names = names


@contextlib.contextmanager
def _render_pool(names: NameIndex | None, *, batches: int) -> Iterator[Executor | None]:
    if batches < 2 or _WORKERS < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=_WORKERS,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(names,),
    )
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def render_and_find(
    work: list[tuple[str, list[str], str]],
    urls: dict[str, str],
    new_places: list[tuple[int, str]],
    names: NameIndex | None = None,
) -> list[tuple[str, list[str], set[int], set[int]]]:
    """For each (lead, section bodies, text) of ``work``: the lead's and
    bodies' HTML and the (people, places) the text names. In a worker,
    ``new_places`` are the places the import made since it started."""
    names = names or _worker_names
    names.add_places(new_places)
    return [
        (markdown.render(lead, urls), [markdown.render(body, urls) for body in bodies],
         *names.find(text))
        for lead, bodies, text in work
    ]


@dataclass
class _Batch:
    docs: list[tuple[str, wikitext.ArticleDoc]]
    built: list[_BuiltArticle]
    see_also_targets: dict[str, Article]
    rendered: Callable[[], list[tuple[str, list[str], set[int], set[int]]]]


def _read(data: bytes | Path) -> bytes:
    return data.read_bytes() if isinstance(data, Path) else data


def _parse(name: str, data: bytes | Path) -> wikitext.ArticleDoc:
    try:
        return wikitext.parse(wikitext.decode(_read(data)))
    except wikitext.WikitextError as exc:
        raise ImportFailed(exc.located(name)) from None


def _parse_sources(sources: Iterable[Source]) -> Iterator[tuple[str, wikitext.ArticleDoc]]:
    """Every file parsed, one at a time; the first bad one raises
    ImportFailed naming its file and line."""
    check = _TitleCheck()
    for name, data in sources:
        doc = _parse(name, data)
        check.add(name, doc.title)
        yield name, doc


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _ImportRun:
    """One import: what every batch needs to know about all of it. Links
    between the imported articles resolve whatever their order, because the
    slug of every title is settled before the first batch is written."""

    def __init__(self, titles: list[str], names: NameIndex):
        self.names = names
        self.existing: dict[str, tuple[int, str, str]] = {}  # title: (pk, slug, status)
        for chunk in _chunks(titles):
            for pk, title, slug, status in Article.objects.filter(title__in=chunk).values_list(
                "pk", "title", "slug", "status"
            ):
                self.existing[title] = (pk, slug, status)
        self.created_slugs = _new_slugs([t for t in titles if t not in self.existing])
        self.imported_ids: set[int] = set()
        self.new_places: list[tuple[int, str]] = []

    def url(self, title: str) -> str | None:
        """The address the title will have once imported; None if it is not
        an imported title, or one of a draft."""
        if title in self.created_slugs:
            slug = self.created_slugs[title]
        elif title in self.existing and self.existing[title][2] == Article.Status.PUBLISHED:
            slug = self.existing[title][1]
        else:
            return None
        return reverse("article-detail", kwargs={"slug": slug})

    def urls(self, titles: set[str]) -> dict[str, str]:
        urls = {}
        rest = set()
        for title in titles:
            url = self.url(title)
            if url:
                urls[title] = url
            else:
                rest.add(title)
        urls.update((t, a.get_absolute_url()) for t, a in resolve_titles(rest).items())
        return urls

    def prepare(
        self, docs: list[tuple[str, wikitext.ArticleDoc]], pool: Executor | None
    ) -> _Batch:
        """Build a batch's articles and rows, and start rendering them and
        finding their mentions (in ``pool`` if there is one, while the
        previous batch is written)."""
        titles = [doc.title for _, doc in docs]
        found = {a.title: a for a in Article.objects.select_for_update().filter(title__in=titles)}
        hosts = {t: c for t in titles if (c := _host_country(t))}
        places = _get_or_create_named_many(
            Place, sorted(set(hosts.values())), kind=Place.Kind.COUNTRY
        )
        places.update(_get_or_create_named_many(
            Place, sorted({p for _, d in docs for p in d.infobox.places} - places.keys())
        ))
        new_places = list({
            p.pk: (p.pk, p.name) for p in places.values() if p.name not in self.names.places
        }.values())
        self.names.add_places(new_places)
        self.new_places += new_places
        languages = _get_or_create_named_many(
            Language, sorted({n for _, d in docs for n in d.infobox.languages})
        )
        religions = _get_or_create_named_many(
            Religion, sorted({n for _, d in docs for n in d.infobox.religions})
        )

        built = []
        for name, doc in docs:
            article = found.get(doc.title) or Article(
                title=doc.title,
                slug=self.created_slugs[doc.title],
                status=Article.Status.PUBLISHED,
            )
            try:
                built.append(_build_article(article, doc, places, languages, religions))
            except ValidationError as exc:
                raise ImportFailed(f"{name}: {_describe(exc)}") from None
        _fill_origins([b.article for b in built])

        urls = self.urls({t for b in built for t in b.link_titles})
        see_also_targets = resolve_titles(
            {row.target_title for b in built for row in b.see_also} - self.created_slugs.keys()
        )
        kept = _kept_rows([b.article.pk for b in built if b.article.pk])
        for b in built:
            b.kept = kept.get(b.article.pk)
        work = [(b.article.lead, [s.body for s in b.sections], b.text()) for b in built]
        if pool is None:
            done = render_and_find(work, urls, [], self.names)
            rendered = lambda: done
        else:
            size = -(-len(work) // _WORKERS)
            futures = [
                pool.submit(render_and_find, work[i : i + size], urls, list(self.new_places))
                for i in range(0, len(work), size)
            ]
            rendered = lambda: [row for f in futures for row in f.result()]
        return _Batch(docs, built, see_also_targets, rendered)

    def write(self, batch: _Batch, *, user) -> list[ImportResult]:
        """Write a prepared batch: articles, rows, mentions, revisions."""
        built = batch.built
        for b, (lead_html, bodies_html, people, places) in zip(
            built, batch.rendered(), strict=True
        ):
            b.article.lead_html = lead_html
            for section, html in zip(b.sections, bodies_html, strict=True):
                section.body_html = html
            b.wikilinks = [WikiLink(target_title=t) for t in sorted(b.link_titles)]
            b.set_mentions(people, places)
        _people_and_places_named(built)
        for b in built:
            b.article.search_document = b.search_document()

        updated = [b for b in built if b.article.pk]
        now = timezone.now()
        Article.objects.bulk_create([b.article for b in built if not b.article.pk])
        for b in updated:
            b.article.updated = now
            Article.updated.field.pre_save(b.article, add=False)
        Article.objects.bulk_update(
            [b.article for b in updated], _ARTICLE_IMPORT_FIELDS, batch_size=100
        )
        ids = [b.article.pk for b in updated]
        for model, _ in _BUILT_ROWS[:7]:
            model.objects.filter(article_id__in=ids).delete()
        PersonMention.objects.filter(article_id__in=ids, state=Mention.State.FOUND).delete()
        PlaceMention.objects.filter(article_id__in=ids, state=Mention.State.FOUND).delete()
        for b in built:
            b.attach(batch.see_also_targets)
        for model, attribute in _BUILT_ROWS:
            model.objects.bulk_create([row for b in built for row in getattr(b, attribute)])

        revisions_save(
            [(b.article, b.revision_rows()) for b in built],
            user=user,
            comments=[f"Imported from {name}" for name, _ in batch.docs],
        )
        results = []
        for (name, _), b in zip(batch.docs, built, strict=True):
            self.imported_ids.add(b.article.pk)
            results.append(ImportResult(
                name=name, article_id=b.article.pk, title=b.article.title,
                slug=b.article.slug, created=b.created,
            ))
        return results

    def link_created(self) -> None:
        """After the last batch: See also rows anywhere that name an
        imported title now point at it, and articles outside the import
        whose [[links]] name a new title are rendered again."""
        published = [
            title for title in [*self.created_slugs, *self.existing]
            if title in self.created_slugs or self.existing[title][2] == Article.Status.PUBLISHED
        ]
        for chunk in _chunks(published):
            SeeAlso.objects.filter(target_title__in=chunk).update(
                target=Subquery(
                    Article.objects.published()
                    .filter(title=OuterRef("target_title"))
                    .values("pk")[:1]
                )
            )
        for chunk in _chunks(list(self.created_slugs)):
            linking = set(
                WikiLink.objects.filter(target_title__in=chunk).values_list("article_id", flat=True)
            )
            for other in Article.objects.filter(pk__in=linking - self.imported_ids):
                article_render(article=other)


# What an import writes of an article, besides the article row.
_ARTICLE_IMPORT_FIELDS = [
    "lead", "lead_html", "group_name", "population", "population_note", "origin_group",
    "origin_country", "host_country", "search_document", "updated",
]


class _BuiltArticle:
    """An article and its rows as a document makes them, before writing."""

    def __init__(self, article: Article, created: bool):
        self.article = article
        self.created = created
        self.sections: list[Section] = []
        self.see_also: list[SeeAlso] = []
        self.extra_rows: list[InfoboxRow] = []
        self.place_rows: list[PopulationPlace] = []
        self.language_rows: list[ArticleLanguage] = []
        self.religion_rows: list[ArticleReligion] = []
        self.wikilinks: list[WikiLink] = []
        self.person_mentions: list[PersonMention] = []
        self.place_mentions: list[PlaceMention] = []
        self.kept: tuple[list, list, list] | None = None
        self.kept_mentions: list[Mention] = []  # hand-made ones, kept
        self.population_figures: list[PopulationFigure] = []
        self.named_people: list[Person] = []
        self.named_places: list[str] = []

    @functools.cached_property
    def link_titles(self) -> set[str]:
        """Titles the text links to (read once the text is cleaned)."""
        texts = [self.article.lead, *(s.body for s in self.sections)]
        return {title for text in texts for title in markdown.link_titles(text)}

    def text(self) -> str:
        return article_text_of(self.article, self.sections)

    def set_mentions(self, people: set[int], places: set[int]) -> None:
        """Found mentions, given ``kept``: the hand-made person and place
        mentions and population figures of an article being updated."""
        kept_people, kept_places, self.population_figures = self.kept or ([], [], [])
        hand_people = {m.person_id for m in kept_people}
        hand_places = {m.place_id for m in kept_places}
        self.kept_mentions = [*kept_people, *kept_places]
        self.person_mentions = [
            PersonMention(state=Mention.State.FOUND, person_id=pk)
            for pk in sorted(people - hand_people)
        ]
        self.place_mentions = [
            PlaceMention(state=Mention.State.FOUND, place_id=pk)
            for pk in sorted(places - hand_places)
        ]

    def mentioned(self, model: type[Mention]) -> list[int]:
        rows = self.person_mentions if model is PersonMention else self.place_mentions
        kept = [m for m in self.kept_mentions if isinstance(m, model)]
        return [
            m.person_id if model is PersonMention else m.place_id
            for m in [*rows, *kept] if m.state in Mention.SHOWN
        ]

    def search_document(self) -> str:
        return search_document_text(
            article=self.article,
            sections=self.sections,
            extra_values=[row.value for row in self.extra_rows],
            languages=[row.language.name for row in self.language_rows],
            religions=[row.religion.name for row in self.religion_rows],
            places=[*self.named_places, *(row.place.name for row in self.place_rows)],
            people=self.named_people,
        )

    def attach(self, see_also_targets: dict[str, Article]) -> None:
        for rows in (self.sections, self.see_also, self.extra_rows, self.place_rows,
                     self.language_rows, self.religion_rows, self.wikilinks,
                     self.person_mentions, self.place_mentions):
            for row in rows:
                row.article_id = self.article.pk  # the descriptor costs more than the write
        for row in self.see_also:
            target = see_also_targets.get(row.target_title)
            row.target_id = target.pk if target else None

    def revision_rows(self) -> list[models.Model]:
        return [
            *self.sections, *self.see_also, *self.extra_rows, *self.place_rows,
            *self.language_rows, *self.religion_rows, *self.population_figures,
            *self.person_mentions, *self.place_mentions, *self.kept_mentions,
        ]


_BUILT_ROWS = [
    (Section, "sections"), (SeeAlso, "see_also"), (InfoboxRow, "extra_rows"),
    (PopulationPlace, "place_rows"), (ArticleLanguage, "language_rows"),
    (ArticleReligion, "religion_rows"), (WikiLink, "wikilinks"),
    (PersonMention, "person_mentions"), (PlaceMention, "place_mentions"),
]


def _build_article(
    article: Article, doc: wikitext.ArticleDoc, places: dict, languages: dict, religions: dict
) -> _BuiltArticle:
    """Fill ``article`` and build its rows from ``doc``, all checked as the
    admin's forms check them (foreign keys and uniqueness aside: the import
    looked those up itself)."""
    built = _BuiltArticle(article, created=article.pk is None)
    population = doc.infobox.population
    article.lead = doc.lead
    article.group_name = doc.infobox.group
    article.population = population.count if population else None
    article.population_note = population.note if population else ""
    parsed = community_from_title(article.title)
    if parsed:
        if not article.origin_group:
            article.origin_group = parsed[0]
        host = _host_country(article.title)
        if article.host_country_id is None and host is not None:
            article.host_country = places[host]
    article.clean_fields(exclude=["origin_country", "host_country"])
    article.clean()
    infobox = doc.infobox
    built.sections = [
        Section(heading=s.heading, level=s.level, body=s.body, position=i)
        for i, s in enumerate(doc.sections)
    ]
    built.see_also = [
        SeeAlso(target_title=title, position=i) for i, title in enumerate(doc.see_also)
    ]
    built.extra_rows = [
        InfoboxRow(key=row.key, value=row.value, position=row.position) for row in infobox.extras
    ]
    built.place_rows = [
        PopulationPlace(place=places[name], position=i) for i, name in enumerate(infobox.places)
    ]
    built.language_rows = [
        ArticleLanguage(language=languages[name], position=i)
        for i, name in enumerate(infobox.languages)
    ]
    built.religion_rows = [
        ArticleReligion(religion=religions[name], position=i)
        for i, name in enumerate(infobox.religions)
    ]
    for rows in (built.sections, built.see_also, built.extra_rows):
        for row in rows:
            row.clean_fields(exclude=["article", "target"])
            row.clean()
    return built


def _host_country(title: str) -> str | None:
    """The host country an "X in Y" title names, if it can be a place.
    "Russians in Korea, South" names a real country, but a place name must
    read back from a Popplace list (comma-separated): such an article is
    imported without a host country rather than refused."""
    parsed = community_from_title(title)
    if parsed is None:
        return None
    try:
        validate_name(parsed[1])
        if wikitext.split_places(wikitext.join_places([parsed[1]])) != [parsed[1]]:
            return None
    except (ValidationError, InfoboxValueError):
        return None
    return parsed[1]


def _fill_origins(articles: list[Article]) -> None:
    """The origin country of each "X in Y" article without one: the place
    whose demonym is X (one query for them all)."""
    wanted = {a.origin_group for a in articles if a.origin_group and a.origin_country_id is None}
    if not wanted:
        return
    by_demonym: dict[str, Place] = {}
    for place in Place.objects.filter(demonym__in=wanted).order_by("name", "pk"):
        by_demonym.setdefault(place.demonym, place)
    for article in articles:
        if article.origin_country_id is None and article.origin_group in by_demonym:
            article.origin_country = by_demonym[article.origin_group]


def _kept_rows(article_ids: list[int]) -> dict[int, tuple[list, list, list]]:
    """For articles an import updates: their hand-made mentions and
    population figures, which the import keeps (and their revision holds)."""
    kept: dict[int, tuple[list, list, list]] = {pk: ([], [], []) for pk in article_ids}
    if not article_ids:
        return kept
    hand = [Mention.State.ADDED, Mention.State.REMOVED]
    people = PersonMention.objects.filter(article_id__in=article_ids, state__in=hand)
    for m in people.select_related("person"):
        kept[m.article_id][0].append(m)
    places = PlaceMention.objects.filter(article_id__in=article_ids, state__in=hand)
    for m in places.select_related("place"):
        kept[m.article_id][1].append(m)
    for figure in PopulationFigure.objects.filter(article_id__in=article_ids):
        kept[figure.article_id][2].append(figure)
    return kept


def _people_and_places_named(built: list[_BuiltArticle]) -> None:
    """The people (with aliases) and places each article shows as
    mentioned, by name, for its search document and revision (one query
    each for the batch)."""
    person_ids = {pk for b in built for pk in b.mentioned(PersonMention)}
    place_ids = {pk for b in built for pk in b.mentioned(PlaceMention)}
    people = Person.objects.prefetch_related("aliases").in_bulk(person_ids)
    places = Place.objects.in_bulk(place_ids)
    for b in built:
        for row in [*b.person_mentions, *b.place_mentions]:
            if isinstance(row, PersonMention):
                row.person = people[row.person_id]
            else:
                row.place = places[row.place_id]
        b.named_people = [people[pk] for pk in b.mentioned(PersonMention)]
        b.named_places = [places[pk].name for pk in b.mentioned(PlaceMention)]


def _new_slugs(titles: list[str]) -> dict[str, str]:
    """A slug for each new title, distinct from every article's and from
    each other's."""
    bases = {t: slugify(t, allow_unicode=True)[:240].strip("-") or "article" for t in titles}
    taken: set[str] = set()
    for chunk in _chunks(sorted(set(bases.values()))):
        taken.update(Article.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    slugs = {}
    for title in titles:
        slug = bases[title]
        if slug in taken:
            taken.update(
                Article.objects.filter(slug__startswith=slug).values_list("slug", flat=True)
            )
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            slug = f"{slug}-{n}"
        taken.add(slug)
        slugs[title] = slug
    return slugs


def _get_or_create_named_many(model: type[models.Model], names: list[str], **defaults) -> dict:
    """Rows of ``model`` for each of ``names``, made (with unique slugs)
    where missing. Found by name_key: "dari" in a file is the language
    "Dari" already stored, not a second one."""
    keys = {name: wikitext.name_key(name) for name in names}
    by_key: dict = {}
    for chunk in _chunks(sorted(set(keys.values()))):
        by_key.update((obj.name_key, obj) for obj in model.objects.filter(name_key__in=chunk))
    found: dict = {}
    for name in names:
        if keys[name] not in by_key:
            by_key[keys[name]] = _create_named(model, name, keys[name], defaults)
        found[name] = by_key[keys[name]]
    return found


def _create_named(model: type[models.Model], name: str, key: str, defaults: dict):
    """A new row named ``name``, or the row another transaction made under
    the same key meanwhile. On PostgreSQL two imports that name one new
    place at once both find it missing; the second INSERT waits for the
    first to commit and then fails on the unique key: in a savepoint, that
    failure is rolled back and the row now committed is used instead. A slug
    taken meanwhile by another name is chosen again."""
    for _ in range(5):
        existing = model.objects.filter(name_key=key).first()
        if existing is not None:
            return existing
        obj = model(name=name, slug=unique_slug(model, name), **defaults)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            continue
        return obj
    raise ImportFailed(f"{model._meta.verbose_name} {name!r} could not be created; try again")


def article_refresh(
    *,
    article: Article,
    former: tuple[str, str] | None = None,
    names: NameIndex | None = None,
) -> None:
    """Bring everything derived from an article up to date after it (or any
    of its rows) was saved: rendered text, links both ways, mentions found in
    the text and the search document. ``former`` is the (title, slug) it had
    before this save, to keep old URLs and links working after a rename."""
    if former and former != (article.title, article.slug):
        FormerName.objects.get_or_create(article=article, title=former[0], slug=former[1])
    FormerName.objects.filter(article=article, title=article.title, slug=article.slug).delete()
    article_render(article=article)
    see_also_link(article=article)
    mentions_detect(article=article, names=names)
    search_document_update(article=article)
    titles = [article.title, *article.former_names.values_list("title", flat=True)]
    if former:
        titles.append(former[0])
    _render_linking(titles, exclude_pk=article.pk)


@transaction.atomic
def article_delete(*, article: Article) -> None:
    """Delete an article; links to it elsewhere turn missing."""
    titles = [article.title, *article.former_names.values_list("title", flat=True)]
    article.delete()
    _render_linking(titles)


def _render_linking(titles: list[str], exclude_pk: int | None = None) -> None:
    """Render again the articles whose [[links]] name one of ``titles``, so
    that their links appear, follow a rename or turn missing."""
    linking = Article.objects.filter(wikilinks__target_title__in=titles).distinct()
    for other in linking.exclude(pk=exclude_pk):
        article_render(article=other)


def article_revision_save(*, article: Article, user=None, comment: str = "") -> Revision:
    """Record the article as it now stands, with every row it holds, as one
    revision. Called after each save: through the admin, an import or a
    revert."""
    rows = []
    for related in ARTICLE_ROWS:
        rows += getattr(article, related).select_related(*_NAMED_BY.get(related, ()))
    return revisions_save([(article, rows)], user=user, comments=[comment])[0]


# Rows whose text (the version's object_repr) is the name of what they point at.
_NAMED_BY = {
    "place_rows": ["place"], "language_rows": ["language"], "religion_rows": ["religion"],
    "person_mentions": ["person"], "place_mentions": ["place"],
}


class _Versioned:
    """How django-reversion stores a model: its JSON serialization (as
    ``serializers.serialize("json", [obj])`` writes it, field by field the
    same, tested) without the serializer's per-object machinery."""

    def __init__(self, model: type[models.Model]):
        options = reversion_options(model)
        if options.format != "json" or options.use_natural_foreign_keys:
            raise NotImplementedError(f"{model} is registered with options this does not write")
        meta = model._meta.concrete_model._meta
        self.label = str(meta)

        def selected(name: str) -> bool:
            return options.fields is None or name in options.fields

        self.fields = [
            field for field in meta.local_fields
            if field.serialize
            and selected(field.attname if field.remote_field is None else field.name)
        ]
        self.many = [
            field for field in meta.local_many_to_many
            if field.serialize and selected(field.attname)
            and field.remote_field.through._meta.auto_created
        ]
        if self.many:
            raise NotImplementedError(f"{model} has many-to-many fields this does not write")

    def serialize(self, obj: models.Model) -> str:
        fields = {}
        for field in self.fields:
            value = field.value_from_object(obj)
            fields[field.name] = (
                value if value is None or is_protected_type(value) else field.value_to_string(obj)
            )
        data = {"model": self.label, "pk": obj.pk, "fields": fields}
        return "[" + json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "]"


@functools.cache
def _versioned(model: type[models.Model]) -> _Versioned:
    return _Versioned(model)


def revisions_save(
    entries: list[tuple[Article, list[models.Model]]], *, user=None, comments: list[str]
) -> list[Revision]:
    """One revision per article, holding it and ``rows`` (every row of
    ARTICLE_ROWS it has), as django-reversion's ``add_to_revision`` with
    ``follow`` would make it; written in bulk, for imports of thousands.
    Rows that point at other models should have them cached (``row.place``)
    or their text (``object_repr``) costs a query each."""
    if not entries:
        return []
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        [Revision(date_created=now, user=user, comment=comment) for comment in comments]
    )
    db = router.db_for_write(Article)
    rows = []
    for (article, article_rows), revision in zip(entries, revisions, strict=True):
        for obj in (article, *article_rows):
            version = _versioned(type(obj))
            rows.append((
                revision.pk, ContentType.objects.get_for_model(type(obj)).pk, str(obj.pk), db,
                "json",
                version.serialize(obj), str(obj),
            ))
    # Tens of thousands of versions in an import: as rows, not models.
    table = connections[db].ops.quote_name(Version._meta.db_table)
    with connections[db].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (revision_id, content_type_id, object_id, db, format, "
            "serialized_data, object_repr) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    return revisions


class RevertRefused(Exception):
    """A revision that cannot be restored as it stands; nothing was changed."""


@transaction.atomic
def article_revert(*, article: Article, revision: Revision, user=None) -> Revision:
    """Restore the article and all its rows as they were in ``revision``;
    the result is itself a new revision. Raises ``RevertRefused``, having
    changed nothing, when the revision cannot be restored (its title or slug
    belongs to another article now, or a row points at something deleted)."""
    version = revision.version_set.filter(
        content_type__model="article", object_id=str(article.pk)
    ).first()
    if version is None:
        raise ValueError(f"revision {revision.pk} is not a revision of {article}")
    try:
        recorded = version.field_dict
    except RevertError as error:
        raise RevertRefused(f"Revision {revision.pk} cannot be read: {error}") from error
    others = Article.objects.exclude(pk=article.pk)
    for name, what in (("title", "title"), ("slug", "address (slug)")):
        taken = others.filter(**{name: recorded.get(name)}).only("title").first()
        if taken is not None:
            which = "" if name == "title" else f", “{taken.title}”,"
            raise RevertRefused(
                f"Revision {revision.pk} cannot be restored: another article{which} has its "
                f"{what} “{recorded[name]}” now. Rename that article first, or edit this one "
                "instead of reverting."
            )
    former = (article.title, article.slug)
    try:
        revision.revert(delete=True)
    except RevertError as error:
        # Raised out of this atomic block: whatever the revert wrote is undone.
        raise RevertRefused(f"Revision {revision.pk} cannot be restored: {error}") from error
    article = Article.objects.get(pk=article.pk)
    article_refresh(article=article, former=former)
    when = revision.date_created.strftime("%Y-%m-%d %H:%M")
    return article_revision_save(
        article=article, user=user, comment=f"Reverted to revision {revision.pk} of {when}"
    )


def resolve_titles(
    titles: set[str] | list[str], *, status: str = Article.Status.PUBLISHED
) -> dict[str, Article]:
    """Articles of ``status`` (published by default) by title, including
    titles they had before a rename: one query, two if some are not current."""
    titles = set(titles)
    if not titles:
        return {}
    found = {
        a.title: a
        for a in Article.objects.filter(status=status, title__in=titles).only("id", "title", "slug")
    }
    rest = titles - found.keys()
    if rest:
        former = FormerName.objects.filter(
            title__in=rest, article__status=status
        ).select_related("article").order_by("-renamed", "-id")
        for name in former:
            found.setdefault(name.title, name.article)
    return found


def article_render(*, article: Article) -> None:
    """Render the lead and sections' Markdown and record their [[links]]."""
    sections = list(article.sections.all())
    texts = [article.lead, *(section.body for section in sections)]
    titles = {title for text in texts for title in markdown.link_titles(text)}
    urls = {title: a.get_absolute_url() for title, a in resolve_titles(titles).items()}
    article.lead_html = markdown.render(article.lead, urls)
    Article.objects.filter(pk=article.pk).update(lead_html=article.lead_html)
    for section in sections:
        section.body_html = markdown.render(section.body, urls)
    Section.objects.bulk_update(sections, ["body_html"])
    existing = set(article.wikilinks.values_list("target_title", flat=True))
    article.wikilinks.exclude(target_title__in=titles).delete()
    WikiLink.objects.bulk_create(
        [WikiLink(article=article, target_title=title) for title in titles - existing]
    )


def see_also_link(*, article: Article) -> None:
    """Point See also rows at the articles their titles name: this article's
    own rows, and every row elsewhere that names this article by its title or
    a former one."""
    names = {article.title, *article.former_names.values_list("title", flat=True)}
    rows = list(
        SeeAlso.objects.filter(
            Q(article=article) | Q(target_title__in=names) | Q(target=article)
        )
    )
    targets = resolve_titles({row.target_title for row in rows})
    changed = []
    for row in rows:
        target = targets.get(row.target_title)
        target_id = target.pk if target else None
        if row.target_id != target_id:
            row.target_id = target_id
            changed.append(row)
    SeeAlso.objects.bulk_update(changed, ["target"])


def name_index() -> NameIndex:
    """Names and aliases of every person and place, for finding mentions."""
    return build_index(
        [
            *Person.objects.values_list("pk", "name"),
            *Alias.objects.values_list("person_id", "name"),
        ],
        Place.objects.values_list("pk", "name"),
    )


def article_text(article: Article) -> str:
    """The prose of an article, where mentions are looked for."""
    return article_text_of(article, article.sections.all())


def article_text_of(article: Article, sections: Iterable[Section]) -> str:
    parts = [article.title, article.lead]
    for section in sections:
        parts += [section.heading, section.body]
    return "\n".join(parts)


def mentions_detect(*, article: Article, names: NameIndex | None = None) -> None:
    """Record who and what the article's text names. Hand-made choices
    (added or removed) are left as they are."""
    people, places = (names or name_index()).find(article_text(article))
    _sync_found(PersonMention, article, "person_id", people)
    _sync_found(PlaceMention, article, "place_id", places)


def _sync_found(model: type[Mention], article: Article, key: str, found: set[int]) -> None:
    rows = {getattr(row, key): row for row in model.objects.filter(article=article)}
    stale = [
        row.pk for pk, row in rows.items() if row.state == Mention.State.FOUND and pk not in found
    ]
    model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(
        [
            model(article=article, state=Mention.State.FOUND, **{key: pk})
            for pk in sorted(found - rows.keys())
        ]
    )


def person_refresh(*, person: Person) -> None:
    """After a person or their aliases changed: find the articles that name
    them now, and drop mentions found under names they no longer have."""
    names = [person.name, *person.aliases.values_list("name", flat=True)]
    _refresh_mentions_of(PersonMention, "person", person.pk, names)


def place_refresh(*, place: Place) -> None:
    """After a place changed: the same as person_refresh, for places; and a
    country whose demonym is now known becomes the origin of its groups."""
    _refresh_mentions_of(PlaceMention, "place", place.pk, [place.name])
    if place.demonym:
        Article.objects.filter(origin_group=place.demonym, origin_country__isnull=True).update(
            origin_country=place
        )


def _refresh_mentions_of(model: type[Mention], key: str, pk: int, names: list[str]) -> None:
    index = build_index([(pk, name) for name in names], [])
    mentions = model._meta.get_field("article").related_query_name()
    candidates = Q(**{f"{mentions}__{key}": pk})
    for name in names:
        candidates |= Q(title__contains=name) | Q(lead__contains=name)
        candidates |= Q(sections__heading__contains=name) | Q(sections__body__contains=name)
    for article in Article.objects.filter(candidates).distinct().prefetch_related("sections"):
        named = bool(index.find(article_text(article))[0])
        row = model.objects.filter(article=article, **{f"{key}_id": pk}).first()
        if named and row is None:
            model.objects.create(article=article, state=Mention.State.FOUND, **{f"{key}_id": pk})
        elif not named and row is not None and row.state == Mention.State.FOUND:
            row.delete()
        search_document_update(article=article)


def search_document_update(*, article: Article) -> None:
    """The text search looks in: title, lead, sections, infobox values and
    the names (with aliases) of the people and places mentioned."""
    shown = {"mentions__article": article, "mentions__state__in": Mention.SHOWN}
    document = search_document_text(
        article=article,
        sections=article.sections.all(),
        extra_values=[row.value for row in article.extra_rows.all()],
        languages=[row.language.name for row in article.language_rows.select_related("language")],
        religions=[row.religion.name for row in article.religion_rows.select_related("religion")],
        places=[
            *Place.objects.filter(**shown).values_list("name", flat=True),
            *article.population_places.values_list("name", flat=True),
        ],
        people=Person.objects.filter(**shown).prefetch_related("aliases"),
    )
    Article.objects.filter(pk=article.pk).update(search_document=document)
    article.search_document = document


def search_document_text(
    *,
    article: Article,
    sections: Iterable[Section],
    extra_values: list[str],
    languages: list[str],
    religions: list[str],
    places: Iterable[str],
    people: Iterable[Person],
) -> str:
    """The search document of an article made of these parts (people with
    their aliases prefetched); places and people sorted by name."""
    parts = [
        article_text_of(article, sections),
        article.group_name,
        article.population_note,
        *extra_values,
        *languages,
        *religions,
        *sorted(set(places)),
    ]
    for person in sorted(people, key=lambda p: (p.name, p.pk)):
        parts += [person.name, *(alias.name for alias in person.aliases.all())]
    return "\n".join(part for part in parts if part)


def community_from_title(title: str) -> tuple[str, str] | None:
    """("Russians", "Afghanistan") from "Russians in Afghanistan"."""
    group, sep, country = title.partition(" in ")
    if not sep or not group.strip() or not country.strip():
        return None
    country = country.strip()
    return group.strip(), country.removeprefix("the ")


def article_to_doc(article: Article) -> wikitext.ArticleDoc:
    """The article as a document; use ``Article.objects.with_document()`` to
    fetch it in a fixed number of queries."""
    return wikitext.ArticleDoc(
        title=article.title,
        infobox=wikitext.Infobox(
            group=article.group_name,
            population=article.population_figure,
            places=[row.place.name for row in article.place_rows.all()],
            languages=[row.language.name for row in article.language_rows.all()],
            religions=[row.religion.name for row in article.religion_rows.all()],
            extras=[
                wikitext.ExtraRow(row.key, row.value, row.position)
                for row in article.extra_rows.all()
            ],
        ),
        lead=article.lead,
        sections=[
            wikitext.Section(heading=s.heading, level=s.level, body=s.body)
            for s in article.sections.all()
        ],
        see_also=[row.target_title for row in article.see_also.all()],
    )


def article_export(*, article: Article) -> str:
    return wikitext.dump(article_to_doc(article))


def articles_export(*, slugs: list[str] | None = None) -> Iterator[tuple[Article, str]]:
    """(article, wiki-text) for the given slugs, or for every article.

    Unknown slugs raise ``Article.DoesNotExist`` naming them, before any
    output is produced.
    """
    articles = Article.objects.with_document().order_by("title")
    if slugs:
        articles = articles.filter(slug__in=slugs)
        missing = set(slugs) - set(articles.values_list("slug", flat=True))
        if missing:
            raise Article.DoesNotExist(f"no article with the slug {', '.join(sorted(missing))}")
    for article in articles.iterator(chunk_size=500):
        yield article, article_export(article=article)


class ExportFailed(Exception):
    """An export to a folder that wrote nothing; the message says why."""


# Most file systems allow 255 bytes in a file name, not 255 characters: a
# slug of 240 Cyrillic or Arabic letters is 480 bytes.
MAX_FILE_NAME_BYTES = 255


def export_file_name(slug: str) -> str:
    """``<slug>.txt``, or for a slug too long in bytes its start cut at a
    character boundary plus a hash of the whole slug: stable from one
    export to the next, and distinct for distinct slugs."""
    name = f"{slug}.txt"
    if len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES:
        return name
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:12]
    budget = MAX_FILE_NAME_BYTES - len(f"-{digest}.txt")
    start = slug.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip("-")
    return f"{start}-{digest}.txt"


def articles_export_to_folder(
    *, folder: Path, slugs: list[str] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> int:
    """One file per article (:func:`export_file_name`) in ``folder``, all
    or nothing: every name is settled and checked first, the files are
    written into a hidden folder inside ``folder`` and moved into place only
    when all are written. Raises ExportFailed (nothing written) or
    Article.DoesNotExist for unknown slugs. Returns the number of files."""
    wanted = Article.objects.all()
    if slugs:
        wanted = wanted.filter(slug__in=slugs)
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for slug in wanted.values_list("slug", flat=True).iterator():
        name = export_file_name(slug)
        if name in owners:
            raise ExportFailed(f"the articles {owners[name]!r} and {slug!r} would both be {name}")
        names[slug], owners[name] = name, slug
    missing = set(slugs or ()) - names.keys()
    if missing:
        raise Article.DoesNotExist(f"no article with the slug {', '.join(sorted(missing))}")
    if folder.exists() and not folder.is_dir():
        raise ExportFailed(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        blocked = [name for name in owners if (folder / name).is_dir()]
        if blocked:
            raise ExportFailed(f"{folder / blocked[0]}: is a folder; nothing was written")
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    except OSError as exc:
        raise ExportFailed(f"{folder}: {exc.strerror or exc}") from None
    moved = 0
    try:
        count = 0
        for article, text in articles_export(slugs=slugs):
            (staging / names[article.slug]).write_bytes(text.encode("utf-8"))
            count += 1
        # Renames within one folder: they do not fail for want of space.
        for name in names.values():
            os.replace(staging / name, folder / name)
            moved += 1
            if on_file:
                on_file(folder / name)
    except OSError as exc:
        done = f"{moved} of {len(names)} files were replaced" if moved else "nothing was written"
        raise ExportFailed(f"{exc.filename or folder}: {exc.strerror or exc}; {done}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


# The admin's import preview: what articles_import would do, without writing.


@dataclass(frozen=True)
class PlannedSection:
    """A section named in an import plan; ``position`` counts from 1 in the
    document it is in (the file, or for a removed section the article)."""

    heading: str
    position: int

    def __str__(self) -> str:
        return self.heading


@dataclass(frozen=True)
class PlannedRow:
    """An infobox row an import adds (``old`` is None), changes or removes
    (``new`` is None)."""

    key: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class PlannedArticle:
    """What importing one file does to the article of its title."""

    name: str
    title: str
    article: Article | None  # None: the import creates it
    lead_changed: bool = False
    sections_added: tuple[PlannedSection, ...] = ()
    sections_changed: tuple[PlannedSection, ...] = ()
    sections_removed: tuple[PlannedSection, ...] = ()
    infobox_rows: tuple[PlannedRow, ...] = ()
    see_also_added: tuple[str, ...] = ()
    see_also_removed: tuple[str, ...] = ()
    reordered: tuple[str, ...] = ()  # "sections", "infobox rows", "See also"

    @property
    def created(self) -> bool:
        return self.article is None

    @property
    def unchanged(self) -> bool:
        return not self.created and not (
            self.lead_changed
            or self.sections_added
            or self.sections_changed
            or self.sections_removed
            or self.infobox_rows
            or self.see_also_added
            or self.see_also_removed
            or self.reordered
        )

    @classmethod
    def compare(cls, name: str, doc: wikitext.ArticleDoc, article: Article) -> PlannedArticle:
        """The changes from ``article`` (fetched ``with_document()``) to ``doc``.
        Sections match by heading (the n-th of a heading with the n-th),
        infobox rows by key, See also entries by title."""
        old = article_to_doc(article)

        def keyed(items):
            seen: dict = {}
            out = {}
            for index, (key, value) in enumerate(items):
                seen[key] = seen.get(key, 0) + 1
                out[(key, seen[key])] = (index, value)
            return out

        def order(before: dict, after: dict) -> bool:
            common = [k for k in before if k in after]
            return common != sorted(common, key=lambda k: after[k][0])

        old_sections = keyed((s.heading, s) for s in old.sections)
        new_sections = keyed((s.heading, s) for s in doc.sections)
        old_rows = keyed(wikitext.infobox_rows(old.infobox))
        new_rows = keyed(wikitext.infobox_rows(doc.infobox))
        reordered = [
            part
            for part, before, after in [
                ("sections", old_sections, new_sections),
                ("infobox rows", old_rows, new_rows),
                ("See also", keyed((t, t) for t in old.see_also),
                 keyed((t, t) for t in doc.see_also)),
            ]
            if order(before, after)
        ]
        return cls(
            name=name,
            title=doc.title,
            article=article,
            lead_changed=old.lead != doc.lead,
            sections_added=tuple(
                PlannedSection(s.heading, i + 1)
                for k, (i, s) in new_sections.items() if k not in old_sections
            ),
            sections_changed=tuple(
                PlannedSection(s.heading, i + 1)
                for k, (i, s) in new_sections.items()
                if k in old_sections and old_sections[k][1] != s
            ),
            sections_removed=tuple(
                PlannedSection(s.heading, i + 1)
                for k, (i, s) in old_sections.items() if k not in new_sections
            ),
            infobox_rows=tuple(
                [
                    PlannedRow(k[0], old_rows[k][1] if k in old_rows else None, value)
                    for k, (_, value) in new_rows.items()
                    if k not in old_rows or old_rows[k][1] != value
                ]
                + [PlannedRow(k[0], value, None) for k, (_, value) in old_rows.items()
                   if k not in new_rows]
            ),
            see_also_added=tuple(t for t in doc.see_also if t not in old.see_also),
            see_also_removed=tuple(t for t in old.see_also if t not in doc.see_also),
            reordered=tuple(reordered),
        )


@dataclass(frozen=True)
class ImportPlan:
    articles: list[PlannedArticle]

    @property
    def created(self) -> list[PlannedArticle]:
        return [a for a in self.articles if a.created]

    @property
    def updated(self) -> list[PlannedArticle]:
        return [a for a in self.articles if not a.created and not a.unchanged]

    @property
    def unchanged(self) -> list[PlannedArticle]:
        return [a for a in self.articles if a.unchanged]


def articles_import_plan(*, sources: Iterable[tuple[str, bytes]]) -> ImportPlan:
    """What ``articles_import(sources=...)`` would create and change, for a
    preview; nothing is written. Files are parsed as articles_import parses
    them, and a file it would refuse while parsing raises the same
    ``ImportFailed`` (model validation happens only when it writes)."""
    docs = list(_parse_sources(sources))
    existing = {
        article.title: article
        for article in Article.objects.with_document().filter(title__in=[d.title for _, d in docs])
    }
    return ImportPlan(
        articles=[
            PlannedArticle.compare(name, doc, existing[doc.title])
            if doc.title in existing
            else PlannedArticle(name=name, title=doc.title, article=None)
            for name, doc in docs
        ]
    )
