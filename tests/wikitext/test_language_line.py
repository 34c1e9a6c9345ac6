"""The article's content language in wiki-text: the ``Language:`` line after
the title, absent for English so that every older file keeps its bytes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.wikitext import (
    LANGUAGE_RE,
    ArticleDoc,
    Infobox,
    WikitextError,
    check_block_text,
    decode,
    dump,
    parse,
)

from .strategies import article_docs

SEED_BYTES = (Path(__file__).resolve().parents[2] / "fixtures" / "russians-in-afghanistan.txt").read_bytes()

DARI = """\
= روس‌ها در افغانستان =

Language: fa-AF

Infobox
- Group: روس‌ها
- Population: 1,500 (2009 est.)

در حال حاضر حدود ۱۵۰۰ روس در افغانستان زندگی می‌کنند.

==تاریخ==
در دهه ۱۹۶۰ و ۱۹۷۰.
"""


def test_a_dari_file_reads_its_language_and_writes_back_byte_for_byte() -> None:
    doc = parse(DARI)

    assert doc.language == "fa-AF"
    assert doc.title == "روس‌ها در افغانستان"
    assert doc.infobox.group == "روس‌ها"
    # The line is not lead text.
    assert doc.lead == "در حال حاضر حدود ۱۵۰۰ روس در افغانستان زندگی می‌کنند."
    assert dump(doc) == DARI


def test_the_writer_puts_the_line_after_the_title_with_a_blank_line_between() -> None:
    doc = ArticleDoc(title="Русские в Афганистане", lead="Текст.", language="ru")

    assert dump(doc) == "= Русские в Афганистане =\n\nLanguage: ru\n\nТекст.\n"


def test_an_english_document_has_no_language_line_and_the_seed_keeps_its_bytes() -> None:
    doc = parse(decode(SEED_BYTES))

    assert doc.language == "en"
    assert "Language:" not in dump(doc)
    assert dump(doc).encode("utf-8") == SEED_BYTES
    assert ArticleDoc(title="T", lead="Lead.").language == "en"


def test_language_en_written_out_is_read_and_written_back_without_the_line() -> None:
    doc = parse("= T =\n\nLanguage: en\n\nLead.\n")

    assert doc.language == "en"
    assert dump(doc) == "= T =\n\nLead.\n"


@pytest.mark.parametrize(
    ("written", "stored"),
    [("fa-af", "fa-AF"), ("FA-AF", "fa-AF"), ("ZH-hant", "zh-Hant"), ("sr-latn-rs", "sr-Latn-RS"),
     ("es-419", "es-419"), ("ps", "ps"), ("ckb", "ckb")],
)
def test_a_code_in_any_letter_case_is_stored_as_bcp_47_writes_it(written: str, stored: str) -> None:
    doc = parse(f"= T =\n\nLanguage: {written}\n\nLead.\n")

    assert doc.language == stored
    assert dump(doc) == f"= T =\n\nLanguage: {stored}\n\nLead.\n"


def test_the_line_right_after_the_title_without_a_blank_line_is_read_and_written_canonically() -> None:
    doc = parse("= T =\nLanguage: ps\n\nInfobox\n- Group: G\n")

    assert (doc.language, doc.infobox) == ("ps", Infobox(group="G"))
    assert dump(doc) == "= T =\n\nLanguage: ps\n\nInfobox\n- Group: G\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("= T =\n\nLanguage: xx_YY!\n\nLead.\n", 3,
         "'xx_YY!' is not a language code; write it as BCP 47 does"),
        ("= T =\n\nLanguage: Dari\n", 3, "'Dari' is not a language code"),
        ("= T =\n\nLanguage: fa-Afgh-AF-x\n", 3, "'fa-Afgh-AF-x' is not a language code"),
        # Letters outside ASCII that fold to ASCII ones (U+212A KELVIN SIGN) are no code.
        ("= T =\n\nLanguage: \u212ay\n", 3, "is not a language code"),
        ("= T =\n\nLanguage:\n\nLead.\n", 3, "the 'Language:' line names no language"),
        ("= T =\n\nLanguage: ru\nInfobox\n- Group: G\n", 4,
         "the 'Language:' line stands alone: put a blank line after it"),
        ("= T =\n\nInfobox\n- Group: G\n\nLanguage: ru\n\nLead.\n", 6,
         "the 'Language:' line goes right after the title, before the infobox"),
    ],
)
def test_a_bad_language_line_is_an_error_on_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(WikitextError) as excinfo:
        parse(text)

    assert excinfo.value.line == line
    assert message in excinfo.value.message


def test_a_lead_may_not_start_with_a_language_line_that_would_read_back_as_the_language() -> None:
    with pytest.raises(WikitextError, match="the lead may not start with 'Language:'"):
        check_block_text("Language: ru\n\nThe rest.", lead=True)
    # Anywhere else it is only text.
    check_block_text("The rest.\n\nLanguage: ru", lead=True)
    check_block_text("Language: ru")



@settings(max_examples=60, deadline=None)
@given(doc=article_docs, language=st.from_regex(LANGUAGE_RE, fullmatch=True))
def test_generated_documents_in_any_language_round_trip(doc: ArticleDoc, language: str) -> None:
    doc = replace(doc, language=language)
    text = dump(doc)

    assert parse(text) == doc
    assert dump(parse(text)) == text
    assert (f"\n\nLanguage: {language}\n" in text) == (language != "en")
