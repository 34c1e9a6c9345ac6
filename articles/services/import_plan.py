"""The admin's import preview: what articles_import would create and change,
without writing: per file, the lead, the infobox rows (with their
citations), the sections, See also and the references it adds, changes (by
field) and removes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import wikitext
from ..models import Article
from ..wikitext.writer import value_with_markers
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
class PlannedReference:
    """A reference an import adds, changes or removes, by its key; for a
    change, ``fields`` names the fields whose values differ, as the
    wiki-text names them ("Title", "Url", "Author"), in canonical order."""

    key: str
    title: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"[^{self.key}] {self.title}"


def reference_changes(
    old: list[wikitext.Reference], new: list[wikitext.Reference]
) -> tuple[tuple[PlannedReference, ...], tuple[PlannedReference, ...],
           tuple[PlannedReference, ...]]:
    """(added, changed, removed): references matched by key, each in the
    order of the document it is in (the file, or for a removed one the
    article)."""
    before = {reference.key: reference for reference in old}
    after = {reference.key: reference for reference in new}
    changed = []
    for reference in new:
        was = before.get(reference.key)
        if was is None:
            continue
        fields = [f.key for f in wikitext.REFERENCE_FIELDS
                  if getattr(was, f.attr) != getattr(reference, f.attr)]
        if was.extras != reference.extras:
            # The other fields as written: those whose values differ.
            names = dict.fromkeys(name for name, _ in (*was.extras, *reference.extras))
            fields += [
                name for name in names
                if [v for n, v in was.extras if n == name]
                != [v for n, v in reference.extras if n == name]
            ] or ["the order of the other fields"]
        if fields:
            changed.append(PlannedReference(reference.key, reference.title, tuple(fields)))
    return (
        tuple(PlannedReference(r.key, r.title) for r in new if r.key not in before),
        tuple(changed),
        tuple(PlannedReference(r.key, r.title) for r in old if r.key not in after),
    )


def _rows_with_markers(infobox: wikitext.Infobox) -> list[tuple[str, str]]:
    """The infobox's rows as the file writes them, citations included."""
    return [
        (key, value_with_markers(value, markers))
        for key, value, markers in wikitext.infobox_rows_with_markers(infobox)
    ]


@dataclass(frozen=True)
class PlannedArticle:
    """What importing one file does to the article of its title."""

    name: str
    title: str
    article: Article | None  # None: the import creates it
    lead_changed: bool = False
    # (the article's language, the file's) when they differ: "en" -> "fa-AF".
    language_changed: tuple[str, str] | None = None
    sections_added: tuple[PlannedSection, ...] = ()
    sections_changed: tuple[PlannedSection, ...] = ()
    sections_removed: tuple[PlannedSection, ...] = ()
    infobox_rows: tuple[PlannedRow, ...] = ()
    see_also_added: tuple[str, ...] = ()
    see_also_removed: tuple[str, ...] = ()
    references_added: tuple[PlannedReference, ...] = ()
    references_changed: tuple[PlannedReference, ...] = ()
    references_removed: tuple[PlannedReference, ...] = ()
    reordered: tuple[str, ...] = ()  # "sections", "infobox rows", "See also", "references"

    @property
    def created(self) -> bool:
        return self.article is None

    @property
    def unchanged(self) -> bool:
        return not self.created and not (
            self.lead_changed
            or self.language_changed
            or self.sections_added
            or self.sections_changed
            or self.sections_removed
            or self.infobox_rows
            or self.see_also_added
            or self.see_also_removed
            or self.references_added
            or self.references_changed
            or self.references_removed
            or self.reordered
        )

    @classmethod
    def compare(cls, name: str, doc: wikitext.ArticleDoc, article: Article) -> PlannedArticle:
        """The changes from ``article`` (fetched ``with_document()``) to ``doc``.
        Sections match by heading (the n-th of a heading with the n-th),
        infobox rows by key (a row's value with its citations), See also
        entries by title, references by key."""
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
        old_rows = keyed(_rows_with_markers(old.infobox))
        new_rows = keyed(_rows_with_markers(doc.infobox))
        reordered = [
            part
            for part, before, after in [
                ("sections", old_sections, new_sections),
                ("infobox rows", old_rows, new_rows),
                ("See also", keyed((t, t) for t in old.see_also),
                 keyed((t, t) for t in doc.see_also)),
                ("references", keyed((r.key, r) for r in old.references),
                 keyed((r.key, r) for r in doc.references)),
            ]
            if order(before, after)
        ]
        references_added, references_changed, references_removed = reference_changes(
            old.references, doc.references
        )
        return cls(
            name=name,
            title=doc.title,
            article=article,
            lead_changed=old.lead != doc.lead,
            language_changed=(old.language, doc.language) if old.language != doc.language else None,
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
            references_added=references_added,
            references_changed=references_changed,
            references_removed=references_removed,
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
            else PlannedArticle(
                name=name, title=doc.title, article=None,
                references_added=reference_changes([], doc.references)[0],
            )
            for name, doc in docs
        ]
    )
