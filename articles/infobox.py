"""Where each declared infobox field is stored.

``wikitext.infobox.FIELDS`` declares the fields (key, MediaWiki names, kind,
label); here each is paired with its storage: columns of Article, or ordered
rows of a small model pointing at the article. The export, the page, the
JSON view, history, the admin and the import read :data:`STORAGE`, and
:func:`infobox_from` is the one walk from stored values to a
``wikitext.Infobox``. A new typed field is a declaration there, a line
here, its model and a migration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _

from . import wikitext
from .models import (
    Article,
    ArticleLanguage,
    ArticleReligion,
    PopulationPlace,
    RelatedGroup,
    published_slug,
)
from .wikitext.infobox import InfoboxField, Kind


@dataclass(frozen=True)
class Storage:
    field: InfoboxField
    columns: tuple[str, ...] = ()  # Article fields, for a text or a population
    rows: str = ""  # the article's related name for the rows of a list
    model: type[models.Model] | None = None  # the rows' model
    value: str = ""  # the row's field: a foreign key to a named term, or the title
    url_name: str = ""  # the page a row links to ("religion-detail")
    # A list of terms has its own pages, listing the articles with a term:
    path: str = ""  # /religions/<slug>/
    heading: str = ""  # "Communities that follow {}"

    @property
    def kind(self) -> Kind:
        return self.field.kind

    @property
    def is_foreign_key(self) -> bool:
        return self.model is not None and self.model._meta.get_field(self.value).is_relation

    @property
    def target(self) -> type[models.Model] | None:
        """The model a foreign-key row names (Place, Language, Religion)."""
        return self.model._meta.get_field(self.value).related_model if self.is_foreign_key else None

    def name_of(self, row: models.Model) -> str:
        value = getattr(row, self.value)
        return value.name if self.is_foreign_key else value

    def name_expression(self) -> F:
        return F(f"{self.value}__name" if self.is_foreign_key else self.value)

    def slug_expression(self):
        """The slug of the page a row links to; for a title, that of the
        published article with it (None while there is none)."""
        if self.is_foreign_key:
            return F(f"{self.value}__slug")
        return published_slug(self.value)

    def prefetch(self) -> Prefetch:
        """The list's rows as ``Article.objects.with_document()`` fetches
        them: with their term, or a title with the slug it links to."""
        rows = self.model.objects
        if self.is_foreign_key:
            return Prefetch(self.rows, rows.select_related(self.value))
        return Prefetch(self.rows, rows.annotate(target_slug=self.slug_expression()))

    @property
    def many_to_many(self) -> str:
        """The Article field reaching a list's terms through its rows
        (``languages``), or "" for a list without one."""
        return next((
            field.name for field in Article._meta.many_to_many
            if self.model is not None and field.remote_field.through is self.model
        ), "")


STORAGE: tuple[Storage, ...] = (
    Storage(wikitext.infobox.GROUP, columns=("group_name",)),
    Storage(wikitext.infobox.POPULATION, columns=("population", "population_note")),
    Storage(wikitext.infobox.POPPLACE, rows="place_rows", model=PopulationPlace, value="place",
            url_name="place-detail"),
    Storage(wikitext.infobox.LANGS, rows="language_rows", model=ArticleLanguage,
            value="language", url_name="language-detail", path="languages",
            heading=_("Communities that speak {}")),
    Storage(wikitext.infobox.RELS, rows="religion_rows", model=ArticleReligion,
            value="religion", url_name="religion-detail", path="religions",
            heading=_("Communities that follow {}")),
    Storage(wikitext.infobox.RELATED, rows="related_rows", model=RelatedGroup, value="title"),
)
ROW_STORAGE: tuple[Storage, ...] = tuple(s for s in STORAGE if s.rows)
# The lists of terms (languages, religions): each has a model of terms, an
# Article many-to-many through its rows, term pages and an admin.
TERM_STORAGE: tuple[Storage, ...] = tuple(s for s in STORAGE if s.kind is Kind.TERMS)
assert all(s.path and s.heading and s.url_name for s in TERM_STORAGE), "every term has pages"
assert [s.field for s in STORAGE] == list(wikitext.FIELDS), "every declared field is stored"
# What a revision of an article holds (models.py registers it so): the
# article's document rows, each infobox list's rows, and the rows its page
# shows besides.
ARTICLE_ROWS: tuple[str, ...] = (
    "sections", "see_also", "extra_rows",
    *(s.rows for s in ROW_STORAGE),
    "population_figures", "person_mentions", "place_mentions",
    # Sources and citations (issue 12): an entry points at a shared Source,
    # which has revisions of its own; the article's revision holds the
    # entries and every use of them.
    "references", "citations",
)


def population_of(count: int | None, note: str) -> wikitext.Population | None:
    if count is None and not note:
        return None
    return wikitext.Population(count, note or "")


# Where an infobox citation stands (Citation.place): after a typed row, by
# its key as FIELDS spells it, or after an extra row, by its position.
INFOBOX_PLACE = "infobox:"
INFOBOX_EXTRA_PLACE = "infobox-extra:"


def infobox_citations(infobox: wikitext.Infobox) -> list[tuple[str, tuple[wikitext.Marker, ...]]]:
    """(place, markers) of each infobox row with markers, in the rows'
    written order: the Citation rows of the infobox, in that order."""
    typed = [
        (INFOBOX_PLACE + f.key, tuple(infobox.citations.get(f.key, ())))
        for f in wikitext.FIELDS
        if f.is_set(getattr(infobox, f.attr))
    ]
    extras = [(row.position, (f"{INFOBOX_EXTRA_PLACE}{row.position}", tuple(row.markers)))
              for row in infobox.extras]
    return [(place, markers) for place, markers in wikitext.merge_rows(typed, extras) if markers]


def markers_by_place(
    citations: Iterable[tuple[str, wikitext.Marker]],
) -> dict[str, tuple[wikitext.Marker, ...]]:
    """(place, marker) pairs in order, grouped by place: what
    :func:`infobox_from` takes as ``citations``."""
    grouped: dict[str, list[wikitext.Marker]] = {}
    for place, marker in citations:
        grouped.setdefault(place, []).append(marker)
    return {place: tuple(markers) for place, markers in grouped.items()}


def infobox_from(
    *,
    column: Callable[[str], Any],
    names: Callable[[Storage], list[str]],
    extras: list[wikitext.ExtraRow],
    citations: Mapping[str, tuple[wikitext.Marker, ...]] | None = None,
) -> wikitext.Infobox:
    """The infobox from stored values: ``column(name)`` reads a column of
    the article, ``names(storage)`` the ordered names of a list's rows;
    ``citations`` the markers after the rows, by place (Citation.place,
    see :func:`markers_by_place`; places of the text are ignored)."""
    citations = citations or {}
    if citations:
        extras = [
            dataclasses.replace(row, markers=citations.get(f"{INFOBOX_EXTRA_PLACE}{row.position}", ()))
            for row in extras
        ]
    infobox = wikitext.Infobox(extras=extras)
    for f in wikitext.FIELDS:
        markers = citations.get(INFOBOX_PLACE + f.key)
        if markers:
            infobox.citations[f.key] = markers
    for storage in STORAGE:
        if storage.kind is Kind.TEXT:
            value: Any = column(storage.columns[0]) or ""
        elif storage.kind is Kind.POPULATION:
            value = population_of(*(column(name) for name in storage.columns))
        else:
            value = names(storage)
        setattr(infobox, storage.field.attr, value)
    return infobox


def columns_from(infobox: wikitext.Infobox) -> dict[str, Any]:
    """The Article columns that hold the infobox's text and population
    fields, by name: what ``infobox_from`` reads back with ``column``."""
    values: dict[str, Any] = {}
    for storage in STORAGE:
        value = getattr(infobox, storage.field.attr)
        if storage.kind is Kind.TEXT:
            values[storage.columns[0]] = value
        elif storage.kind is Kind.POPULATION:
            values.update(zip(storage.columns, (value.count, value.note) if value else (None, "")))
    return values


def article_infobox(article: Article) -> wikitext.Infobox:
    """The article's infobox as its wiki-text has it, citations included;
    fetch the article with ``Article.objects.with_document()`` for a fixed
    number of queries."""
    return infobox_from(
        column=lambda name: getattr(article, name),
        names=lambda storage: [storage.name_of(row) for row in getattr(article, storage.rows).all()],
        extras=[
            wikitext.ExtraRow(row.key, row.value, row.position) for row in article.extra_rows.all()
        ],
        citations=markers_by_place(
            (c.place, c.marker) for c in article.citations.all()
            if c.place.startswith((INFOBOX_PLACE, INFOBOX_EXTRA_PLACE))
        ),
    )


__all__ = [
    "ARTICLE_ROWS", "INFOBOX_EXTRA_PLACE", "INFOBOX_PLACE", "ROW_STORAGE", "STORAGE",
    "TERM_STORAGE", "Storage", "article_infobox", "columns_from", "infobox_citations",
    "infobox_from", "markers_by_place", "population_of",
]
