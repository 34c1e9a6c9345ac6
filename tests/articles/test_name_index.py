"""The name index finds exactly what the whole-word, longest-first regular
expression it replaced finds, however the names and text are made."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.mentions import build_index


def regex_find(people, places, text):
    names = sorted({n for _, n in people + places if n.strip()}, key=len, reverse=True)
    if not names:
        return set(), set()
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    found = {m.group() for m in pattern.finditer(text)}
    return (
        {pk for pk, n in people if n in found},
        {pk for pk, n in places if n in found},
    )


ALPHABET = st.sampled_from(list("ab Ab-'.(é1_Ш  "))
NAMES = st.text(ALPHABET, min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(
    people=st.lists(NAMES, max_size=6),
    places=st.lists(NAMES, max_size=6),
    text=st.text(ALPHABET, max_size=60),
)
def test_same_as_the_regular_expression(people, places, text):
    people = list(enumerate(people, 1))
    places = list(enumerate(places, 100))
    assert build_index(people, places).find(text) == regex_find(people, places, text)


def test_longest_name_wins_and_names_do_not_overlap():
    index = build_index([(1, "Ahmad"), (2, "Ahmad Shah Massoud"), (3, "Massoud")], [(9, "Kabul")])
    assert index.find("Ahmad Shah Massoud met Ahmad in Kabul.") == ({1, 2}, {9})
    assert index.find("Ahmad Shah Massoud left Kabulistan.") == ({2}, set())
    assert index.find("Massoud-Ahmad") == ({1, 3}, set())


def test_places_added_later_are_found():
    index = build_index([(1, "Noor Mohammad")], [])
    assert index.find("Noor Mohammad lives in Chaghcharan.") == ({1}, set())
    index.add_places([(7, "Chaghcharan"), (8, "(Old) Town")])
    assert index.find("Noor Mohammad lives in Chaghcharan, near (Old) Town.") == ({1}, {7, 8})
