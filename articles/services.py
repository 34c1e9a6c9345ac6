"""Writes that touch several models. The admin, the management commands and
the views all call these: one implementation of each operation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

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
) -> list[ImportResult]:
    """Import wiki-text files, all or nothing.

    ``sources`` are (name, bytes) pairs; every file is parsed before anything
    is written, and all writes share one transaction.
    """
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

    results = []
    names = name_index()
    with transaction.atomic():
        for name, doc in docs:
            try:
                article, created = article_import(doc=doc, names=names)
            except ValidationError as exc:
                raise ImportFailed(f"{name}: {_describe(exc)}") from None
            result = ImportResult(name=name, article=article, created=created)
            results.append(result)
            if on_progress:
                on_progress(result)
    return results


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
