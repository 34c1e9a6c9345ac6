"""Writes that touch several models. The admin, the management commands and
the views all call these: one implementation of each operation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction
from reversion.models import Revision, Version

from django.db.models import Q

from encyclopedia.text import unique_slug
from people.models import Alias, Person, Place

from . import markdown, wikitext
from .mentions import NameIndex, build_index
from .models import (
    Article,
    ArticleLanguage,
    ArticleReligion,
    FormerName,
    InfoboxRow,
    Language,
    Mention,
    PersonMention,
    PlaceMention,
    PopulationPlace,
    Religion,
    SeeAlso,
    Section,
    WikiLink,
)


class ImportFailed(Exception):
    """An import that wrote nothing; the message names the file and line."""


@dataclass(frozen=True)
class ImportResult:
    name: str
    article: Article
    created: bool


def articles_import(
    *,
    sources: Iterable[tuple[str, bytes]],
    on_progress: Callable[[ImportResult], None] | None = None,
    user=None,
) -> list[ImportResult]:
    """Import wiki-text files, all or nothing.

    ``sources`` are (name, bytes) pairs; every file is parsed before anything
    is written, and all writes share one transaction. Each article imported
    gets a revision by ``user`` (None for the command line).
    """
    docs = _parse_sources(sources)
    results = []
    names = name_index()
    with transaction.atomic():
        for name, doc in docs:
            try:
                article, created = article_import(doc=doc, names=names)
            except ValidationError as exc:
                raise ImportFailed(f"{name}: {_describe(exc)}") from None
            article_revision_save(article=article, user=user, comment=f"Imported from {name}")
            result = ImportResult(name=name, article=article, created=created)
            results.append(result)
            if on_progress:
                on_progress(result)
    return results


def _parse_sources(sources: Iterable[tuple[str, bytes]]) -> list[tuple[str, wikitext.ArticleDoc]]:
    """Every file parsed, before anything is written; the first bad one
    raises ImportFailed naming its file and line."""
    docs: list[tuple[str, wikitext.ArticleDoc]] = []
    first_file: dict[str, str] = {}
    for name, data in sources:
        try:
            doc = wikitext.parse(wikitext.decode(data))
        except wikitext.WikitextError as exc:
            raise ImportFailed(exc.located(name)) from None
        if doc.title in first_file:
            raise ImportFailed(
                f"{name}:1: the title {doc.title!r} is also the title of {first_file[doc.title]}"
            )
        first_file[doc.title] = name
        docs.append((name, doc))
    return docs


@transaction.atomic
def article_import(
    *, doc: wikitext.ArticleDoc, names: NameIndex | None = None
) -> tuple[Article, bool]:
    """Create or update the article titled ``doc.title`` to match ``doc``
    exactly: rows the document no longer has are removed. Editorial data the
    wiki-text does not hold (status, tags, hand-made mentions, population
    history) is kept."""
    article = Article.objects.select_for_update().filter(title=doc.title).first()
    created = article is None
    if article is None:
        article = Article(
            title=doc.title,
            slug=unique_slug(Article, doc.title),
            status=Article.Status.PUBLISHED,
        )
    population = doc.infobox.population
    article.lead = doc.lead
    article.group_name = doc.infobox.group
    article.population = population.count if population else None
    article.population_note = population.note if population else ""
    _fill_community(article)
    article.full_clean()
    article.save()
    _replace_rows(article, doc)
    if names is not None:
        places = [*doc.infobox.places, *([article.host_country.name] if article.host_country else [])]
        names.add_places(
            Place.objects.filter(name__in=places).exclude(name__in=names.places).values_list("pk", "name")
        )
    article_refresh(article=article, names=names)
    return article, created


def _replace_rows(article: Article, doc: wikitext.ArticleDoc) -> None:
    infobox = doc.infobox
    for related in ("sections", "see_also", "extra_rows", "place_rows", "language_rows",
                    "religion_rows"):
        getattr(article, related).all().delete()

    _create(Section, [
        Section(article=article, heading=s.heading, level=s.level, body=s.body, position=i)
        for i, s in enumerate(doc.sections)
    ])
    _create(SeeAlso, [
        SeeAlso(article=article, target_title=title, position=i)
        for i, title in enumerate(doc.see_also)
    ])
    _create(InfoboxRow, [
        InfoboxRow(article=article, key=row.key, value=row.value, position=row.position)
        for row in infobox.extras
    ])
    places = _get_or_create_named(Place, infobox.places)
    _create(PopulationPlace, [
        PopulationPlace(article=article, place=places[name], position=i)
        for i, name in enumerate(infobox.places)
    ])
    languages = _get_or_create_named(Language, infobox.languages)
    _create(ArticleLanguage, [
        ArticleLanguage(article=article, language=languages[name], position=i)
        for i, name in enumerate(infobox.languages)
    ])
    religions = _get_or_create_named(Religion, infobox.religions)
    _create(ArticleReligion, [
        ArticleReligion(article=article, religion=religions[name], position=i)
        for i, name in enumerate(infobox.religions)
    ])


def _create(model: type[models.Model], rows: list[models.Model]) -> None:
    for row in rows:
        # Field checks only: the foreign keys were just saved or looked up.
        row.clean_fields(exclude=["article", "place", "language", "religion", "target"])
        row.clean()
    model.objects.bulk_create(rows)


def _get_or_create_named(model: type[models.Model], names: list[str], **defaults) -> dict:
    found = {obj.name: obj for obj in model.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            obj = model(name=name, slug=unique_slug(model, name), **defaults)
            obj.full_clean()
            obj.save()
            found[name] = obj
    return found


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
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)
    return Version.objects.get_for_object(article).select_related("revision").first().revision


@transaction.atomic
def article_revert(*, article: Article, revision: Revision, user=None) -> Revision:
    """Restore the article and all its rows as they were in ``revision``;
    the result is itself a new revision."""
    if not revision.version_set.filter(
        content_type__model="article", object_id=str(article.pk)
    ).exists():
        raise ValueError(f"revision {revision.pk} is not a revision of {article}")
    former = (article.title, article.slug)
    revision.revert(delete=True)
    article = Article.objects.get(pk=article.pk)
    article_refresh(article=article, former=former)
    when = revision.date_created.strftime("%Y-%m-%d %H:%M")
    return article_revision_save(
        article=article, user=user, comment=f"Reverted to revision {revision.pk} of {when}"
    )


def resolve_titles(titles: set[str] | list[str]) -> dict[str, Article]:
    """Published articles by title, including titles they had before a rename."""
    titles = set(titles)
    if not titles:
        return {}
    found = {
        a.title: a
        for a in Article.objects.published().filter(title__in=titles).only("id", "title", "slug")
    }
    rest = titles - found.keys()
    if rest:
        former = FormerName.objects.filter(
            title__in=rest, article__status=Article.Status.PUBLISHED
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
    parts = [article.title, article.lead]
    for section in article.sections.all():
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
    people = Person.objects.filter(
        mentions__article=article, mentions__state__in=Mention.SHOWN
    ).prefetch_related("aliases")
    places = Place.objects.filter(
        Q(mentions__article=article, mentions__state__in=Mention.SHOWN)
        | Q(population_articles=article)
    ).distinct()
    parts = [
        article_text(article),
        article.group_name,
        article.population_note,
        *article.extra_rows.values_list("value", flat=True),
        *article.languages.values_list("name", flat=True),
        *article.religions.values_list("name", flat=True),
        *places.values_list("name", flat=True),
    ]
    for person in people:
        parts += [person.name, *(alias.name for alias in person.aliases.all())]
    document = "\n".join(part for part in parts if part)
    Article.objects.filter(pk=article.pk).update(search_document=document)
    article.search_document = document


def community_from_title(title: str) -> tuple[str, str] | None:
    """("Russians", "Afghanistan") from "Russians in Afghanistan"."""
    group, sep, country = title.partition(" in ")
    if not sep or not group.strip() or not country.strip():
        return None
    country = country.strip()
    return group.strip(), country[4:] if country.startswith("the ") else country


def _fill_community(article: Article) -> None:
    """Fill origin group and countries from an "X in Y" title, unless an
    editor has set them."""
    parsed = community_from_title(article.title)
    if parsed is None:
        return
    group, country = parsed
    if not article.origin_group:
        article.origin_group = group
    if article.host_country_id is None:
        article.host_country = _get_or_create_named(Place, [country], kind=Place.Kind.COUNTRY)[
            country
        ]
    if article.origin_country_id is None:
        article.origin_country = Place.objects.filter(demonym=article.origin_group).first()


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
    docs = _parse_sources(sources)
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
