"""Write an :class:`ArticleDoc` as canonical wiki-text (the seed's style)."""

from __future__ import annotations

from collections import deque
from typing import TypeVar

from .blocks import INFOBOX_LINE
from .document import SEE_ALSO, ArticleDoc, Infobox
from .infobox import FIELDS

T = TypeVar("T")


def dump(doc: ArticleDoc) -> str:
    parts = [f"= {doc.title} ="]
    rows = infobox_rows(doc.infobox)
    if rows:
        parts.append("\n".join([INFOBOX_LINE, *(f"- {key}: {value}" for key, value in rows)]))
    if doc.lead:
        parts.append(doc.lead)
    for section in doc.sections:
        marks = "=" * section.level
        heading = f"{marks}{section.heading}{marks}"
        parts.append(f"{heading}\n{section.body}" if section.body else heading)
    if doc.see_also:
        parts.append("\n".join([f"=={SEE_ALSO}==", *(f"- {title}" for title in doc.see_also)]))
    return "\n\n".join(parts) + "\n"


def infobox_rows(infobox: Infobox) -> list[tuple[str, str]]:
    """The infobox as ordered (key, value) rows: typed keys in canonical
    order, with each extra row put back at its recorded position."""
    typed = [
        (f.key, f.write(getattr(infobox, f.attr)))
        for f in FIELDS
        if f.is_set(getattr(infobox, f.attr))
    ]
    return merge_rows(typed, [(row.position, (row.key, row.value)) for row in infobox.extras])


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
