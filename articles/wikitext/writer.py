"""Write an :class:`ArticleDoc` as canonical wiki-text (the seed's style)."""

from __future__ import annotations

from collections import deque
from typing import TypeVar

from .blocks import INFOBOX_LINE
from .document import SEE_ALSO, ArticleDoc, Infobox
from .infobox import FIELDS
from .language import language_line
from .references import REFERENCES, Marker, Reference, reference_rows

T = TypeVar("T")


def dump(doc: ArticleDoc) -> str:
    parts = [f"= {doc.title} ="]
    language = language_line(doc.language)
    if language:
        parts.append(language)
    rows = [
        f"- {key}: {value_with_markers(value, markers)}"
        for key, value, markers in infobox_rows_with_markers(doc.infobox)
    ]
    if rows:
        parts.append("\n".join([INFOBOX_LINE, *rows]))
    if doc.lead:
        parts.append(doc.lead)
    for section in doc.sections:
        marks = "=" * section.level
        heading = f"{marks}{section.heading}{marks}"
        parts.append(f"{heading}\n{section.body}" if section.body else heading)
    if doc.see_also:
        parts.append("\n".join([f"=={SEE_ALSO}==", *(f"- {title}" for title in doc.see_also)]))
    if doc.references:
        entries = [line for reference in doc.references for line in entry_lines(reference)]
        parts.append("\n".join([f"=={REFERENCES}==", *entries]))
    return "\n\n".join(parts) + "\n"


def value_with_markers(value: str, markers: tuple[Marker, ...]) -> str:
    """An infobox value as its row writes it: the markers after one space."""
    return f"{value} {''.join(map(str, markers))}" if markers else value


def entry_lines(reference: Reference) -> list[str]:
    """One entry of the References section: ``- [^key]``, then its rows."""
    rows = (f"  - {key}: {value}" for key, value in reference_rows(reference))
    return [f"- [^{reference.key}]", *rows]


def infobox_rows(infobox: Infobox) -> list[tuple[str, str]]:
    """The infobox as ordered (key, value) rows: typed keys in canonical
    order, with each extra row put back at its recorded position. The
    values are without their citation markers."""
    return [(key, value) for key, value, _ in infobox_rows_with_markers(infobox)]


def infobox_rows_with_markers(infobox: Infobox) -> list[tuple[str, str, tuple[Marker, ...]]]:
    """The rows of :func:`infobox_rows`, each with the markers written after
    its value (``()`` for none)."""
    typed = [
        (f.key, f.write(getattr(infobox, f.attr)), tuple(infobox.citations.get(f.key, ())))
        for f in FIELDS
        if f.is_set(getattr(infobox, f.attr))
    ]
    return merge_rows(
        typed, [(row.position, (row.key, row.value, row.markers)) for row in infobox.extras]
    )


def merge_rows(typed: list[T], extras: list[tuple[int, T]]) -> list[T]:
    """Typed rows in their order, with each (position, row) extra put back at
    its position among all rows; positions past the end go last."""
    remaining = deque(typed)
    rows: list[T] = []
    for position, extra in sorted(extras, key=lambda pair: pair[0]):
        while len(rows) < position and remaining:
            rows.append(remaining.popleft())
        rows.append(extra)
    rows.extend(remaining)
    return rows
