"""The name index finds exactly what the whole-word, longest-first regular
expression it replaced finds, however the names and text are made."""

import pickle
import re

import pytest
from django.db.models.signals import pre_save
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.mentions import build_index
from articles.services import articles_import
from people.models import Place


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


FIRST_WORDS = st.sampled_from(["Al", "Al ", "Al-", "al", "Ab"])
SHARED = st.builds(lambda first, rest: first + rest, FIRST_WORDS, st.text(ALPHABET, max_size=6))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), people=st.lists(SHARED, max_size=8), places=st.lists(SHARED, max_size=30))
def test_same_as_the_regular_expression_with_names_sharing_a_first_word(data, people, places):
    # Texts made of the names themselves (and bits between), so that most
    # candidates are tried where a longer or shorter name also fits.
    pieces = st.one_of(st.sampled_from(people + places or ["Al"]), st.text(ALPHABET, max_size=3))
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    people = list(enumerate(people, 1))
    places = list(enumerate(places, 100))
    assert build_index(people, places).find(text) == regex_find(people, places, text)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), names=st.lists(SHARED, min_size=1, max_size=30))
def test_places_added_in_batches_and_a_pickled_copy_find_the_same(data, names):
    pieces = st.one_of(st.sampled_from(names), st.text(ALPHABET, max_size=3))
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    places = list(enumerate(names, 100))
    split = data.draw(st.integers(0, len(places)))
    index = build_index([], places[:split])
    for start in range(split, len(places), 3):  # an import adds them a few at a time
        index.add_places(places[start : start + 3])
        copy = pickle.loads(pickle.dumps(index))
        seen = places[: start + 3]
        assert index.find(text) == copy.find(text) == regex_find([], seen, text)
    assert index.find(text) == regex_find([], places, text)


def test_thousands_of_names_sharing_a_first_word_in_a_long_text():
    # 5,000 "Al ..." places over 90 KB of text with an "Al" every few words:
    # 4.5 s when every name beginning "Al" was tried at each "Al", now ms.
    places = [(pk, f"Al {('Qasr', 'Hamra', 'Mansur', 'Rashid')[pk % 4]} {pk}") for pk in range(5_000)]
    named = [0, 1, 2_502, 4_999]
    near_misses = ["Al Qasr", "Al-Hamra 1", "Al Qasr 40x", "al Rashid 3", "Al Rashid 3_"]
    words = [places[pk][1] for pk in named] + near_misses
    text = " and ".join(words * (90_000 // len(" and ".join(words))))
    assert len(text) > 85_000
    index = build_index([(1, "Al Qasr 0 and")], places)
    assert index.find(text) == ({1}, set(named) - {0})  # the longer name wins every time
    assert build_index([], places).find(text) == (set(), set(named))


@pytest.mark.django_db
def test_an_import_finds_the_places_among_thousands_sharing_a_first_word(admin_user):
    rows = [Place(name=f"Al Hamra {n}", slug=f"al-hamra-{n}") for n in range(3_000)]
    for row in rows:  # bulk_create skips save's signals, which fill derived fields
        pre_save.send(Place, instance=row, raw=False, using="default", update_fields=None)
    Place.objects.bulk_create(rows)
    body = " ".join(f"Al Hamra {n % 3_100} and Al Hamra" for n in range(0, 6_000, 2))
    source = f"= Arabs in Testland =\n\nLead.\n\n==History==\n{body}\n"
    [result] = articles_import(sources=[("arabs.txt", source.encode())], user=admin_user)
    found = set(result.article.place_mentions.values_list("place__name", flat=True))
    named = {f"Al Hamra {n % 3_100}" for n in range(0, 6_000, 2) if n % 3_100 < 3_000}
    assert found == named | {"Testland"}  # the host country, named by the title
