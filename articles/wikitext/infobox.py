"""The typed infobox fields, declared once.

Each :class:`InfoboxField` says everything about a field that is not
storage: its key in the wiki-text, the parameters of Wikipedia's "Infobox
ethnic group" template it stands for, its kind (how its one-line value is
read and written), the attribute of :class:`~.document.Infobox` holding it
(the class is made from this list),
and its label on the page. The parser, the writer and (through
``articles/infobox.py``, which pairs each field with its model storage) the
export, the page, the JSON view, history and the admin all read
:data:`FIELDS`; adding a typed field is one entry here plus its storage.

Pure Python, no Django.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .names import name_problem, normalize_name
from .values import (
    InfoboxValueError,
    Population,
    join_list,
    join_places,
    parse_population,
    split_list,
    split_places,
)


class Kind(enum.Enum):
    TEXT = "text"  # one line, kept as written
    POPULATION = "number with note"  # 1,500 (2009 est.)
    PLACES = "list of places"  # A, B and "C and D"
    TERMS = "list of terms"  # Russian, Pashto, Dari
    TITLES = "list of titles"  # Afghans in Russia, Tajiks

    @property
    def is_list(self) -> bool:
        return self in (Kind.PLACES, Kind.TERMS, Kind.TITLES)

    @property
    def python_type(self) -> type:
        """The type of the field's attribute on ``Infobox``."""
        if self is Kind.TEXT:
            return str
        return Population | None if self is Kind.POPULATION else list[str]

    def empty(self):
        """The value of a field that is not set."""
        if self is Kind.TEXT:
            return ""
        return None if self is Kind.POPULATION else []


@dataclass(frozen=True)
class InfoboxField:
    key: str  # in the wiki-text: "Rels"
    attr: str  # the Infobox attribute: "religions"
    kind: Kind
    label: str  # on the page: "Religions"
    parameters: tuple[str, ...]  # MediaWiki "Infobox ethnic group" names

    def read(self, value: str):
        """The one-line value as its typed form; InfoboxValueError if it
        has none."""
        if self.kind is Kind.TEXT:
            return value
        if self.kind is Kind.POPULATION:
            return parse_population(value)
        items = _names(split_places(value) if self.kind is Kind.PLACES else split_list(value))
        if self.kind is Kind.TITLES and any(t.startswith("=") or t.endswith("=") for t in items):
            raise InfoboxValueError("a title may not start or end with '='")
        return items

    def write(self, typed) -> str:
        if self.kind is Kind.PLACES:
            return join_places(typed)
        if self.kind.is_list:
            return join_list(typed)
        return str(typed)

    def is_set(self, typed) -> bool:
        return typed is not None and typed != "" and typed != []


# In the canonical order of the wiki-text.
GROUP = InfoboxField("Group", "group", Kind.TEXT, "Group", ("group",))
POPULATION = InfoboxField(
    "Population", "population", Kind.POPULATION, "Population", ("pop", "population", "poptime")
)
POPPLACE = InfoboxField(
    "Popplace", "places", Kind.PLACES, "Regions with significant populations",
    ("popplace", "regions"),
)
LANGS = InfoboxField("Langs", "languages", Kind.TERMS, "Languages", ("langs", "languages"))
RELS = InfoboxField("Rels", "religions", Kind.TERMS, "Religions", ("rels", "religions"))
RELATED = InfoboxField(
    "Related", "related", Kind.TITLES, "Related ethnic groups", ("related", "related_groups")
)
FIELDS: tuple[InfoboxField, ...] = (GROUP, POPULATION, POPPLACE, LANGS, RELS, RELATED)
KNOWN_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)

_BY_KEY = {f.key.casefold(): f for f in FIELDS}
_BY_PARAMETER = {name.casefold(): f for f in FIELDS for name in f.parameters}


def field_for_key(key: str) -> InfoboxField | None:
    """The typed field a wiki-text key names, in any case (``RELS``)."""
    return _BY_KEY.get(key.casefold())


def field_for_parameter(name: str) -> InfoboxField | None:
    """The typed field a MediaWiki template parameter (``religions``,
    ``related_groups``) stands for; for reading MediaWiki infoboxes. The
    wiki-text itself answers to the keys only, so that a file with a
    ``Religions`` row keeps it as written."""
    return _BY_PARAMETER.get(name.strip().casefold().replace(" ", "_"))


def _names(items: list[str]) -> list[str]:
    """Names and titles in their one stored form."""
    names = []
    for item in items:
        problem = name_problem(item)
        if problem:
            raise InfoboxValueError(f"the name {item!r} {plain_problem(problem)}")
        names.append(normalize_name(item))
    return names


def plain_problem(problem: str) -> str:
    return problem if problem.startswith("has ") else f"contains a {problem}"


__all__ = [
    "FIELDS", "GROUP", "KNOWN_KEYS", "LANGS", "POPPLACE", "POPULATION", "RELATED", "RELS",
    "InfoboxField", "Kind", "field_for_key", "field_for_parameter",
]
