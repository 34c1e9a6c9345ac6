"""Finding the people and places an article's text names."""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

_WORD_CHAR = re.compile(r"\w")


class NameIndex:
    """Every name and alias of people and places, matched as whole words,
    longest first: "Ahmad Shah Massoud" is one person, not "Ahmad" plus
    more. Scanning is left to right and matches do not overlap, exactly as
    ``(?<!\\w)(?:longest|...|shortest)(?!\\w)`` would find them.

    An Aho-Corasick automaton of all the names finds every occurrence of
    every name in one pass over the text, in time linear in the text and the
    occurrences, however many names there are or share a first word (5,000
    places named "Al ..." cost 5,000 comparisons at each "Al" when names
    were looked up by their first word).

    Names added later (an import creates places as it goes) go to a second,
    small automaton, so adding a few names does not rebuild the whole index;
    it is folded into the main one once it has grown as large."""

    def __init__(self, people: dict[str, set[int]], places: dict[str, set[int]]):
        self.people = people
        self.places = places
        self._recent: list[str] = []
        self._build()

    def add_places(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Places created since the index was built (an import makes them)."""
        new = []
        for pk, name in pairs:
            if not name.strip():
                continue
            if name not in self.people and name not in self.places:
                new.append(name)
            self.places.setdefault(name, set()).add(pk)
        if not new:
            return
        self._recent += new
        if len(self._recent) * 2 > len(self.people) + len(self.places):
            self._recent = []
            self._build()
        else:
            self._automata[1:] = [_automaton(self._recent)]

    def _build(self) -> None:
        recent = set(self._recent)
        self._automata = [_automaton(n for n in (*self.people, *self.places) if n not in recent)]
        if self._recent:
            self._automata.append(_automaton(self._recent))

    # Pickled (for worker processes that are not forked) as the names alone:
    # the automaton is many times their size and quick to rebuild.
    def __getstate__(self) -> dict:
        return {"people": self.people, "places": self.places, "recent": self._recent}

    def __setstate__(self, state: dict) -> None:
        self.people, self.places, self._recent = state["people"], state["places"], state["recent"]
        self._build()

    def _matches(self, text: str) -> Iterable[str]:
        longest: dict[int, int] = {}  # start -> length of the longest whole-word name there
        for automaton in self._automata:
            if not len(automaton):
                continue
            for last, length in automaton.iter(text):
                start = last - length + 1
                if (
                    length > longest.get(start, 0)
                    and not (start and _WORD_CHAR.match(text, start - 1))
                    and not _WORD_CHAR.match(text, last + 1)
                ):
                    longest[start] = length
        end = 0
        for start in sorted(longest):
            if start >= end:
                end = start + longest[start]
                yield text[start:end]

    def find(self, text: str) -> tuple[set[int], set[int]]:
        """(person ids, place ids) named in ``text``."""
        people: set[int] = set()
        places: set[int] = set()
        empty: set[int] = set()
        for name in set(self._matches(text)):
            people |= self.people.get(name, empty)
            places |= self.places.get(name, empty)
        return people, places


def _automaton(names: Iterable[str]) -> ahocorasick.Automaton:
    # Each key's value is its length: the name is the text it matched.
    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for name in names:
        automaton.add_word(name)
    if len(automaton):
        automaton.make_automaton()
    return automaton


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
