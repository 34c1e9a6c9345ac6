"""Reading wiki-text: the seed article, every construct, and every error."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.wikitext import (
    ArticleDoc,
    ExtraRow,
    Infobox,
    Population,
    Section,
    WikitextError,
    decode,
    parse,
)

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "russians-in-afghanistan.txt"


@pytest.fixture(scope="module")
def seed_doc() -> ArticleDoc:
    return parse(decode(SEED.read_bytes()))


# --- the seed article -------------------------------------------------------


def test_seed_title(seed_doc: ArticleDoc) -> None:
    assert seed_doc.title == "Russians in Afghanistan"


def test_seed_infobox_typed_fields(seed_doc: ArticleDoc) -> None:
    assert seed_doc.infobox == Infobox(
        group="Russians in Afghanistan",
        population=Population(count=1500, note="2009 est."),
        places=["Balkh Province", "Kabul"],
        languages=["Russian", "Pashto", "Dari"],
        religions=["Russian Orthodoxy", "Sunni Islam"],
        extras=[],
    )


def test_seed_lead_is_the_five_paragraphs(seed_doc: ArticleDoc) -> None:
    paragraphs = seed_doc.lead.split("\n\n")
    assert len(paragraphs) == 5
    assert all("\n" not in paragraph for paragraph in paragraphs)
    assert paragraphs[0] == (
        "There are currently estimated to be 1,500 Russians in Afghanistan, which in this "
        "article refers not only to ethnic Russians, but also to any citizens of Russia."
    )
    assert paragraphs[1].startswith("In the 1960s and 1970s, due to cooperation")
    assert paragraphs[1].endswith("during or after the war.")
    assert paragraphs[2] == (
        "There was also some Russian-language media, but it closed down during the period "
        "of Taliban government in the late 1990s."
    )
    assert paragraphs[3].startswith("Some Russians remained.")
    assert paragraphs[4].startswith("In Balkh Province, near the border with Uzbekistan")
    assert paragraphs[4].endswith("although bribery is not uncommon.")


def test_seed_lead_keeps_the_source_typo_and_punctuation_verbatim(seed_doc: ArticleDoc) -> None:
    assert "about 500 Russian derserters or POWs" in seed_doc.lead
    assert "Soviet–Afghan War" in seed_doc.lead  # en dash, not a hyphen
    assert 'hailed as "war heroes,"' in seed_doc.lead


def test_seed_has_no_sections_and_four_see_also_titles_in_order(seed_doc: ArticleDoc) -> None:
    assert seed_doc.sections == []
    assert seed_doc.see_also == [
        "Afghans in Russia",
        "Armenians in Afghanistan",
        "Demographics of Afghanistan",
        "Russians in Pakistan",
    ]


# --- constructs -------------------------------------------------------------


def test_title_only_document_has_empty_everything() -> None:
    assert parse("= Kabul =\n") == ArticleDoc(title="Kabul")


def test_title_without_spaces_inside_the_marks_is_accepted() -> None:
    assert parse("=Kabul=\n").title == "Kabul"


def test_title_may_hold_equals_signs_inside() -> None:
    assert parse("= E = mc² =\n").title == "E = mc²"


def test_blank_lines_before_the_title_are_skipped() -> None:
    assert parse("\n\n= Kabul =\n").title == "Kabul"


def test_sections_keep_heading_level_and_body_blocks() -> None:
    doc = parse(
        "= T =\n\nLead.\n\n==History==\nFirst line\nsecond line.\n\n- a\n- b\n\n"
        "===Early years===\nEarly.\n\n==Empty==\n\n===Child===\nChild text.\n"
    )
    assert doc.lead == "Lead."
    assert doc.sections == [
        Section("History", 2, "First line\nsecond line.\n\n- a\n- b"),
        Section("Early years", 3, "Early."),
        Section("Empty", 2, ""),
        Section("Child", 3, "Child text."),
    ]


def test_section_body_may_follow_the_heading_after_a_blank_line() -> None:
    assert parse("= T =\n\n==H==\n\nBody.\n").sections == [Section("H", 2, "Body.")]


def test_heading_text_may_hold_an_equals_sign() -> None:
    assert parse("= T =\n\n==a=b==\n").sections == [Section("a=b", 2, "")]


def test_level_three_see_also_is_an_ordinary_section() -> None:
    doc = parse("= T =\n\n===See also===\nText.\n")
    assert doc.sections == [Section("See also", 3, "Text.")]
    assert doc.see_also == []


def test_see_also_heading_is_matched_case_insensitively() -> None:
    doc = parse("= T =\n\n==SEE ALSO==\n- A\n")
    assert doc.see_also == ["A"]
    assert doc.sections == []


def test_see_also_in_the_middle_is_lifted_out_of_the_sections() -> None:
    doc = parse("= T =\n\n==See also==\n- A\n- B\n\n==Later==\nText.\n")
    assert doc.see_also == ["A", "B"]
    assert doc.sections == [Section("Later", 2, "Text.")]


def test_see_also_lists_separated_by_blank_lines_are_joined() -> None:
    assert parse("= T =\n\n==See also==\n- A\n\n- B\n").see_also == ["A", "B"]


def test_lead_without_infobox_keeps_list_and_paragraphs() -> None:
    doc = parse("= T =\n\nOne.\n\n- x\n- y\n\nTwo\nlines.\n")
    assert doc.infobox == Infobox()
    assert doc.lead == "One.\n\n- x\n- y\n\nTwo\nlines."


def test_infobox_without_lead_goes_straight_to_sections() -> None:
    doc = parse("= T =\n\nInfobox\n- Group: Tajiks\n\n==H==\nBody.\n")
    assert doc.infobox == Infobox(group="Tajiks")
    assert doc.lead == ""
    assert doc.sections == [Section("H", 2, "Body.")]


def test_infobox_word_after_the_lead_is_ordinary_text() -> None:
    doc = parse("= T =\n\nLead.\n\nInfobox\n- Group: X\n")
    assert doc.infobox == Infobox()
    assert doc.lead == "Lead.\n\nInfobox\n- Group: X"


def test_unknown_infobox_keys_record_their_row_position() -> None:
    doc = parse(
        "= T =\n\nInfobox\n- Native name: Русские\n- Group: Russians\n"
        "- Related groups: Ukrainians, Belarusians\n- Langs: Russian\n- Footnote: see below\n"
    )
    assert doc.infobox == Infobox(
        group="Russians",
        languages=["Russian"],
        extras=[
            ExtraRow("Native name", "Русские", 0),
            ExtraRow("Related groups", "Ukrainians, Belarusians", 2),
            ExtraRow("Footnote", "see below", 4),
        ],
    )


def test_infobox_value_may_hold_colons_and_the_key_ends_at_the_first_one() -> None:
    assert parse("= T =\n\nInfobox\n- Source: http://example.org/a:b\n").infobox.extras == [
        ExtraRow("Source", "http://example.org/a:b", 0)
    ]


def test_typed_infobox_keys_are_matched_case_insensitively() -> None:
    doc = parse("= T =\n\nInfobox\n- group: Uzbeks\n- POPULATION: 7\n- popPlace: Mazar\n")
    assert doc.infobox == Infobox(group="Uzbeks", population=Population(7), places=["Mazar"])


def test_population_without_note() -> None:
    assert parse("= T =\n\nInfobox\n- Population: 2,000\n").infobox.population == Population(2000)


def test_non_numeric_population_is_kept_whole_as_the_note() -> None:
    population = parse("= T =\n\nInfobox\n- Population: about 2,000\n").infobox.population
    assert population == Population(count=None, note="about 2,000")


def test_population_in_other_scripts_is_kept_verbatim() -> None:
    population = parse("= T =\n\nInfobox\n- Population: ١٥٠٠\n").infobox.population
    assert population == Population(count=None, note="١٥٠٠")


def test_population_at_the_maximum_is_accepted() -> None:
    population = parse("= T =\n\nInfobox\n- Population: 1,000,000,000,000\n").infobox.population
    assert population == Population(10**12)


def test_places_with_three_names() -> None:
    assert parse("= T =\n\nInfobox\n- Popplace: Kabul, Herat and Balkh\n").infobox.places == [
        "Kabul",
        "Herat",
        "Balkh",
    ]


def test_tabs_are_allowed_inside_text() -> None:
    assert parse("= T =\n\nA\tB\n").lead == "A\tB"


# --- errors -----------------------------------------------------------------


def error_of(text: str) -> WikitextError:
    with pytest.raises(WikitextError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "",
            1,
            "the file is empty; it must start with a title like '= Title ='",
            id="empty-file",
        ),
        pytest.param(
            "\n  \n\n",
            1,
            "the file is empty; it must start with a title like '= Title ='",
            id="blank-lines-only",
        ),
        pytest.param(
            "\ufeff",
            1,
            "the file is empty; it must start with a title like '= Title ='",
            id="bom-only",
        ),
        pytest.param(
            "Russians in Afghanistan\n\nText.\n",
            1,
            "the first line must be the title, like '= Title ='",
            id="no-title-line",
        ),
        pytest.param(
            "\n\nJust text\n",
            3,
            "the first line must be the title, like '= Title ='",
            id="no-title-after-blank-lines",
        ),
        pytest.param(
            "==Kabul==\n",
            1,
            "the first line must be the title, like '= Title ='",
            id="heading-as-title",
        ),
        pytest.param(
            "= =\n",
            1,
            "the first line must be the title, like '= Title ='",
            id="title-without-text",
        ),
        pytest.param(
            "= Kabul\n",
            1,
            "the first line must be the title, like '= Title ='",
            id="title-without-closing",
        ),
        pytest.param(
            "= T =\n\n==A===\nText.\n",
            3,
            "unbalanced heading: 2 '=' at the start, 3 at the end",
            id="unbalanced-heading",
        ),
        pytest.param(
            "= T =\n\nLead.\n\n===A==\n",
            5,
            "unbalanced heading: 3 '=' at the start, 2 at the end",
            id="unbalanced-subheading",
        ),
        pytest.param(
            "= T =\n\n==History\nText.\n",
            3,
            "heading must end with '==' as it starts",
            id="heading-without-closing",
        ),
        pytest.param(
            "= T =\n\n====\n",
            3,
            "heading has no text",
            id="heading-without-text",
        ),
        pytest.param(
            "= T =\n\nLead.\n\n= Another title =\n",
            5,
            "only the first line may be a '= Title =' line",
            id="second-title",
        ),
        pytest.param(
            "= T =\n\n==A==\n\n====Deep====\n",
            5,
            "only '==Heading==' and '===Subheading===' are supported",
            id="level-four-heading",
        ),
        pytest.param(
            "= T =\n\nLead line\n=x\n",
            4,
            "heading must end with '=' as it starts",
            id="paragraph-line-starting-with-equals",
        ),
        pytest.param(
            "= T =\n\nInfobox\n\nLead.\n",
            3,
            "the infobox has no rows; put '- Key: Value' lines under it",
            id="infobox-without-rows",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Group: Russians\n- Population 1,500\n",
            5,
            "infobox row must look like '- Key: Value'",
            id="infobox-row-without-colon",
        ),
        pytest.param(
            "= T =\n\nInfobox\nGroup: Russians\n",
            4,
            "infobox row must look like '- Key: Value'",
            id="infobox-row-without-dash",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Group: Russians\n- Langs:\n",
            5,
            "infobox row must look like '- Key: Value'",
            id="infobox-row-without-value",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- : Russians\n",
            4,
            "infobox row must look like '- Key: Value'",
            id="infobox-row-without-key",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Group : Russians\n",
            4,
            "infobox row must look like '- Key: Value'",
            id="infobox-row-space-before-colon",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Group: Russians\nThere are 1,500 Russians.\n",
            5,
            "infobox row must look like '- Key: Value'",
            id="lead-glued-to-infobox",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Group: Russians\n- Langs: Russian\n- group: Tajiks\n",
            6,
            "infobox key 'Group' appears twice (first on line 4)",
            id="duplicate-typed-key",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Langs: Russian, , Dari\n",
            4,
            "empty item in the list 'Russian, , Dari'",
            id="empty-language",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Group: X\n- Rels: Sunni Islam,\n",
            5,
            "empty item in the list 'Sunni Islam,'",
            id="trailing-comma-religion",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Popplace: Kabul, , Herat\n",
            4,
            "empty place in 'Kabul, , Herat'",
            id="empty-place",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Popplace: , Kabul\n",
            4,
            "empty place in ', Kabul'",
            id="place-list-starting-with-comma",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- Population: 1,000,000,000,001\n",
            4,
            "population 1,000,000,000,001 is larger than 1,000,000,000,000",
            id="population-over-maximum",
        ),
        pytest.param(
            "= T =\n\n==See also==\nAfghans in Russia\n",
            4,
            "'See also' may only list articles, one '- Title' per line",
            id="see-also-paragraph",
        ),
        pytest.param(
            "= T =\n\n==See also==\n- Afghans in Russia\nmore text\n",
            5,
            "'See also' may only list articles, one '- Title' per line",
            id="see-also-list-then-text",
        ),
        pytest.param(
            "= T =\n\n==See also==\n- A\n- \n- B\n",
            5,
            "'See also' may only list articles, one '- Title' per line",
            id="see-also-empty-item",
        ),
        pytest.param(
            "= T =\n\n==See also==\n- A\n-  B\n",
            5,
            "'See also' may only list articles, one '- Title' per line",
            id="see-also-item-with-two-spaces",
        ),
        pytest.param(
            "= T =\n\n==See also==\n- A\n\n==See Also==\n- B\n",
            6,
            "a second 'See also' section (the first is on line 3)",
            id="second-see-also",
        ),
        pytest.param(
            "= T =\n\nBad \x00 byte\n",
            3,
            "control character U+0000 is not allowed",
            id="nul",
        ),
        pytest.param(
            "= T =\n\nLead.\n\n==H==\nBell\x07\n",
            6,
            "control character U+0007 is not allowed",
            id="bell",
        ),
        pytest.param(
            "= T =\r\n\r\nA\r\n\x1b[31m\r\n",
            4,
            "control character U+001B is not allowed",
            id="escape-after-crlf",
        ),
        pytest.param(
            "= T \x7f=\n",
            1,
            "control character U+007F is not allowed",
            id="delete-in-title",
        ),
    ],
)
def test_bad_input_raises_with_line_and_message(text: str, line: int, message: str) -> None:
    error = error_of(text)
    assert (error.line, error.message) == (line, message)
    assert str(error) == f"line {line}: {message}"


def test_population_with_thousands_of_digits_is_an_error_not_a_crash() -> None:
    error = error_of("= T =\n\nInfobox\n- Population: " + "9" * 5000 + "\n")
    assert error.line == 4
    assert error.message == "the infobox value is 5000 characters long; at most 255 are allowed"


def test_population_with_hundreds_of_digits_is_too_large() -> None:
    error = error_of("= T =\n\nInfobox\n- Population: " + "9" * 200 + "\n")
    assert error.line == 4
    assert error.message.endswith("is larger than 1,000,000,000,000")


def test_population_with_many_leading_zeros_is_read_as_its_value() -> None:
    doc = parse("= T =\n\nInfobox\n- Population: " + "0" * 200 + "42\n")
    assert doc.infobox.population == Population(42)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("- Langs: Dari, Pashto, dari", "'dari' is listed twice"),
        ("- Rels: Islam, Islam", "'Islam' is listed twice"),
        ("- Popplace: Kabul, Herat and Kabul", "'Kabul' is listed twice"),
    ],
)
def test_an_item_listed_twice_is_an_error(row: str, message: str) -> None:
    error = error_of(f"= T =\n\nInfobox\n- Group: G\n{row}\n")
    assert (error.line, error.message) == (5, message)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (f"= {'x' * 256} =\n", 1, "the title is 256 characters long; at most 255 are allowed"),
        (f"= T =\n\n=={'h' * 300}==\n", 3, "the heading is 300 characters long; at most 255 are allowed"),
        (f"= T =\n\nInfobox\n- {'k' * 256}: v\n", 4, "the infobox key is 256 characters long; at most 255 are allowed"),
        (f"= T =\n\n==See also==\n- A\n- {'t' * 256}\n", 5, "the title is 256 characters long; at most 255 are allowed"),
        ("= T =\n\n==See also==\n- =A\n", 4, "a title may not start or end with '='"),
        ("= T =\n\n==See also==\n- A =\n", 4, "a title may not start or end with '='"),
    ],
)
def test_overlong_names_and_bad_see_also_titles_are_errors(text: str, line: int, message: str) -> None:
    error = error_of(text)
    assert (error.line, error.message) == (line, message)


def test_error_located_names_file_and_line() -> None:
    error = error_of("= T =\n\nInfobox\n- Group: X\n- broken\n")
    assert error.located("broken.txt") == (
        "broken.txt:5: infobox row must look like '- Key: Value'"
    )


def test_error_is_a_value_error_with_message_and_line_attributes() -> None:
    error = WikitextError("heading has no text", 7)
    assert isinstance(error, ValueError)
    assert (error.message, error.line) == ("heading has no text", 7)
    assert str(error) == "line 7: heading has no text"


# --- decode -----------------------------------------------------------------


def test_decode_reads_utf8() -> None:
    assert decode("= Кабул =\n".encode()) == "= Кабул =\n"


def test_decode_keeps_the_bom_for_parse_to_drop() -> None:
    text = decode(b"\xef\xbb\xbf= T =\n")
    assert text == "\ufeff= T =\n"
    assert parse(text).title == "T"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        pytest.param(
            b"\xff= T =\n",
            1,
            "byte 0xff is not valid UTF-8; save the file as UTF-8",
            id="first-byte",
        ),
        pytest.param(
            b"= T =\n\nCaf\xe9 au lait\n",
            3,
            "byte 0xe9 is not valid UTF-8; save the file as UTF-8",
            id="latin-1-e-acute",
        ),
        pytest.param(
            "= T =\n\nКабул\n\n".encode() + b"\xd0",
            5,
            "byte 0xd0 is not valid UTF-8; save the file as UTF-8",
            id="truncated-sequence-at-end",
        ),
        pytest.param(
            b"= T =\r\n\r\n\x80\r\n",
            3,
            "byte 0x80 is not valid UTF-8; save the file as UTF-8",
            id="crlf-file",
        ),
    ],
)
def test_decode_invalid_utf8_names_the_byte_and_its_line(
    data: bytes, line: int, message: str
) -> None:
    with pytest.raises(WikitextError) as info:
        decode(data)
    assert (info.value.line, info.value.message) == (line, message)


# --- pathological input is read in linear time ------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "= " + " " * 100_000 + "x\n",
            1,
            "the first line must be the title, like '= Title ='",
            id="title-line-with-a-long-run-of-spaces",
        ),
        pytest.param(
            "= T =\n\n==a" + "=" * 100_000 + "b\n",
            3,
            "heading must end with '==' as it starts",
            id="heading-with-a-long-run-of-equals-signs",
        ),
        pytest.param(
            "= T =\n\nInfobox\n- " + "a " * 100_000 + "\n",
            4,
            "infobox row must look like '- Key: Value'",
            id="infobox-row-without-colon-and-many-spaces",
        ),
    ],
)
def test_pathological_line_fails_with_its_line(
    text: str, line: int, message: str
) -> None:
    # Timings belong in bench/; a backtracking pattern would hang here.
    error = error_of(text)
    assert (error.line, error.message) == (line, message)


def test_long_title_with_many_spaces_is_read() -> None:
    doc = parse("= " + " " * 100_000 + "Kabul" + " " * 100_000 + "=\n")
    assert doc.title == "Kabul"


def test_hundred_thousand_headings_are_all_read() -> None:
    # Speed belongs in bench/; a quadratic reader would not finish this.
    doc = parse("= T =\n\n" + "==H==\n\n" * 100_000)
    assert len(doc.sections) == 100_000
    assert doc.sections[-1] == Section("H", 2, "")
