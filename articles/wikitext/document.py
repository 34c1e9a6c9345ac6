"""The parsed form of a wiki-text article: plain dataclasses, no Django.

Text fields (``lead``, ``Section.body``) hold normalised block text: blocks
(paragraphs and ``- item`` lists) separated by exactly one blank line, no
trailing whitespace. :func:`articles.wikitext.blocks.split_blocks` turns such
text into typed blocks when the structure matters. They keep their citation
markers (``[^key]``) verbatim; ``references`` are the entries of the
References section (see references.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, make_dataclass

from .infobox import FIELDS
from .language import DEFAULT_LANGUAGE
from .references import Marker, Reference
from .values import MAX_POPULATION, Population  # noqa: F401  (re-exported)

SEE_ALSO = "See also"
# Longest title, heading, infobox key or value, or See also title.
MAX_LINE_LENGTH = 255


@dataclass(frozen=True)
class ExtraRow:
    """An infobox row whose key the importer has no typed field for.

    ``position`` is the row's index among all the infobox's rows, so unknown
    keys keep their place between the typed ones. ``markers`` are the
    citations written after the value (the value itself holds none).
    """

    key: str
    value: str
    position: int
    markers: tuple[Marker, ...] = ()


def _is_empty(self) -> bool:
    # Citations cite rows: without a row they say nothing.
    return all(
        getattr(self, f.name) in (None, "", []) for f in fields(self) if f.name != "citations"
    )


# The infobox's typed values: one attribute per field that infobox.FIELDS
# declares (its ``attr``: group, population, places, languages, religions,
# related, ...), made from the declaration so that a new field is not
# declared twice; then ``extras``, the rows with keys no field has.
Infobox = make_dataclass(
    "Infobox",
    [
        *(
            (f.attr, f.kind.python_type, field(default_factory=f.kind.empty))
            for f in FIELDS
        ),
        ("extras", list[ExtraRow], field(default_factory=list)),
        ("citations", dict[str, tuple[Marker, ...]], field(default_factory=dict)),
    ],
    namespace={"is_empty": _is_empty, "__module__": __name__},
)
Infobox.__doc__ = """The infobox's typed values, one attribute per declared field, the
    rows with other keys (``extras``), and ``citations``: the markers written
    after a typed row's value, keyed by the field's key as FIELDS spells it
    (``"Population"``); only rows with markers have an entry."""


@dataclass(frozen=True)
class Section:
    heading: str
    level: int  # 2 for ==Heading==, 3 for ===Heading===
    body: str = ""


@dataclass
class ArticleDoc:
    title: str
    infobox: Infobox = field(default_factory=Infobox)
    lead: str = ""
    sections: list[Section] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    # BCP 47 ("fa-AF"): the "Language:" line after the title; none for English.
    language: str = DEFAULT_LANGUAGE
