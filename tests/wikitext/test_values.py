"""Typed infobox values and block text helpers, each on its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.wikitext import (
    BulletList,
    Paragraph,
    Population,
    WikitextError,
    check_block_text,
    check_line,
    join_list,
    join_places,
    normalize_text,
    split_blocks,
    split_list,
    split_places,
)
from articles.wikitext.values import InfoboxValueError, parse_population

from articles.wikitext.names import name_key

from .strategies import block_texts, list_items, places, places_with_and

# --- population -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "population"),
    [
        ("1,500 (2009 est.)", Population(1500, "2009 est.")),
        ("1,500", Population(1500, "")),
        ("1500", Population(1500, "")),
        ("0", Population(0, "")),
        ("007", Population(7, "")),
        ("12,345,678 (census)", Population(12345678, "census")),
        ("5 (a (b) c)", Population(5, "a (b) c")),
        ("1,000,000,000,000", Population(10**12, "")),
        ("about 2,000", Population(None, "about 2,000")),
        ("1,50", Population(None, "1,50")),
        ("1500,000", Population(None, "1500,000")),
        ("-5", Population(None, "-5")),
        ("1,500 ()", Population(None, "1,500 ()")),
        ("1,500 (est.) more", Population(None, "1,500 (est.) more")),
        ("١٥٠٠", Population(None, "١٥٠٠")),
        ("unknown", Population(None, "unknown")),
    ],
)
def test_parse_population_reads_count_and_note(value: str, population: Population) -> None:
    assert parse_population(value) == population


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,000,000,000,001", "population 1,000,000,000,001 is larger than 1,000,000,000,000"),
        ("99999999999999 (guess)", "population 99999999999999 is larger than 1,000,000,000,000"),
    ],
)
def test_parse_population_rejects_counts_over_the_maximum(value: str, message: str) -> None:
    with pytest.raises(InfoboxValueError) as info:
        parse_population(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("population", "text"),
    [
        (Population(1500, "2009 est."), "1,500 (2009 est.)"),
        (Population(1500), "1,500"),
        (Population(0), "0"),
        (Population(10**12), "1,000,000,000,000"),
        (Population(None, "about 2,000"), "about 2,000"),
    ],
)
def test_population_str_is_the_canonical_row_value(population: Population, text: str) -> None:
    assert str(population) == text


@given(st.integers(0, 10**12), st.sampled_from(["", "2009 est.", "x (y)"]))
def test_population_str_reads_back_as_itself(count: int, note: str) -> None:
    assert parse_population(str(Population(count, note))) == Population(count, note)


# --- comma lists ------------------------------------------------------------


def test_split_list_strips_items() -> None:
    assert split_list("Russian, Pashto ,Dari") == ["Russian", "Pashto", "Dari"]


def test_split_list_single_item() -> None:
    assert split_list("Russian") == ["Russian"]


@pytest.mark.parametrize("value", ["A, , B", "A,", ",A", ","])
def test_split_list_rejects_empty_items(value: str) -> None:
    with pytest.raises(InfoboxValueError) as info:
        split_list(value)
    assert str(info.value) == f"empty item in the list {value!r}"


def test_join_list_uses_comma_space() -> None:
    assert join_list(["Russian", "Pashto", "Dari"]) == "Russian, Pashto, Dari"


@given(st.lists(list_items, min_size=1, max_size=6, unique_by=str.casefold))
def test_split_list_inverts_join_list(items: list[str]) -> None:
    assert split_list(join_list(items)) == items


# --- places -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("Kabul", ["Kabul"]),
        ("Balkh Province and Kabul", ["Balkh Province", "Kabul"]),
        ("Kabul, Herat and Balkh", ["Kabul", "Herat", "Balkh"]),
        ("Kabul, Herat, and Balkh", ["Kabul", "Herat", "Balkh"]),
        ("Kabul, Herat, Balkh", ["Kabul", "Herat", "Balkh"]),
        ("Kabul,Herat  and  Balkh", ["Kabul", "Herat", "Balkh"]),
        ("Sandy, Andover", ["Sandy", "Andover"]),
        ("Kabul, Trinidad and Tobago", ["Kabul", "Trinidad", "Tobago"]),
        ('"Trinidad and Tobago"', ["Trinidad and Tobago"]),
        ('Kabul and "Trinidad and Tobago"', ["Kabul", "Trinidad and Tobago"]),
        ('"Trinidad and Tobago" and Kabul', ["Trinidad and Tobago", "Kabul"]),
        (
            '"Bosnia and Herzegovina", Kabul and "Trinidad and Tobago"',
            ["Bosnia and Herzegovina", "Kabul", "Trinidad and Tobago"],
        ),
        ('Kabul, Herat, and "Trinidad and Tobago"', ["Kabul", "Herat", "Trinidad and Tobago"]),
    ],
)
def test_split_places(value: str, items: list[str]) -> None:
    assert split_places(value) == items


@pytest.mark.parametrize("value", ["Kabul, , Herat", ", Kabul", "Kabul,"])
def test_split_places_rejects_empty_places(value: str) -> None:
    with pytest.raises(InfoboxValueError) as info:
        split_places(value)
    assert str(info.value) == f"empty place in {value!r}"


@pytest.mark.parametrize(
    ("items", "value"),
    [
        ([], ""),
        (["Kabul"], "Kabul"),
        (["Balkh Province", "Kabul"], "Balkh Province and Kabul"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "C", "D"], "A, B, C and D"),
        (["Trinidad and Tobago"], '"Trinidad and Tobago"'),
        (["Kabul", "Trinidad and Tobago"], 'Kabul and "Trinidad and Tobago"'),
        (["and Tobago", "Kabul"], '"and Tobago" and Kabul'),
    ],
)
def test_join_places(items: list[str], value: str) -> None:
    assert join_places(items) == value


@given(st.lists(st.one_of(places, places_with_and), min_size=1, max_size=6, unique_by=name_key))
def test_split_places_inverts_join_places(items: list[str]) -> None:
    assert split_places(join_places(items)) == items


@pytest.mark.parametrize("value", ['"Trinidad and Tobago', 'Kabul and "Trinidad and Tobago'])
def test_split_places_refuses_an_unclosed_quote(value: str) -> None:
    with pytest.raises(InfoboxValueError, match="has no closing"):
        split_places(value)


@pytest.mark.parametrize("value", ["Dari, dari", "Café, Cafe\u0301", "Dari, Dari\u200b"])
def test_lists_refuse_one_name_twice_in_any_case_or_unicode_form(value: str) -> None:
    with pytest.raises(InfoboxValueError, match="is listed twice"):
        split_list(value)


# --- block text -------------------------------------------------------------


def test_normalize_text_makes_canonical_block_text() -> None:
    raw = "\n\r\nOne  \r\ntwo\t\n\n\n\n- a\r- b   \n \n\n"
    assert normalize_text(raw) == "One\ntwo\n\n- a\n- b"


def test_normalize_text_of_blank_text_is_empty() -> None:
    assert normalize_text(" \n\n\t\n") == ""


def test_split_blocks_types_paragraphs_and_lists() -> None:
    assert split_blocks("One\ntwo\n\n- a\n- b\n\n- c\nnot a list") == [
        Paragraph("One\ntwo"),
        BulletList(("a", "b")),
        Paragraph("- c\nnot a list"),
    ]


def test_split_blocks_of_empty_text_is_empty() -> None:
    assert split_blocks("") == []


def test_split_blocks_dash_without_space_is_a_paragraph() -> None:
    assert split_blocks("-a\n-b") == [Paragraph("-a\n-b")]


@given(block_texts)
def test_normalize_text_leaves_normalised_text_alone(text: str) -> None:
    assert normalize_text(text) == text


def test_check_block_text_accepts_ordinary_text() -> None:
    check_block_text("Text with = inside.\n\n- item", lead=True)


def test_check_block_text_rejects_a_heading_like_line_with_its_line() -> None:
    with pytest.raises(WikitextError) as info:
        check_block_text("One\r\n\r\n==Two==")
    assert str(info.value) == "line 3: a line may not start with '=' (that makes a heading)"


def test_check_block_text_rejects_a_lead_starting_with_infobox() -> None:
    with pytest.raises(WikitextError) as info:
        check_block_text("\n\nInfobox\n- Group: X", lead=True)
    assert str(info.value) == "line 1: the lead may not start with the line 'Infobox'"


def test_check_block_text_allows_infobox_word_in_a_section_body() -> None:
    check_block_text("Infobox\n- Group: X")


def test_check_block_text_rejects_control_characters_with_their_line() -> None:
    with pytest.raises(WikitextError) as info:
        check_block_text("ok\nok\nbad\x00")
    assert str(info.value) == "line 3: control character U+0000 is not allowed"


def test_check_line_accepts_a_single_line() -> None:
    check_line("Russians in Afghanistan\t(article)")


@pytest.mark.parametrize("value", ["two\nlines", "carriage\rreturn", "crlf\r\n"])
def test_check_line_rejects_line_breaks(value: str) -> None:
    with pytest.raises(WikitextError) as info:
        check_line(value)
    assert str(info.value) == "line 1: must be a single line"


def test_check_line_rejects_control_characters() -> None:
    with pytest.raises(WikitextError) as info:
        check_line("bad\x1f")
    assert str(info.value) == "line 1: control character U+001F is not allowed"
