"""Every error of sources and citations: its message and its line."""

from __future__ import annotations

import pytest

from articles.wikitext import Section, WikitextError, markers_in, parse, strip_markers

KEY_CHARACTERS = "may only hold lowercase letters a-z, digits and hyphens, like [^smith-1998]"
NO_CLOSING = (
    "has no closing ']'; a marker is [^key] or [^key|locator] on one line (a key of at most "
    "50 characters, a locator of at most 100)"
)
SHAPE = (
    "the References section holds only entries: a line '- [^key]', then the entry's rows, "
    "each indented: '  - Field: value'"
)
MARKERS_GO = "markers go in the lead and section text, and after infobox values"
AT_END = (
    "in the infobox, citation markers go at the end of the value, like "
    "'- Population: 34,000 [^census]'"
)
REFS = "\n\n==References==\n- [^k]\n  - Title: K\n"


def error_of(text: str) -> WikitextError:
    with pytest.raises(WikitextError) as info:
        parse(text)
    return info.value


ERRORS = {
    # --- markers whose key has no entry -------------------------------------
    "unknown-key-in-the-lead": (
        "= T =\n\nFine.[^k]\n\nSecond.[^smith]" + REFS, 5,
        "the citation [^smith] has no entry under ==References==; add one there: "
        "'- [^smith]' with a '  - Title: ...' row",
    ),
    "unknown-key-without-any-references": (
        "= T =\n\n==H==\nLine.\nCited.[^smith|p. 3]\n", 5,
        "the citation [^smith] has no entry under ==References==; add one there: "
        "'- [^smith]' with a '  - Title: ...' row",
    ),
    "unknown-key-in-the-infobox-comes-first": (
        "= T =\n\nInfobox\n- Group: G\n- Flag: x [^flag]\n\nA.[^other]\n", 5,
        "the citation [^flag] has no entry under ==References==; add one there: "
        "'- [^flag]' with a '  - Title: ...' row",
    ),
    "unknown-key-named-at-its-first-use": (
        "= T =\n\nA.[^k]\n\n==H==\nB.[^gone]\n\nC.[^gone]" + REFS, 6,
        "the citation [^gone] has no entry under ==References==; add one there: "
        "'- [^gone]' with a '  - Title: ...' row",
    ),
    # --- malformed markers ------------------------------------------------------
    "capital-letters-in-a-key": (
        "= T =\n\nA.[^Smith]\n", 3, f"the citation key 'Smith' {KEY_CHARACTERS}",
    ),
    "empty-key": ("= T =\n\nA.\nB.[^]\n", 4, "a citation marker needs a key, like [^smith]"),
    "space-in-a-key": (
        "= T =\n\n==H==\n- a[^a b]\n", 4, f"the citation key 'a b' {KEY_CHARACTERS}",
    ),
    "underscore-in-a-key": ("= T =\n\nA.[^a_b]\n", 3, f"the citation key 'a_b' {KEY_CHARACTERS}"),
    "key-too-long": (
        f"= T =\n\nA.[^{'k' * 51}]\n", 3,
        "the citation key 'kkkkkkkkkkkkkkkkkkkk'... is 51 characters long; at most 50 are allowed",
    ),
    "marker-without-closing-bracket": (
        "= T =\n\nA.[^smith p. 3\n", 3, f"the citation marker '[^smith p. 3' {NO_CLOSING}",
    ),
    "marker-closed-on-the-next-line": (
        "= T =\n\nA.[^smith\n]\n", 3, f"the citation marker '[^smith' {NO_CLOSING}",
    ),
    "marker-closed-too-far-away": (
        f"= T =\n\nA.[^k|{'x' * 200}]\n", 3, f"the citation marker '[^k|{'x' * 28}' {NO_CLOSING}",
    ),
    "empty-locator": (
        "= T =\n\nA.[^k|]" + REFS, 3,
        "the locator after '|' is empty; write a page or section, like [^smith|p. 42]",
    ),
    "blank-locator": (
        "= T =\n\nA.[^k|  ]" + REFS, 3,
        "the locator after '|' is empty; write a page or section, like [^smith|p. 42]",
    ),
    "two-bars": (
        "= T =\n\nA.[^k|p. 1|p. 2]" + REFS, 3,
        "a citation marker has at most one '|': [^key|locator]",
    ),
    "marker-inside-a-locator": (
        "= T =\n\nA.[^k|see [^k]" + REFS, 3, "a locator may not hold '[^'",
    ),
    "locator-too-long": (
        f"= T =\n\nA.[^k|{'x' * 101}]" + REFS, 3,
        "the locator is 101 characters long; at most 100 are allowed",
    ),
    "citation-needed-with-a-locator": (
        "= T =\n\nA.[^?|p. 3]\n", 3, "[^?] (citation needed) takes no locator",
    ),
    "malformed-marker-in-an-infobox-value": (
        "= T =\n\nInfobox\n- Group: G\n- Langs: Dari [^Dari]\n", 5,
        f"the citation key 'Dari' {KEY_CHARACTERS}",
    ),
    # --- markers where they may not stand ------------------------------------
    "marker-in-the-title": (
        "= Kabul[^k] =\n", 1, f"the title may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    "marker-in-a-heading": (
        "= T =\n\n==History[^k]==\nText.\n", 3,
        f"a heading may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    "marker-in-a-subheading": (
        "= T =\n\n==A==\n\n===B [^?]===\n", 5,
        f"a heading may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    "marker-in-a-see-also-title": (
        "= T =\n\n==See also==\n- A\n- Kabul[^?]\n", 5,
        f"a 'See also' title may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    "marker-in-an-infobox-key": (
        "= T =\n\nInfobox\n- Group[^k]: G\n", 4,
        f"an infobox key may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    "marker-inside-an-infobox-value": (
        "= T =\n\nInfobox\n- Langs: Dari [^?], Pashto\n", 4, AT_END,
    ),
    "text-between-infobox-markers": (
        "= T =\n\nInfobox\n- Group: G [^?] and [^?]\n", 4, AT_END,
    ),
    "infobox-value-of-markers-only": (
        "= T =\n\nInfobox\n- Group: [^?]\n", 4,
        "the infobox value is empty; write the value before its markers",
    ),
    "infobox-value-too-long-without-its-markers": (
        f"= T =\n\nInfobox\n- Group: {'g' * 256} [^?]\n", 4,
        "the infobox value is 256 characters long; at most 255 are allowed",
    ),
    "marker-in-a-reference-field": (
        "= T =\n\n==References==\n- [^k]\n  - Title: K[^k]\n", 5,
        f"a reference's field may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    "marker-in-a-reference-field-name": (
        "= T =\n\n==References==\n- [^k]\n  - Title: K\n  - Note[^?]: x\n", 6,
        f"a reference's field name may not hold a citation marker ('[^'); {MARKERS_GO}",
    ),
    # --- entries ------------------------------------------------------------------
    "entry-without-a-title": (
        "= T =\n\nA.[^a]\n\n==References==\n- [^a]\n  - Title: A\n- [^b]\n  - Date: 2001\n"
        "- [^c]\n  - Title: C\n", 8,
        "the reference [^b] has no Title; add a row '  - Title: ...'",
    ),
    "entry-without-a-title-comes-before-a-later-bad-row": (
        "= T =\n\n==References==\n- [^a]\n  - Date: 2001\n- [^b]\n  - Title: B\n"
        "  - Url: ftp://b.org/\n", 4,
        "the reference [^a] has no Title; add a row '  - Title: ...'",
    ),
    "last-entry-without-rows": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n- [^b]\n", 6,
        "the reference [^b] has no Title; add a row '  - Title: ...'",
    ),
    "duplicate-key": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n- [^b]\n  - Title: B\n"
        "- [^a]\n  - Title: A again\n", 8,
        "the reference key 'a' appears twice (first on line 4)",
    ),
    "malformed-entry-key": (
        "= T =\n\n==References==\n- [^Smith]\n  - Title: A\n", 4,
        f"the citation key 'Smith' {KEY_CHARACTERS}",
    ),
    "entry-line-without-a-marker": ("= T =\n\n==References==\n- smith\n  - Title: A\n", 4, SHAPE),
    "entry-line-without-the-space": ("= T =\n\n==References==\n-[^a]\n  - Title: A\n", 4, SHAPE),
    "entry-line-with-more-text": (
        "= T =\n\n==References==\n- [^a] Smith 1998\n  - Title: A\n", 4,
        "an entry's line is only its key, like '- [^smith]'; its fields go on the indented "
        "rows below it",
    ),
    "entry-line-with-two-keys": (
        "= T =\n\n==References==\n- [^a][^b]\n  - Title: A\n", 4,
        "an entry's line is only its key, like '- [^smith]'; its fields go on the indented "
        "rows below it",
    ),
    "entry-line-with-a-locator": (
        "= T =\n\n==References==\n- [^a|p. 3]\n  - Title: A\n", 4,
        "an entry's line names its key only, without a locator: '- [^a]'",
    ),
    "entry-for-citation-needed": (
        "= T =\n\n==References==\n- [^?]\n  - Title: A\n", 4,
        "[^?] marks a claim that needs a citation; it is not a reference key",
    ),
    "prose-in-references": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n\nSee the library.\n", 7, SHAPE,
    ),
    "row-before-any-entry": (
        "= T =\n\n==References==\n  - Title: A\n", 4,
        "a reference row must follow its entry's line '- [^key]'",
    ),
    # --- rows ---------------------------------------------------------------------
    "row-without-a-value": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Date:\n", 6,
        "a reference row must look like '  - Field: value'",
    ),
    "row-without-a-colon": (
        "= T =\n\n==References==\n- [^a]\n  - Title A\n", 5,
        "a reference row must look like '  - Field: value'",
    ),
    "row-without-a-dash": (
        "= T =\n\n==References==\n- [^a]\n  Title: A\n", 5,
        "a reference row must look like '  - Field: value'",
    ),
    "row-without-a-name": (
        "= T =\n\n==References==\n- [^a]\n  - : A\n", 5,
        "a reference row must look like '  - Field: value'",
    ),
    "duplicate-title": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Date: 2001\n  - title: B\n", 7,
        "the field 'Title' appears twice in the reference [^a] (first on line 5)",
    ),
    "duplicate-type": (
        "= T =\n\n==References==\n- [^a]\n  - Type: book\n  - Title: A\n  - Type: book\n", 7,
        "the field 'Type' appears twice in the reference [^a] (first on line 5)",
    ),
    "duplicate-url": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Url: https://a.org/\n"
        "  - URL: https://b.org/\n", 7,
        "the field 'Url' appears twice in the reference [^a] (first on line 6)",
    ),
    "unknown-type": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Type: magazine\n", 6,
        "Type: unknown reference type 'magazine'; use one of web, news, book, journal, "
        "report, dataset",
    ),
    "javascript-url": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Url: javascript:alert(1)\n", 6,
        "Url: a javascript: URL is not allowed (it runs code or embeds content instead of "
        "pointing at a source); give the source's http:// or https:// address",
    ),
    "data-archive-url": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Archive-url: data:text/html,x\n", 6,
        "Archive-url: a data: URL is not allowed (it runs code or embeds content instead of "
        "pointing at a source); give the source's http:// or https:// address",
    ),
    "vbscript-url": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Url: vbscript:x\n", 6,
        "Url: a vbscript: URL is not allowed (it runs code or embeds content instead of "
        "pointing at a source); give the source's http:// or https:// address",
    ),
    "url-that-is-not-http": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Url: www.example.org\n", 6,
        "Url: 'www.example.org' is not a web address; a URL starts with http:// or https://",
    ),
    "url-without-a-host": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Url: https:///a\n", 6,
        "Url: 'https:///a' has no host name after the '//'",
    ),
    "url-too-long": (
        f"= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Url: https://a.org/{'a' * 1987}\n",
        6, "the Url is 2001 characters long; at most 2000 are allowed",
    ),
    "bad-date": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Date: 12 June 2019\n", 6,
        "Date: '12 June 2019' is not a date; write it as 2019, 2019-06 or 2019-06-12 "
        "(ISO 8601)",
    ),
    "impossible-accessed-date": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Accessed: 2023-02-29\n", 6,
        "Accessed: '2023-02-29' is not a real date: 2023-02 has no day 29",
    ),
    "bad-archive-date": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Archive-date: 2020-13\n", 6,
        "Archive-date: '2020-13' is not a real date: there is no month 13",
    ),
    "title-too-long": (
        f"= T =\n\n==References==\n- [^a]\n  - Title: {'t' * 256}\n", 5,
        "the Title is 256 characters long; at most 255 are allowed",
    ),
    "author-too-long": (
        f"= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Author: {'a' * 256}\n", 6,
        "the Author is 256 characters long; at most 255 are allowed",
    ),
    "quote-too-long": (
        f"= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Quote: {'q' * 1001}\n", 6,
        "the Quote is 1001 characters long; at most 1000 are allowed",
    ),
    "other-field-too-long": (
        f"= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Note: {'n' * 256}\n", 6,
        "the 'Note' value is 256 characters long; at most 255 are allowed",
    ),
    "field-name-too-long": (
        f"= T =\n\n==References==\n- [^a]\n  - Title: A\n  - {'n' * 256}: x\n", 6,
        "the reference field name is 256 characters long; at most 255 are allowed",
    ),
    "control-character-in-a-field": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\x07\n", 5,
        "control character U+0007 is not allowed",
    ),
    # --- the References section ---------------------------------------------------
    "second-references": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n\n==references==\n- [^b]\n"
        "  - Title: B\n", 7,
        "a second 'References' section (the first is on line 3)",
    ),
    "section-after-references": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n\n==Later==\nText.\n", 7,
        "'References' must be the last section (it is on line 3); move '==Later==' above it",
    ),
    "subsection-after-references": (
        "= T =\n\nLead.\n\n==References==\n- [^a]\n  - Title: A\n\n===Notes===\n", 9,
        "'References' must be the last section (it is on line 5); move '===Notes===' above it",
    ),
    "see-also-after-references": (
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n\n== See also ==\n- B\n", 7,
        "'References' must be the last section (it is on line 3); move '== See also ==' above it",
    ),
    "level-three-references-after-references": (
        "= T =\n\n==References==\n\n===References===\n", 5,
        "'References' must be the last section (it is on line 3); move '===References===' "
        "above it",
    ),
}


@pytest.mark.parametrize(("text", "line", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_citation_error_names_its_line(text: str, line: int, message: str) -> None:
    error = error_of(text)
    assert (error.line, error.message) == (line, message)
    assert str(error) == f"line {line}: {message}"


def test_a_marker_in_a_later_line_of_a_paragraph_is_named_by_its_own_line() -> None:
    # Blank lines collapse in the stored text; the error still names the
    # file's line.
    error = error_of("= T =\n\n\n\nOne.\n\n\n\nTwo.\nThree.[^X]\n")
    assert (error.line, error.message) == (10, f"the citation key 'X' {KEY_CHARACTERS}")


def test_an_unused_entry_is_a_general_reference_not_an_error() -> None:
    doc = parse("= T =\n\nUncited.\n\n==References==\n- [^a]\n  - Title: A\n")
    assert [r.key for r in doc.references] == ["a"]


def test_authors_are_repeatable() -> None:
    doc = parse(
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Author: X\n  - Author: Y\n"
        "  - Author: X\n"
    )
    assert doc.references[0].authors == ("X", "Y", "X")


def test_other_fields_may_repeat() -> None:
    doc = parse("= T =\n\n==References==\n- [^a]\n  - Title: A\n  - Note: 1\n  - Note: 2\n")
    assert doc.references[0].extras == (("Note", "1"), ("Note", "2"))


# --- hostile input is read in linear time -----------------------------------------


def test_a_line_of_fifty_thousand_marker_starts_fails_at_the_first() -> None:
    error = error_of("= T =\n\n==H==\nx" + "[^" * 50_000 + "\n")
    assert error.line == 4
    assert error.message == f"the citation marker '[^{'[^' * 15}' {NO_CLOSING}"


def test_a_marker_start_followed_by_a_hundred_thousand_letters_fails() -> None:
    error = error_of("= T =\n\nA.[^" + "a" * 100_000 + "]\n")
    assert (error.line, error.message) == (3, f"the citation marker '[^{'a' * 30}' {NO_CLOSING}")


def test_an_infobox_value_of_fifty_thousand_marker_starts_fails() -> None:
    error = error_of("= T =\n\nInfobox\n- Group: G " + "[^" * 50_000 + "\n")
    assert error.line == 4
    assert error.message.startswith("the citation marker '[^[^[^")


def test_a_body_with_twenty_thousand_markers_parses() -> None:
    # 120,000 characters, within a section's 131,072.
    body = "x[^k]" * 15_000 + "[^k|p. 9]" * 5_000
    doc = parse("= T =\n\n==H==\n" + body + REFS)
    assert doc.sections == [Section("H", 2, body)]
    assert len(markers_in(body)) == 20_000
    assert strip_markers(body) == "x" * 15_000


def test_an_infobox_value_with_twenty_thousand_markers_parses() -> None:
    doc = parse("= T =\n\nInfobox\n- Group: G " + "[^?]" * 20_000 + "\n")
    assert doc.infobox.group == "G"
    assert len(doc.infobox.citations["Group"]) == 20_000


def test_many_bars_and_brackets_fail_quickly() -> None:
    error = error_of("= T =\n\nA.[^k" + "|" * 100_000 + "]\n")
    assert error.line == 3
    assert error.message.startswith("the citation marker '[^k|||")
