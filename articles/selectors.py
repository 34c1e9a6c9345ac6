"""Read-side helpers: what the public pages show, from prefetched data."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from . import wikitext
from .models import Article, Section


@dataclass(frozen=True)
class InfoboxLink:
    text: str
    url: str = ""


@dataclass(frozen=True)
class InfoboxLine:
    label: str
    values: tuple[InfoboxLink, ...]


@dataclass(frozen=True)
class PageSection:
    section: Section
    anchor: str
    blocks: list[wikitext.Block]


def infobox_lines(article: Article) -> list[InfoboxLine]:
    """The infobox as labelled lines in document order. Expects an article
    fetched with ``Article.objects.with_document()``."""
    typed: list[InfoboxLine] = []
    if article.group_name:
        typed.append(InfoboxLine("Group", (InfoboxLink(article.group_name),)))
    if article.population_figure is not None:
        typed.append(InfoboxLine("Population", (InfoboxLink(str(article.population_figure)),)))
    places = tuple(
        InfoboxLink(row.place.name, row.place.get_absolute_url())
        for row in article.place_rows.all()
    )
    if places:
        typed.append(InfoboxLine("Regions with significant populations", places))
    languages = tuple(InfoboxLink(row.language.name) for row in article.language_rows.all())
    if languages:
        typed.append(InfoboxLine("Languages", languages))
    religions = tuple(InfoboxLink(row.religion.name) for row in article.religion_rows.all())
    if religions:
        typed.append(InfoboxLine("Religions", religions))
    extras = [
        (row.position, InfoboxLine(row.key, (InfoboxLink(row.value),)))
        for row in article.extra_rows.all()
    ]
    return wikitext.merge_rows(typed, extras)


def page_sections(article: Article) -> list[PageSection]:
    """Sections with unique heading anchors and their blocks split out."""
    used: set[str] = set()
    result = []
    for section in article.sections.all():
        base = slugify(section.heading, allow_unicode=True) or "section"
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        result.append(PageSection(section, anchor, wikitext.split_blocks(section.body)))
    return result
