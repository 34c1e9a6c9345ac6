"""Round trips: canonical text survives byte for byte, variants are written
canonically, generated documents survive parse(dump(doc)), and no input
makes the parser raise anything but WikitextError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.wikitext import ArticleDoc, WikitextError, decode, dump, parse

from .strategies import article_docs

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "russians-in-afghanistan.txt"
SEED_BYTES = SEED.read_bytes()
SEED_TEXT = SEED_BYTES.decode("utf-8")


def test_seed_file_is_canonical_utf8_with_lf_and_one_trailing_newline() -> None:
    assert b"\r" not in SEED_BYTES
    assert SEED_BYTES.startswith(b"= Russians in Afghanistan =\n\nInfobox\n")
    assert SEED_BYTES.endswith(b"\n- Russians in Pakistan\n")


def test_seed_dump_parse_is_byte_identical() -> None:
    assert dump(parse(decode(SEED_BYTES))).encode("utf-8") == SEED_BYTES


def test_seed_parse_dump_parse_is_the_same_document() -> None:
    doc = parse(SEED_TEXT)
    assert parse(dump(doc)) == doc


# --- canonical documents ----------------------------------------------------

EVERY_CONSTRUCT = """\
= Uzbeks in Afghanistan =

Infobox
- Native name: Afgʻoniston oʻzbeklari
- Group: Afghan Uzbeks
- Population: 3,500,000 (2020 est.)
- Flag: none
- Popplace: Balkh, Jowzjan and Faryab
- Langs: Uzbek, Dari
- Rels: Sunni Islam
- Related groups: Turkmens, Tajiks

Uzbeks are the fourth-largest group in Afghanistan.

This paragraph has
three lines
of text.

- a lead list item
- another item, with a comma

==History==
Early history text.

===Ancient times===
Ancient text.

- first
- second

===Modern era===

==Culture==

===Music===
Music text with = inside and a - dash.

==Geography==
- Mazar-i-Sharif
- Sheberghan

Closing paragraph.

==See also==
- Uzbeks
- Demographics of Afghanistan
"""

CANONICAL_DOCUMENTS = {
    "every-construct": EVERY_CONSTRUCT,
    "title-only": "= Kabul =\n",
    "no-infobox": "= Kabul =\n\nKabul is the capital.\n\n==History==\nOld.\n",
    "no-lead": "= Kabul =\n\nInfobox\n- Group: Kabulis\n\n==History==\nOld.\n",
    "infobox-only": "= Kabul =\n\nInfobox\n- Group: Kabulis\n",
    "see-also-only": "= Kabul =\n\n==See also==\n- Herat\n",
    "population-without-note": "= T =\n\nInfobox\n- Population: 2,000\n",
    "non-numeric-population": "= T =\n\nInfobox\n- Population: about 2,000\n",
    "population-zero": "= T =\n\nInfobox\n- Population: 0\n",
    "two-places": "= T =\n\nInfobox\n- Popplace: Balkh Province and Kabul\n",
    "one-place": "= T =\n\nInfobox\n- Popplace: Kabul\n",
    "extras-only": "= T =\n\nInfobox\n- Native name: Русские\n- Footnote: 1\n",
    "extras-first-and-last": (
        "= T =\n\nInfobox\n- A: 1\n- Group: G\n- Rels: Islam\n- Z: 26\n\nLead.\n"
    ),
    "heading-without-body-then-subsection": (
        "= T =\n\n==Empty==\n\n===Sub===\nText.\n\n==Next==\nMore.\n"
    ),
    "empty-headings-only": "= T =\n\n==A==\n\n===B===\n\n==C==\n",
    "list-only-section": "= T =\n\n==Cities==\n- Kabul\n- Herat\n",
    "unicode": (
        "= Русские в Афганистане =\n\nInfobox\n- Group: روس‌های افغانستان\n"
        "- Popplace: Кабул and بلخ\n\nТекст 🙂.\n\n==История==\nنص.\n\n"
        "==See also==\n- 日本語\n"
    ),
    "tabs-inside-text": "= T =\n\nA\ttab.\n",
    "see-also-level-three-is-a-section": "= T =\n\n===See also===\nNot a list.\n",
}


@pytest.mark.parametrize("text", CANONICAL_DOCUMENTS.values(), ids=CANONICAL_DOCUMENTS.keys())
def test_canonical_document_round_trips_byte_for_byte(text: str) -> None:
    doc = parse(text)
    assert dump(doc) == text
    assert parse(dump(doc)) == doc


def test_every_construct_document_parses_to_the_expected_fields() -> None:
    doc = parse(EVERY_CONSTRUCT)
    assert doc.infobox.places == ["Balkh", "Jowzjan", "Faryab"]
    assert [(row.key, row.position) for row in doc.infobox.extras] == [
        ("Native name", 0),
        ("Flag", 3),
        ("Related groups", 7),
    ]
    assert [(s.heading, s.level, s.body) for s in doc.sections] == [
        ("History", 2, "Early history text."),
        ("Ancient times", 3, "Ancient text.\n\n- first\n- second"),
        ("Modern era", 3, ""),
        ("Culture", 2, ""),
        ("Music", 3, "Music text with = inside and a - dash."),
        ("Geography", 2, "- Mazar-i-Sharif\n- Sheberghan\n\nClosing paragraph."),
    ]
    assert doc.see_also == ["Uzbeks", "Demographics of Afghanistan"]
    assert doc.lead.split("\n\n")[1] == "This paragraph has\nthree lines\nof text."


# --- variants written canonically ---------------------------------------------

VARIANTS = {
    "crlf": (SEED_TEXT.replace("\n", "\r\n"), SEED_TEXT),
    "cr-only": (SEED_TEXT.replace("\n", "\r"), SEED_TEXT),
    "bom": ("\ufeff" + SEED_TEXT, SEED_TEXT),
    "no-final-newline": (SEED_TEXT.rstrip("\n"), SEED_TEXT),
    "many-final-newlines": (SEED_TEXT + "\n\n\n", SEED_TEXT),
    "blank-lines-before-title": ("\n\n" + SEED_TEXT, SEED_TEXT),
    "see-also-with-spaces": (SEED_TEXT.replace("==See also==", "== See also =="), SEED_TEXT),
    "see-also-capitals": (SEED_TEXT.replace("==See also==", "==SEE ALSO=="), SEED_TEXT),
    "trailing-spaces": (SEED_TEXT.replace("\n", "  \t\n"), SEED_TEXT),
    "three-blank-lines": (SEED_TEXT.replace("\n\n", "\n\n\n\n"), SEED_TEXT),
    "title-without-spaces": ("=Kabul=\n", "= Kabul =\n"),
    "title-with-extra-spaces": ("=   Kabul   =\n", "= Kabul =\n"),
    "heading-with-spaces": (
        "= T =\n\n== History ==\nText.\n\n=== Early ===\nMore.\n",
        "= T =\n\n==History==\nText.\n\n===Early===\nMore.\n",
    ),
    "blank-line-after-heading": ("= T =\n\n==H==\n\n\nText.\n", "= T =\n\n==H==\nText.\n"),
    "oxford-comma": (
        "= T =\n\nInfobox\n- Popplace: A, B, and C\n",
        "= T =\n\nInfobox\n- Popplace: A, B and C\n",
    ),
    "places-without-spaces": (
        "= T =\n\nInfobox\n- Popplace: A,B and C\n",
        "= T =\n\nInfobox\n- Popplace: A, B and C\n",
    ),
    "places-all-commas": (
        "= T =\n\nInfobox\n- Popplace: A, B, C\n",
        "= T =\n\nInfobox\n- Popplace: A, B and C\n",
    ),
    "population-without-separators": (
        "= T =\n\nInfobox\n- Population: 1500\n",
        "= T =\n\nInfobox\n- Population: 1,500\n",
    ),
    "population-with-note-without-separators": (
        "= T =\n\nInfobox\n- Population: 1500 (2009 est.)\n",
        "= T =\n\nInfobox\n- Population: 1,500 (2009 est.)\n",
    ),
    "population-leading-zeros": (
        "= T =\n\nInfobox\n- Population: 0042\n",
        "= T =\n\nInfobox\n- Population: 42\n",
    ),
    "lowercase-key": (
        "= T =\n\nInfobox\n- group: X\n",
        "= T =\n\nInfobox\n- Group: X\n",
    ),
    "upper-case-keys": (
        "= T =\n\nInfobox\n- LANGS: Dari\n- RELS: Islam\n",
        "= T =\n\nInfobox\n- Langs: Dari\n- Rels: Islam\n",
    ),
    "typed-keys-out-of-order": (
        "= T =\n\nInfobox\n- Rels: Islam\n- Langs: Dari\n- Group: G\n",
        "= T =\n\nInfobox\n- Group: G\n- Langs: Dari\n- Rels: Islam\n",
    ),
    "typed-keys-out-of-order-around-an-extra": (
        "= T =\n\nInfobox\n- Rels: Islam\n- Flag: none\n- Group: G\n",
        "= T =\n\nInfobox\n- Group: G\n- Flag: none\n- Rels: Islam\n",
    ),
    "spaces-around-key-and-value": (
        "= T =\n\nInfobox\n-  Group:    G\n- Native  name:  N\n",
        "= T =\n\nInfobox\n- Group: G\n- Native  name: N\n",
    ),
    "list-spacing": (
        "= T =\n\nInfobox\n- Langs: Russian ,Pashto,   Dari\n",
        "= T =\n\nInfobox\n- Langs: Russian, Pashto, Dari\n",
    ),
    "see-also-before-sections": (
        "= T =\n\n==See also==\n- A\n\n==History==\nText.\n",
        "= T =\n\n==History==\nText.\n\n==See also==\n- A\n",
    ),
    "see-also-items-split-by-blank-line": (
        "= T =\n\n==See also==\n- A\n\n- B\n",
        "= T =\n\n==See also==\n- A\n- B\n",
    ),
    "empty-see-also-is-dropped": ("= T =\n\nLead.\n\n==See also==\n", "= T =\n\nLead.\n"),
}


@pytest.mark.parametrize(("variant", "canonical"), VARIANTS.values(), ids=VARIANTS.keys())
def test_variant_is_written_canonically(variant: str, canonical: str) -> None:
    doc = parse(variant)
    assert dump(doc) == canonical
    assert parse(canonical) == doc


def test_crlf_bytes_with_bom_decode_and_write_back_as_the_seed_bytes() -> None:
    data = b"\xef\xbb\xbf" + SEED_BYTES.replace(b"\n", b"\r\n")
    assert dump(parse(decode(data))).encode("utf-8") == SEED_BYTES


# --- generated documents ----------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_docs)
def test_generated_document_survives_dump_and_parse(doc: ArticleDoc) -> None:
    text = dump(doc)
    assert parse(text) == doc
    assert dump(parse(text)) == text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_docs)
def test_generated_document_text_is_canonical(doc: ArticleDoc) -> None:
    text = dump(doc)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\n\n\n" not in text
    assert all(line == line.rstrip() for line in text.split("\n"))
    # Harmless variants of the generated text read as the same document.
    assert parse("\ufeff" + text.replace("\n", "\r\n")) == doc
    assert parse(text.rstrip("\n")) == doc


# --- fuzzing: nothing but WikitextError escapes -----------------------------


def line_count(text: str) -> int:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


def parse_or_error(text: str) -> None:
    try:
        doc = parse(text)
    except WikitextError as error:
        assert 1 <= error.line <= line_count(text) + 1, (error.line, line_count(text))
        assert error.message
    else:
        assert isinstance(doc, ArticleDoc)
        assert doc.title


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("= T =\n\n==See also==\n-  B\n")
@example("= T =\n\nInfobox\n- Population: " + "9" * 5000)
def test_parse_of_arbitrary_text_returns_a_document_or_raises_wikitext_error(
    text: str,
) -> None:
    parse_or_error(text)


@settings(max_examples=300, deadline=None)
@given(st.binary())
@example(b"= T =\n\xff")
@example(b"\xef\xbb\xbf= T =\r\n")
def test_decode_and_parse_of_arbitrary_bytes_raise_only_wikitext_error(data: bytes) -> None:
    try:
        text = decode(data)
    except WikitextError as error:
        assert 1 <= error.line <= data.count(b"\n") + 1
        return
    assert text == data.decode("utf-8")
    parse_or_error(text)


# Lines that are mostly syntax, so that the fuzzer reaches deep into the parser.
_SYNTAX_LINES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "= T =",
            "=T=",
            "= =",
            "==H==",
            "== See also ==",
            "==See also==",
            "===Sub===",
            "====Deep====",
            "==A===",
            "==",
            "=",
            "Infobox",
            "- Group: G",
            "- group: g",
            "- Population: 1,500 (2009 est.)",
            "- Population: 1500",
            "- Population: 99999999999999",
            "- Popplace: A, B and C",
            "- Popplace: , and",
            "- Langs: A, , B",
            "- Rels: X",
            "- Other: value",
            "- : x",
            "- ",
            "-",
            "-  x",
            "- item",
            "text",
            "\ufeff",
            "\x00",
            "\t",
        ]
    ),
    st.text(max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_SYNTAX_LINES, max_size=20),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_parse_of_syntax_heavy_text_returns_a_document_or_raises_wikitext_error(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    parse_or_error(text)
    try:
        doc = parse(text)
    except WikitextError:
        return
    # Whatever was accepted is written canonically, and that is stable.
    canonical = dump(doc)
    assert parse(canonical) == doc
    assert dump(parse(canonical)) == canonical
