"""Finding the people and places an article's text names."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


class NameIndex:
    """Every name and alias of people and places, matched as whole words,
    longest first: "Ahmad Shah Massoud" is one person, not "Ahmad" plus
    more. Scanning is left to right and matches do not overlap, exactly as
    ``(?<!\\w)(?:longest|...|shortest)(?!\\w)`` would find them.

    Names are looked up by their first word, so a text costs one dictionary
    lookup per word however many names there are (a regular expression
    alternation of tens of thousands of names costs a try of each at every
    word). The few names that do not begin with a letter or digit are
    matched by such an expression."""

    def __init__(self, people: dict[str, set[int]], places: dict[str, set[int]]):
        self.people = people
        self.places = places
        self._by_word: dict[str, list[str]] = {}
        self._odd: set[str] = set()
        self._odd_pattern: re.Pattern | None = None
        self._add_names([*people, *places])

    def add_places(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Places created since the index was built (an import makes them)."""
        new = []
        for pk, name in pairs:
            if not name.strip():
                continue
            if name not in self.people and name not in self.places:
                new.append(name)
            self.places.setdefault(name, set()).add(pk)
        self._add_names(new)

    def _add_names(self, names: Iterable[str]) -> None:
        odd_before = len(self._odd)
        touched = set()
        for name in names:
            first = _WORD.match(name)
            if first is None:
                self._odd.add(name)
                continue
            bucket = self._by_word.setdefault(first.group(), [])
            if name not in bucket:
                bucket.append(name)
                touched.add(first.group())
        for word in touched:
            self._by_word[word].sort(key=len, reverse=True)
        if len(self._odd) != odd_before:
            names = sorted(self._odd, key=len, reverse=True)
            self._odd_pattern = re.compile(
                r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)"
            )

    def _matches(self, text: str) -> Iterable[str]:
        found: list[tuple[int, int, str]] = []
        # The words of the text that begin a name: usually a handful, found
        # at C speed, then their occurrences looked at one by one.
        for word in self._by_word.keys() & set(_WORD.findall(text)):
            candidates = self._by_word[word]
            start = text.find(word)
            while start != -1:
                end = start + len(word)
                if not (start and _WORD_CHAR.match(text, start - 1)) and not _WORD_CHAR.match(
                    text, end
                ):
                    for name in candidates:
                        name_end = start + len(name)
                        if text.startswith(name, start) and not _WORD_CHAR.match(text, name_end):
                            found.append((start, name_end, name))
                            break
                start = text.find(word, end)
        if self._odd_pattern is not None:
            found += [(m.start(), m.end(), m.group()) for m in self._odd_pattern.finditer(text)]
        found.sort()
        last = 0
        for start, end, name in found:
            if start >= last:
                last = end
                yield name

    def find(self, text: str) -> tuple[set[int], set[int]]:
        """(person ids, place ids) named in ``text``."""
        people: set[int] = set()
        places: set[int] = set()
        empty: set[int] = set()
        for name in set(self._matches(text)):
            people |= self.people.get(name, empty)
            places |= self.places.get(name, empty)
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
