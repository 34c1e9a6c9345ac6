"""The parsed form of a wiki-text article: plain dataclasses, no Django.

Text fields (``lead``, ``Section.body``) hold normalised block text: blocks
(paragraphs and ``- item`` lists) separated by exactly one blank line, no
trailing whitespace. :func:`articles.wikitext.blocks.split_blocks` turns such
text into typed blocks when the structure matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

SEE_ALSO = "See also"
MAX_POPULATION = 10**12
# Longest title, heading, infobox key or value, or See also title.
MAX_LINE_LENGTH = 255


@dataclass(frozen=True)
class Population:
    """A head count with an optional note: ``1,500 (2009 est.)``.

    ``count`` is None when the value is not a number (``about 2,000``); the
    whole value is then kept verbatim in ``note``.
    """

    count: int | None
    note: str = ""

    def __str__(self) -> str:
        if self.count is None:
            return self.note
        number = f"{self.count:,}"
        return f"{number} ({self.note})" if self.note else number


@dataclass(frozen=True)
class ExtraRow:
    """An infobox row whose key the importer has no typed field for.

    ``position`` is the row's index among all the infobox's rows, so unknown
    keys keep their place between the typed ones.
    """

    key: str
    value: str
    position: int


@dataclass
class Infobox:
    """The infobox's typed values, one attribute per field that
    ``infobox.FIELDS`` declares (its ``attr``), and the other rows."""

    group: str = ""
    population: Population | None = None
    places: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    religions: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # titles of related groups' articles
    extras: list[ExtraRow] = field(default_factory=list)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "", []) for f in fields(self))


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
