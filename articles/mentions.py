"""Finding the people and places an article's text names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class NameIndex:
    """Every name and alias of people and places, matched as whole words,
    longest first: "Ahmad Shah Massoud" is one person, not "Ahmad" plus
    more."""

    people: dict[str, set[int]]
    places: dict[str, set[int]]

    def __post_init__(self) -> None:
        self._compile()

    def add_places(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Places created since the index was built (an import makes them)."""
        for pk, name in pairs:
            self.places.setdefault(name, set()).add(pk)
        self._compile()

    def _compile(self) -> None:
        names = sorted({*self.people, *self.places}, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
            if names
            else None
        )

    def find(self, text: str) -> tuple[set[int], set[int]]:
        """(person ids, place ids) named in ``text``."""
        people: set[int] = set()
        places: set[int] = set()
        if self._pattern is None:
            return people, places
        for match in self._pattern.finditer(text):
            name = match.group()
            people |= self.people.get(name, set())
            places |= self.places.get(name, set())
        return people, places


def build_index(
    person_names: Iterable[tuple[int, str]], place_names: Iterable[tuple[int, str]]
) -> NameIndex:
    people: dict[str, set[int]] = {}
    places: dict[str, set[int]] = {}
    for pk, name in person_names:
        if name.strip():
            people.setdefault(name, set()).add(pk)
    for pk, name in place_names:
        if name.strip():
            places.setdefault(name, set()).add(pk)
    return NameIndex(people, places)
