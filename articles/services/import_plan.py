"""The admin's import preview: what articles_import would create and change,
without writing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import wikitext
from ..models import Article
from .export import article_to_doc
from .import_sources import _parse_sources


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
