"""Titles and names in their one form (articles/wikitext/names.py), and the
characters XML cannot hold, as the parser reads them."""

import unicodedata

import pytest

from articles.wikitext import WikitextError, dump, parse, xml_safe
from articles.wikitext.names import name_key, name_problem, normalize_name

NFC = "Café Owners in Testland"
NFD = unicodedata.normalize("NFD", NFC)
TAJIKS = "تاجیک\u200cها در ایران"  # the zero-width non-joiner is correct Persian spelling


def test_nfd_title_is_read_as_nfc():
    assert NFD != NFC
    assert parse(f"= {NFD} =\n").title == NFC


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad"])
def test_invisible_characters_are_dropped_from_titles(invisible):
    doc = parse(f"= Russians in Afghanistan{invisible} =\n\n==See also==\n- Arm{invisible}enians\n")
    assert doc.title == "Russians in Afghanistan"
    assert doc.see_also == ["Armenians"]


def test_zero_width_non_joiner_and_joiner_are_kept():
    text = f"= {TAJIKS} =\n\nInfobox\n- Langs: دری\u200c, 👩\u200d💻\n"
    doc = parse(text)
    assert doc.title == TAJIKS
    assert doc.infobox.languages == ["دری\u200c", "👩\u200d💻"]
    assert dump(doc) == text


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u2060\ufeff", "\u00ad \u200b"])
def test_title_without_a_visible_character_is_refused_with_its_line(title):
    with pytest.raises(WikitextError) as info:
        parse(f"\n= {title} =\n")
    assert str(info.value) == "line 2: the title has no visible character"


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidirectional_overrides_are_refused_in_titles_and_names(control):
    with pytest.raises(WikitextError, match=f"line 1: the title contains a bidirectional control character U\\+{ord(control):04X}"):
        parse(f"= Russians in {control}natsinahgfA =\n")
    with pytest.raises(WikitextError, match="line 4: the name .* contains a bidirectional"):
        parse(f"= T =\n\nInfobox\n- Popplace: Kabul and {control}luba\n")


def test_names_in_lists_are_read_nfc_and_case_insensitively_unique():
    doc = parse(f"= T =\n\nInfobox\n- Popplace: {NFD[:5]} and Kabul\u200b\n- Rels: Islam\n")
    assert doc.infobox.places == ["Café", "Kabul"]
    with pytest.raises(WikitextError, match="line 4: 'dari' is listed twice"):
        parse("= T =\n\nInfobox\n- Langs: Dari, dari\n")


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ud800", "\x0c"])
@pytest.mark.parametrize("where", ["title", "lead", "heading", "infobox"])
def test_characters_xml_forbids_are_refused_with_their_line(char, where):
    lines = ["= T =", "", "Infobox", "- Group: G", "", "Lead.", "", "==History==", "Body."]
    number = {"title": 1, "infobox": 4, "lead": 6, "heading": 8}[where]
    lines[number - 1] = lines[number - 1].replace("T", f"T{char}").replace("G", f"G{char}") \
        .replace("Lead", f"Le{char}ad").replace("History", f"His{char}tory")
    with pytest.raises(WikitextError) as info:
        parse("\n".join(lines) + "\n")
    assert info.value.line == number
    assert f"U+{ord(char):04X} is not allowed" in info.value.message


def test_xml_safe_strips_only_what_xml_forbids():
    assert xml_safe("a\ufffeb\uffffc\x00d\ud800e\tf\ng\rh\u200ci") == "abcde\tf\ng\rh\u200ci"


def test_name_rules():
    assert normalize_name(f" {NFD}\u200b ") == NFC
    assert name_key("DARI") == name_key("dari\u200b") == "dari"
    assert name_problem(TAJIKS) is None
    assert name_problem("\u200b") == "has no visible character"


def test_heading_with_a_bidirectional_override_is_refused_with_its_line():
    with pytest.raises(WikitextError) as info:
        parse("= T =\n\n==Hist\u202eory==\nText.\n")
    assert str(info.value).startswith("line 3: the heading contains a bidirectional")
