"""Writes that touch several models. The admin, the management commands and
the views all call these: one implementation of each operation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

from encyclopedia.text import unique_slug
from people.models import Place

from . import wikitext
from .models import (
    Article,
    ArticleLanguage,
    ArticleReligion,
    InfoboxRow,
    Language,
    PopulationPlace,
    Religion,
    SeeAlso,
    Section,
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
    with transaction.atomic():
        for name, doc in docs:
            try:
                article, created = article_import(doc=doc)
            except ValidationError as exc:
                raise ImportFailed(f"{name}: {_describe(exc)}") from None
            result = ImportResult(name=name, article=article, created=created)
            results.append(result)
            if on_progress:
                on_progress(result)
    return results


@transaction.atomic
def article_import(*, doc: wikitext.ArticleDoc) -> tuple[Article, bool]:
    """Create or update the article titled ``doc.title`` to match ``doc``
    exactly: rows the document no longer has are removed."""
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
    article.full_clean()
    article.save()
    _replace_rows(article, doc)
    see_also_link(article=article)
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


def _get_or_create_named(model: type[models.Model], names: list[str]) -> dict:
    found = {obj.name: obj for obj in model.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            obj = model(name=name, slug=unique_slug(model, name))
            obj.full_clean()
            obj.save()
            found[name] = obj
    return found


def see_also_link(*, article: Article) -> None:
    """Point See also rows at the articles their titles name: this article's
    own rows, and every row elsewhere that names this article."""
    rows = list(article.see_also.all())
    targets = dict(
        Article.objects.filter(title__in={row.target_title for row in rows}).values_list(
            "title", "pk"
        )
    )
    changed = []
    for row in rows:
        target_id = targets.get(row.target_title)
        if row.target_id != target_id:
            row.target_id = target_id
            changed.append(row)
    SeeAlso.objects.bulk_update(changed, ["target"])
    SeeAlso.objects.filter(target_title=article.title).exclude(target=article).update(
        target=article
    )
    SeeAlso.objects.filter(target=article).exclude(target_title=article.title).update(target=None)


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
