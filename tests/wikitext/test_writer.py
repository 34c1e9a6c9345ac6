"""Writing an ArticleDoc: the exact canonical bytes."""

from __future__ import annotations

from articles.wikitext import (
    ArticleDoc,
    ExtraRow,
    Infobox,
    Population,
    Section,
    dump,
    infobox_rows,
    merge_rows,
)


def test_dump_title_only_is_one_line_with_trailing_newline() -> None:
    assert dump(ArticleDoc(title="Kabul")) == "= Kabul =\n"


def test_dump_full_document_in_seed_style() -> None:
    doc = ArticleDoc(
        title="Tajiks in Russia",
        infobox=Infobox(
            group="Tajiks",
            population=Population(200303, "2010 census"),
            places=["Moscow", "Saint Petersburg", "Yekaterinburg"],
            languages=["Tajik", "Russian"],
            religions=["Sunni Islam"],
        ),
        lead="First paragraph.\n\nSecond paragraph\nwith two lines.",
        sections=[
            Section("History", 2, "Text.\n\n- one\n- two"),
            Section("Soviet era", 3, "More."),
        ],
        see_also=["Tajiks", "Russians in Tajikistan"],
    )
    assert dump(doc) == (
        "= Tajiks in Russia =\n"
        "\n"
        "Infobox\n"
        "- Group: Tajiks\n"
        "- Population: 200,303 (2010 census)\n"
        "- Popplace: Moscow, Saint Petersburg and Yekaterinburg\n"
        "- Langs: Tajik, Russian\n"
        "- Rels: Sunni Islam\n"
        "\n"
        "First paragraph.\n"
        "\n"
        "Second paragraph\n"
        "with two lines.\n"
        "\n"
        "==History==\n"
        "Text.\n"
        "\n"
        "- one\n"
        "- two\n"
        "\n"
        "===Soviet era===\n"
        "More.\n"
        "\n"
        "==See also==\n"
        "- Tajiks\n"
        "- Russians in Tajikistan\n"
    )


def test_dump_empty_infobox_writes_no_infobox_line() -> None:
    assert dump(ArticleDoc(title="T", infobox=Infobox(), lead="Lead.")) == "= T =\n\nLead.\n"


def test_dump_section_with_empty_body_is_a_lone_heading_line() -> None:
    doc = ArticleDoc(title="T", sections=[Section("Empty", 2), Section("Child", 3, "Text.")])
    assert dump(doc) == "= T =\n\n==Empty==\n\n===Child===\nText.\n"


def test_dump_writes_see_also_last_even_after_sections() -> None:
    doc = ArticleDoc(title="T", sections=[Section("Last", 2, "x")], see_also=["A"])
    assert dump(doc).endswith("==Last==\nx\n\n==See also==\n- A\n")


def test_dump_empty_see_also_writes_no_see_also_section() -> None:
    assert "See also" not in dump(ArticleDoc(title="T", lead="x", see_also=[]))


def test_dump_population_count_gets_thousands_separators() -> None:
    doc = ArticleDoc(title="T", infobox=Infobox(population=Population(1234567)))
    assert dump(doc) == "= T =\n\nInfobox\n- Population: 1,234,567\n"


def test_dump_non_numeric_population_writes_the_note_verbatim() -> None:
    doc = ArticleDoc(title="T", infobox=Infobox(population=Population(None, "about 2,000")))
    assert dump(doc) == "= T =\n\nInfobox\n- Population: about 2,000\n"


def test_dump_zero_population_is_written() -> None:
    doc = ArticleDoc(title="T", infobox=Infobox(population=Population(0)))
    assert dump(doc) == "= T =\n\nInfobox\n- Population: 0\n"


def test_infobox_rows_typed_keys_in_canonical_order() -> None:
    infobox = Infobox(
        religions=["Islam"],
        languages=["Dari"],
        places=["Kabul"],
        population=Population(5),
        group="G",
    )
    assert infobox_rows(infobox) == [
        ("Group", "G"),
        ("Population", "5"),
        ("Popplace", "Kabul"),
        ("Langs", "Dari"),
        ("Rels", "Islam"),
    ]


def test_infobox_rows_skip_empty_typed_fields() -> None:
    assert infobox_rows(Infobox(group="G", religions=["Islam"])) == [
        ("Group", "G"),
        ("Rels", "Islam"),
    ]


def test_infobox_rows_put_extras_before_between_and_after_typed_rows() -> None:
    infobox = Infobox(
        group="G",
        languages=["Dari", "Pashto"],
        extras=[
            ExtraRow("Native name", "N", 0),
            ExtraRow("Related", "R", 2),
            ExtraRow("Footnote", "F", 4),
        ],
    )
    assert infobox_rows(infobox) == [
        ("Native name", "N"),
        ("Group", "G"),
        ("Related", "R"),
        ("Langs", "Dari, Pashto"),
        ("Footnote", "F"),
    ]


def test_infobox_rows_sort_extras_by_position_not_list_order() -> None:
    infobox = Infobox(
        group="G",
        extras=[ExtraRow("Second", "2", 2), ExtraRow("First", "1", 0)],
    )
    assert infobox_rows(infobox) == [("First", "1"), ("Group", "G"), ("Second", "2")]


def test_infobox_rows_extra_position_past_the_end_goes_last() -> None:
    infobox = Infobox(group="G", extras=[ExtraRow("Late", "L", 9)])
    assert infobox_rows(infobox) == [("Group", "G"), ("Late", "L")]


def test_infobox_rows_only_extras() -> None:
    infobox = Infobox(extras=[ExtraRow("A", "1", 0), ExtraRow("B", "2", 1)])
    assert infobox_rows(infobox) == [("A", "1"), ("B", "2")]


def test_infobox_rows_empty_infobox_has_no_rows() -> None:
    assert infobox_rows(Infobox()) == []


def test_merge_rows_puts_each_extra_at_its_position_among_all_rows() -> None:
    assert merge_rows(["G", "P", "L"], [(3, "x"), (0, "a"), (2, "m")]) == [
        "a",
        "G",
        "m",
        "x",
        "P",
        "L",
    ]


def test_merge_rows_keeps_list_order_for_equal_positions_and_appends_late_ones() -> None:
    assert merge_rows(["G"], [(0, "a"), (0, "b"), (7, "z")]) == ["a", "b", "G", "z"]


def test_merge_rows_without_extras_is_the_typed_rows() -> None:
    assert merge_rows(["G", "P"], []) == ["G", "P"]
