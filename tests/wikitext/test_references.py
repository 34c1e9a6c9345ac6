"""Sources and citations in wiki-text: the format both ways, and the
functions that read a document's citations (references.py)."""

from __future__ import annotations

import pytest

from articles.wikitext import (
    CITATION_NEEDED,
    CSL_TYPES,
    REFERENCE_FIELDS,
    REFERENCE_TYPES,
    REFERENCES,
    ArticleDoc,
    ExtraRow,
    Infobox,
    Marker,
    Population,
    Reference,
    Section,
    WikitextError,
    check_iso_date,
    check_reference_url,
    citation_order,
    dump,
    find_markers,
    infobox_rows,
    infobox_rows_with_markers,
    markers_in,
    parse,
    reference_field,
    reference_key_problem,
    reference_rows,
    strip_markers,
    to_csl,
    unknown_citation_keys,
    verifiability,
)
from tests.examples import SOURCES_EXAMPLE

EXAMPLE = SOURCES_EXAMPLE

CENSUS = Reference(
    key="census2010",
    title="Population census of the Republic of Tajikistan 2010",
    publisher="Agency on Statistics under the President of the Republic of Tajikistan",
    date="2010",
    url="https://www.stat.tj/en/census",
    accessed="2023-05-01",
)
SMITH = Reference(
    key="smith",
    type="book",
    title="The Railway and the Steppe",
    authors=("John Smith",),
    publisher="Example Press",
    date="1998",
    isbn="978-0-00-000000-2",
)
RFERL = Reference(
    key="rferl",
    type="news",
    title="Tajikistan's Russians",
    work="Radio Free Europe/Radio Liberty",
    date="2019-06-12",
    url="https://www.rferl.org/a/example/1.html",
    archive_url="https://web.archive.org/web/20200101000000/https://www.rferl.org/a/example/1.html",
    archive_date="2020-01-01",
)


# --- the example ---------------------------------------------------------------


def test_example_round_trips_byte_for_byte() -> None:
    assert dump(parse(EXAMPLE)) == EXAMPLE


def test_example_parses_to_the_exact_document() -> None:
    assert parse(EXAMPLE) == ArticleDoc(
        title="Russians in Tajikistan",
        infobox=Infobox(
            group="Russians in Tajikistan",
            population=Population(34000, "2010 census"),
            citations={"Population": (Marker("census2010"),)},
        ),
        lead=(
            "Russians live mostly in Dushanbe.[^census2010] The first settlers came with "
            "the railway.[^smith|p. 42]"
        ),
        sections=[Section("History", 2, "Text.[^smith|pp. 50–52][^rferl]")],
        see_also=["Russians in Uzbekistan"],
        references=[CENSUS, SMITH, RFERL],
    )


def test_example_infobox_rows_keep_values_without_markers() -> None:
    infobox = parse(EXAMPLE).infobox
    assert infobox_rows(infobox) == [
        ("Group", "Russians in Tajikistan"),
        ("Population", "34,000 (2010 census)"),
    ]
    assert infobox_rows_with_markers(infobox) == [
        ("Group", "Russians in Tajikistan", ()),
        ("Population", "34,000 (2010 census)", (Marker("census2010"),)),
    ]


def test_example_citations() -> None:
    doc = parse(EXAMPLE)
    assert citation_order(doc) == ["census2010", "smith", "rferl"]
    assert unknown_citation_keys(doc) == []
    assert verifiability(doc) == (2, 2, 0)
    assert markers_in(doc.sections[0].body) == [Marker("smith", "pp. 50–52"), Marker("rferl")]


# --- every rule, in canonical form ----------------------------------------------

EVERY_RULE = """\
= Uzbeks in Afghanistan =

Infobox
- Native name: Afgʻoniston oʻzbeklari [^iso|§ 3]
- Group: Afghan Uzbeks
- Population: 3,500,000 (2020 est.) [^cia][^unhcr|p. 7]
- Flag: none
- Popplace: Balkh, Jowzjan and Faryab [^?]
- Langs: Uzbek, Dari
- Related groups: Turkmens [^smith|ch. 2][^?]

Uzbeks are the fourth-largest group.[^cia] Some say the third.[^?]

- Mazar-i-Sharif[^smith|pp. 50–52]
- Sheberghan
- Andkhoy[^unhcr][^smith]

A paragraph without a source.

==History==
Early text.[^smith|§ 3][^smith|ch. 2] Later text.[^iso|00:12:30]

===Recent===

==See also==
- Uzbeks

==References==
- [^cia]
  - Title: The World Factbook: Afghanistan
  - Publisher: Central Intelligence Agency
  - Date: 2020-03
  - Url: https://www.cia.gov/the-world-factbook/countries/afghanistan/
  - Accessed: 2021-01-15
  - Language: en
- [^smith]
  - Type: book
  - Title: Peoples of the North
  - Author: Jane Smith
  - Author: Ali Karimov
  - Author: Олег Петров
  - Work: Central Asian Studies
  - Publisher: Example Press
  - Date: 1998-11-30
  - Url: http://example.org/books/north?id=7&lang=en#ch2
  - Isbn: 978-0-00-000000-2
  - Doi: 10.1000/xyz123
  - Accessed: 2024-02-29
  - Archive-url: https://web.archive.org/web/2020/http://example.org/books/north
  - Archive-date: 2020
  - Language: ru
  - Quote: The Uzbeks of the north: farmers, traders – and poets.
  - Translator: Maria Ivanova
  - Edition: 2nd
  - Translator: Pavel Sidorov
- [^unhcr]
  - Type: report
  - Title: Afghanistan: population movements
  - Publisher: UNHCR
  - Date: 2019
  - Url: https://www.unhcr.org/reports/af.pdf
- [^iso]
  - Type: dataset
  - Title: Names of the peoples
  - Url: https://пример.рф/data
- [^general]
  - Type: journal
  - Title: The Uzbeks of Afghanistan
  - Author: A. Author
  - Work: Journal of Examples
  - Date: 2001-05
  - Doi: 10.1000/journal.1
"""

SMITH_EVERY_FIELD = Reference(
    key="smith",
    type="book",
    title="Peoples of the North",
    authors=("Jane Smith", "Ali Karimov", "Олег Петров"),
    work="Central Asian Studies",
    publisher="Example Press",
    date="1998-11-30",
    url="http://example.org/books/north?id=7&lang=en#ch2",
    isbn="978-0-00-000000-2",
    doi="10.1000/xyz123",
    accessed="2024-02-29",
    archive_url="https://web.archive.org/web/2020/http://example.org/books/north",
    archive_date="2020",
    language="ru",
    quote="The Uzbeks of the north: farmers, traders – and poets.",
    extras=(
        ("Translator", "Maria Ivanova"),
        ("Edition", "2nd"),
        ("Translator", "Pavel Sidorov"),
    ),
)


def test_every_rule_document_round_trips_byte_for_byte() -> None:
    doc = parse(EVERY_RULE)
    assert dump(doc) == EVERY_RULE
    assert parse(dump(doc)) == doc


def test_every_rule_document_infobox_holds_values_and_their_markers_apart() -> None:
    infobox = parse(EVERY_RULE).infobox
    assert infobox.population == Population(3_500_000, "2020 est.")
    assert infobox.places == ["Balkh", "Jowzjan", "Faryab"]
    assert infobox.languages == ["Uzbek", "Dari"]
    assert infobox.citations == {
        "Population": (Marker("cia"), Marker("unhcr", "p. 7")),
        "Popplace": (Marker(CITATION_NEEDED),),
    }
    assert infobox.extras == [
        ExtraRow("Native name", "Afgʻoniston oʻzbeklari", 0, (Marker("iso", "§ 3"),)),
        ExtraRow("Flag", "none", 3),
        ExtraRow("Related groups", "Turkmens", 6, (Marker("smith", "ch. 2"), Marker("?"))),
    ]


def test_every_rule_document_keeps_text_verbatim_and_reads_every_field() -> None:
    doc = parse(EVERY_RULE)
    assert doc.lead == (
        "Uzbeks are the fourth-largest group.[^cia] Some say the third.[^?]\n\n"
        "- Mazar-i-Sharif[^smith|pp. 50–52]\n- Sheberghan\n- Andkhoy[^unhcr][^smith]\n\n"
        "A paragraph without a source."
    )
    assert doc.sections == [
        Section(
            "History", 2,
            "Early text.[^smith|§ 3][^smith|ch. 2] Later text.[^iso|00:12:30]",
        ),
        Section("Recent", 3, ""),
    ]
    assert [r.key for r in doc.references] == ["cia", "smith", "unhcr", "iso", "general"]
    assert [r.type for r in doc.references] == ["web", "book", "report", "dataset", "journal"]
    assert doc.references[1] == SMITH_EVERY_FIELD
    assert doc.references[3] == Reference(
        key="iso", type="dataset", title="Names of the peoples", url="https://пример.рф/data"
    )


def test_every_rule_document_citations() -> None:
    doc = parse(EVERY_RULE)
    # Infobox rows as written (the Native name extra first), then the lead,
    # then the sections; "general" is cited by no marker.
    assert citation_order(doc) == ["iso", "cia", "unhcr", "smith"]
    assert unknown_citation_keys(doc) == []
    # Units: the lead's first paragraph, three list items and last
    # paragraph, and the History paragraph; four of them cite an entry.
    # [^?]: two in the infobox, one in the lead.
    assert verifiability(doc) == (4, 6, 3)


def test_reference_rows_are_in_canonical_order_with_extras_last() -> None:
    assert reference_rows(SMITH_EVERY_FIELD) == [
        ("Type", "book"),
        ("Title", "Peoples of the North"),
        ("Author", "Jane Smith"),
        ("Author", "Ali Karimov"),
        ("Author", "Олег Петров"),
        ("Work", "Central Asian Studies"),
        ("Publisher", "Example Press"),
        ("Date", "1998-11-30"),
        ("Url", "http://example.org/books/north?id=7&lang=en#ch2"),
        ("Isbn", "978-0-00-000000-2"),
        ("Doi", "10.1000/xyz123"),
        ("Accessed", "2024-02-29"),
        ("Archive-url", "https://web.archive.org/web/2020/http://example.org/books/north"),
        ("Archive-date", "2020"),
        ("Language", "ru"),
        ("Quote", "The Uzbeks of the north: farmers, traders – and poets."),
        ("Translator", "Maria Ivanova"),
        ("Edition", "2nd"),
        ("Translator", "Pavel Sidorov"),
    ]
    assert reference_rows(Reference("a", title="T")) == [("Title", "T")]


CANONICAL = {
    "general-reference-only": (
        "= T =\n\nText.\n\n==References==\n- [^a]\n  - Title: A book\n"
    ),
    "citation-needed-without-references": "= T =\n\nA claim.[^?]\n",
    "citation-needed-in-an-extra-row": "= T =\n\nInfobox\n- Flag: none [^?]\n",
    "references-after-sections-without-see-also": (
        "= T =\n\n==A==\nText.[^k]\n\n==References==\n- [^k]\n  - Title: K\n"
    ),
    "references-without-a-lead": (
        "= T =\n\nInfobox\n- Group: G [^k|p. 1]\n\n==References==\n- [^k]\n  - Title: K\n"
    ),
    "marker-at-the-start-of-a-line": (
        "= T =\n\n[^k] starts this line.\n\n==References==\n- [^k]\n  - Title: K\n"
    ),
    "markers-only-list-item": "= T =\n\n- [^?]\n- b\n",
    "key-of-digits-and-hyphens": (
        "= T =\n\nA.[^1998-a]\n\n==References==\n- [^1998-a]\n  - Title: K\n"
    ),
    "locator-at-its-longest": (
        f"= T =\n\nA.[^k|{'x' * 100}]\n\n==References==\n- [^k]\n  - Title: K\n"
    ),
    "key-at-its-longest": (
        f"= T =\n\nA.[^{'k' * 50}]\n\n==References==\n- [^{'k' * 50}]\n  - Title: K\n"
    ),
    "quote-and-url-at-their-longest": (
        "= T =\n\n==References==\n- [^k]\n  - Title: K\n"
        f"  - Url: https://example.org/{'a' * 1980}\n  - Quote: {'q' * 1000}\n"
    ),
    "infobox-value-at-its-longest-with-markers": (
        f"= T =\n\nInfobox\n- Group: {'g' * 255} [^k][^?]\n\n==References==\n- [^k]\n"
        "  - Title: K\n"
    ),
    "level-three-references-is-a-section": (
        "= T =\n\n===References===\nJust text.\n"
    ),
    "brackets-and-carets-that-are-not-markers": (
        "= T =\n\nA [note] and x^2 and ^[ and [ ^ ] stay text.\n"
    ),
}


@pytest.mark.parametrize("text", CANONICAL.values(), ids=CANONICAL.keys())
def test_canonical_document_with_citations_round_trips(text: str) -> None:
    doc = parse(text)
    assert dump(doc) == text
    assert parse(dump(doc)) == doc


def test_level_three_references_section_is_ordinary_text() -> None:
    doc = parse(CANONICAL["level-three-references-is-a-section"])
    assert doc.sections == [Section("References", 3, "Just text.")]
    assert doc.references == []


VARIANTS = {
    "infobox-markers-without-the-space": (
        "= T =\n\nInfobox\n- Group: G[^?]\n",
        "= T =\n\nInfobox\n- Group: G [^?]\n",
    ),
    "infobox-markers-with-spaces-between": (
        "= T =\n\nInfobox\n- Flag: none   [^?]  [^?]\n",
        "= T =\n\nInfobox\n- Flag: none [^?][^?]\n",
    ),
    "infobox-locator-with-spaces": (
        "= T =\n\nInfobox\n- Group: G [^k|  p. 4 ]\n\n==References==\n- [^k]\n  - Title: K\n",
        "= T =\n\nInfobox\n- Group: G [^k|p. 4]\n\n==References==\n- [^k]\n  - Title: K\n",
    ),
    "fields-out-of-order": (
        "= T =\n\n==References==\n- [^k]\n  - Date: 2001\n  - Edition: 2nd\n  - Title: K\n"
        "  - Author: B\n  - Type: book\n  - Author: A\n",
        "= T =\n\n==References==\n- [^k]\n  - Type: book\n  - Title: K\n  - Author: B\n"
        "  - Author: A\n  - Date: 2001\n  - Edition: 2nd\n",
    ),
    "field-names-in-any-case": (
        "= T =\n\n==References==\n- [^k]\n  - TITLE: K\n  - archive-URL: https://a.org/\n"
        "  - isbn: 1\n",
        "= T =\n\n==References==\n- [^k]\n  - Title: K\n  - Isbn: 1\n"
        "  - Archive-url: https://a.org/\n",
    ),
    "explicit-web-type-is-the-default": (
        "= T =\n\n==References==\n- [^k]\n  - Type: web\n  - Title: K\n",
        "= T =\n\n==References==\n- [^k]\n  - Title: K\n",
    ),
    "type-in-capitals": (
        "= T =\n\n==References==\n- [^k]\n  - Type: Book\n  - Title: K\n",
        "= T =\n\n==References==\n- [^k]\n  - Type: book\n  - Title: K\n",
    ),
    "heading-in-any-case-with-spaces": (
        "= T =\n\n== references ==\n- [^k]\n  - Title: K\n",
        "= T =\n\n==References==\n- [^k]\n  - Title: K\n",
    ),
    "blank-lines-and-tabs-inside": (
        "= T =\n\n==References==\n\n- [^a]\n\n\t- Title: A\n\n- [^b]\n    -   Title:   B\n",
        "= T =\n\n==References==\n- [^a]\n  - Title: A\n- [^b]\n  - Title: B\n",
    ),
    "empty-references-is-dropped": ("= T =\n\nLead.\n\n==References==\n", "= T =\n\nLead.\n"),
    "see-also-after-sections-before-references": (
        "= T =\n\n==See also==\n- A\n\n==H==\nText.\n\n==References==\n- [^k]\n  - Title: K\n",
        "= T =\n\n==H==\nText.\n\n==See also==\n- A\n\n==References==\n- [^k]\n  - Title: K\n",
    ),
}


@pytest.mark.parametrize(("variant", "canonical"), VARIANTS.values(), ids=VARIANTS.keys())
def test_variant_with_citations_is_written_canonically(variant: str, canonical: str) -> None:
    doc = parse(variant)
    assert dump(doc) == canonical
    assert parse(canonical) == doc


def test_infobox_locator_is_read_without_its_spaces_but_text_keeps_them() -> None:
    doc = parse(
        "= T =\n\nInfobox\n- Group: G [^k| p. 4 ]\n\nA.[^k| p. 5 ]\n\n"
        "==References==\n- [^k]\n  - Title: K\n"
    )
    assert doc.infobox.citations == {"Group": (Marker("k", "p. 4"),)}
    assert doc.lead == "A.[^k| p. 5 ]"
    assert markers_in(doc.lead) == [Marker("k", "p. 5")]


# --- the dataclasses ------------------------------------------------------------


def test_marker_text_and_needed() -> None:
    assert str(Marker("smith")) == "[^smith]"
    assert str(Marker("smith", "p. 42")) == "[^smith|p. 42]"
    assert str(Marker(CITATION_NEEDED)) == "[^?]"
    assert Marker("?").needed and not Marker("smith").needed


def test_extra_row_is_still_built_from_three_values() -> None:
    row = ExtraRow("Flag", "none", 2)
    assert (row.key, row.value, row.position, row.markers) == ("Flag", "none", 2, ())


def test_citations_alone_leave_an_infobox_empty() -> None:
    assert Infobox().is_empty()
    assert Infobox(citations={"Group": (Marker("?"),)}).is_empty()
    assert not Infobox(group="G", citations={"Group": (Marker("?"),)}).is_empty()
    assert not Infobox(extras=[ExtraRow("Flag", "none", 0)]).is_empty()


def test_dump_writes_citations_of_typed_rows_and_extras() -> None:
    doc = ArticleDoc(
        title="T",
        infobox=Infobox(
            group="G",
            languages=["Tajik", "Russian"],
            extras=[ExtraRow("Flag", "none", 1, (Marker("b", "§ 2"),))],
            citations={"Langs": (Marker("a"), Marker("?"))},
        ),
        references=[Reference("a", title="A"), Reference("b", type="news", title="B")],
    )
    assert dump(doc) == (
        "= T =\n\nInfobox\n- Group: G\n- Flag: none [^b|§ 2]\n- Langs: Tajik, Russian [^a][^?]\n\n"
        "==References==\n- [^a]\n  - Title: A\n- [^b]\n  - Type: news\n  - Title: B\n"
    )


def test_reference_fields_are_declared_in_canonical_order_with_their_csl_names() -> None:
    assert [(f.key, f.attr, f.kind, f.csl) for f in REFERENCE_FIELDS] == [
        ("Type", "type", "type", "type"),
        ("Title", "title", "text", "title"),
        ("Author", "authors", "authors", "author"),
        ("Work", "work", "text", "container-title"),
        ("Publisher", "publisher", "text", "publisher"),
        ("Date", "date", "date", "issued"),
        ("Url", "url", "url", "URL"),
        ("Isbn", "isbn", "text", "ISBN"),
        ("Doi", "doi", "text", "DOI"),
        ("Accessed", "accessed", "date", "accessed"),
        ("Archive-url", "archive_url", "url", ""),
        ("Archive-date", "archive_date", "date", ""),
        ("Language", "language", "text", "language"),
        ("Quote", "quote", "quote", "note"),
    ]
    assert [f.max_length for f in REFERENCE_FIELDS if f.kind in ("url", "quote")] == [
        2000, 2000, 1000,
    ]
    assert reference_field("title").max_length == 255
    assert reference_field(" ARCHIVE-URL ") is REFERENCE_FIELDS[10]
    assert reference_field("Translator") is None
    assert REFERENCES == "References"
    assert REFERENCE_TYPES == ("web", "news", "book", "journal", "report", "dataset")
    assert set(CSL_TYPES) == set(REFERENCE_TYPES)


# --- markers in text ----------------------------------------------------------------


def test_find_markers_gives_offsets_in_order() -> None:
    text = "A.[^a] B[^b|p. 4][^?]\n- c[^a]"
    assert find_markers(text) == [
        (Marker("a"), 2, 6),
        (Marker("b", "p. 4"), 8, 17),
        (Marker("?"), 17, 21),
        (Marker("a"), 25, 29),
    ]
    assert [text[start:end] for _, start, end in find_markers(text)] == [
        "[^a]", "[^b|p. 4]", "[^?]", "[^a]",
    ]
    assert find_markers("No markers [here] ^") == []


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[^Smith]", 1, "the citation key 'Smith' may only hold lowercase letters a-z, digits "
                        "and hyphens, like [^smith-1998]"),
        ("ok [^a]\nline two [^]", 2, "a citation marker needs a key, like [^smith]"),
        ("\n\n[^a b]", 3, "the citation key 'a b' may only hold lowercase letters a-z, digits "
                          "and hyphens, like [^smith-1998]"),
        ("[^a|]", 1, "the locator after '|' is empty; write a page or section, like "
                     "[^smith|p. 42]"),
        ("[^a\n]", 1, "the citation marker '[^a' has no closing ']'; a marker is [^key] or "
                      "[^key|locator] on one line (a key of at most 50 characters, a locator "
                      "of at most 100)"),
    ],
)
def test_find_markers_raises_with_the_line_within_the_text(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(WikitextError) as info:
        find_markers(text)
    assert (info.value.line, info.value.message) == (line, message)


def test_markers_in_lists_the_markers() -> None:
    assert markers_in("X[^a|§ 3] y[^?]") == [Marker("a", "§ 3"), Marker("?")]


def test_strip_markers_removes_only_the_markers() -> None:
    assert strip_markers(
        "Russians live mostly in Dushanbe.[^census2010] The first settlers came with the "
        "railway.[^smith|p. 42]"
    ) == "Russians live mostly in Dushanbe. The first settlers came with the railway."
    assert strip_markers("Text.[^smith|pp. 50–52][^rferl]\n\n- a[^?]\n- b") == (
        "Text.\n\n- a\n- b"
    )
    assert strip_markers("34,000 [^a]") == "34,000 "
    assert strip_markers("no markers") == "no markers"


def test_strip_markers_leaves_a_malformed_marker_as_it_is() -> None:
    assert strip_markers("A [^Bad] b[^ok] c [^") == "A [^Bad] b c [^"


# --- checks of values ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.stat.tj/en/census",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/A",
        "https://example.org:8080/a?b=c&d=e#f",
        "https://пример.рф/данные",
        "https://[2001:db8::1]/x",
        "http://localhost/",
        "https://example.org./",
        f"https://example.org/{'a' * 1980}",
    ],
)
def test_check_reference_url_accepts_web_addresses(url: str) -> None:
    assert check_reference_url(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("javascript:alert(1)", "a javascript: URL is not allowed (it runs code or embeds "
         "content instead of pointing at a source); give the source's http:// or https:// "
         "address"),
        (" JaVa\tScRiPt:alert(1)", "a javascript: URL is not allowed (it runs code or embeds "
         "content instead of pointing at a source); give the source's http:// or https:// "
         "address"),
        ("data:text/html,<b>x</b>", "a data: URL is not allowed (it runs code or embeds "
         "content instead of pointing at a source); give the source's http:// or https:// "
         "address"),
        ("VBScript:msgbox", "a vbscript: URL is not allowed (it runs code or embeds content "
         "instead of pointing at a source); give the source's http:// or https:// address"),
        ("ftp://example.org/a", "'ftp://example.org/a' is not a web address; a URL starts with "
         "http:// or https://"),
        ("www.example.org", "'www.example.org' is not a web address; a URL starts with "
         "http:// or https://"),
        ("https://", "'https://' has no host name after the '//'"),
        ("https:///path", "'https:///path' has no host name after the '//'"),
        ("https://exa mple.org", "a URL may not contain spaces; write a space as %20"),
        ("https://user:secret@example.org/", "a URL may not hold a user name or password "
         "(an '@' before the host)"),
        ("https://example.org:http/", "the port in 'https://example.org:http/' is not a "
         "number from 0 to 65535"),
        ('https://example.org/"onmouseover', "a URL may not contain '\"'"),
        ("https://example.org\\@evil.org", "a URL may not contain '\\\\'"),
        ("https://exa*mple.org/", "'exa*mple.org' is not a host name"),
        ("https://example.org/\u202egnp.exe", "a URL may not contain the invisible character "
         "U+202E"),
        ("https://exa\u200bmple.org/", "a URL may not contain the invisible character U+200B"),
        ("https://[::1/", "'https://[::1/' has no valid host name"),
        ("https://[example]/", "'https://[example]/' has no valid host name"),
        ("", "the URL is empty"),
        (f"https://example.org/{'a' * 1981}", "the URL is 2001 characters long; at most 2000 "
         "are allowed"),
    ],
)
def test_check_reference_url_names_the_problem(url: str, problem: str) -> None:
    assert check_reference_url(url) == problem


@pytest.mark.parametrize(
    "date", ["2019", "2019-06", "2019-06-12", "2024-02-29", "0001", "9999-12-31"]
)
def test_check_iso_date_accepts_iso_dates(date: str) -> None:
    assert check_iso_date(date) is None


@pytest.mark.parametrize(
    ("date", "problem"),
    [
        ("2019-13", "'2019-13' is not a real date: there is no month 13"),
        ("2019-00-10", "'2019-00-10' is not a real date: there is no month 0"),
        ("2019-02-29", "'2019-02-29' is not a real date: 2019-02 has no day 29"),
        ("2019-06-31", "'2019-06-31' is not a real date: 2019-06 has no day 31"),
        ("0000", "'0000' is not a real date: there is no year 0000"),
        ("12 June 2019", "'12 June 2019' is not a date; write it as 2019, 2019-06 or 2019-06-12 "
         "(ISO 8601)"),
        ("2019/06/12", "'2019/06/12' is not a date; write it as 2019, 2019-06 or 2019-06-12 "
         "(ISO 8601)"),
        ("2019-6-1", "'2019-6-1' is not a date; write it as 2019, 2019-06 or 2019-06-12 "
         "(ISO 8601)"),
        ("٢٠١٩", "'٢٠١٩' is not a date; write it as 2019, 2019-06 or 2019-06-12 (ISO 8601)"),
    ],
)
def test_check_iso_date_names_the_problem(date: str, problem: str) -> None:
    assert check_iso_date(date) == problem


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("smith", None),
        ("census-2010", None),
        ("k" * 50, None),
        ("", "a citation marker needs a key, like [^smith]"),
        ("?", "[^?] marks a claim that needs a citation; it is not a reference key"),
        ("Smith", "the citation key 'Smith' may only hold lowercase letters a-z, digits and "
                  "hyphens, like [^smith-1998]"),
        ("smith_1", "the citation key 'smith_1' may only hold lowercase letters a-z, digits "
                    "and hyphens, like [^smith-1998]"),
        ("смит", "the citation key 'смит' may only hold lowercase letters a-z, digits and "
                 "hyphens, like [^smith-1998]"),
        ("k" * 51, "the citation key 'kkkkkkkkkkkkkkkkkkkk'... is 51 characters long; at most "
                   "50 are allowed"),
    ],
)
def test_reference_key_problem(key: str, problem: str | None) -> None:
    assert reference_key_problem(key) == problem


# --- a document's citations -----------------------------------------------------------


def built_doc() -> ArticleDoc:
    """A document as the Django side builds it (not parsed): an unknown key,
    an unused entry, markers in each place."""
    return ArticleDoc(
        title="T",
        infobox=Infobox(
            group="G",
            population=Population(5),
            extras=[
                ExtraRow("First", "x", 0, (Marker("extra"),)),
                ExtraRow("Last", "y", 9, (Marker("?"), Marker("lead"))),
            ],
            citations={"Population": (Marker("pop"),), "Group": (Marker("group", "p. 1"),)},
        ),
        lead="One.[^lead][^missing]\n\n- item[^?]\n- item two",
        sections=[
            Section("A", 2, "Text.[^sec|§ 2] Again.[^lead]"),
            Section("B", 3, "Uncited.\n\nAlso missing.[^gone][^missing]"),
        ],
        references=[
            Reference(key, title=key)
            for key in ("sec", "unused", "lead", "pop", "group", "extra")
        ],
    )


def test_citation_order_is_first_use_infobox_then_lead_then_sections() -> None:
    # Infobox rows as written: First (extra at 0), Group, Population, Last.
    assert citation_order(built_doc()) == ["extra", "group", "pop", "lead", "sec"]


def test_unknown_citation_keys_in_order_of_first_use() -> None:
    assert unknown_citation_keys(built_doc()) == ["missing", "gone"]


def test_verifiability_counts_paragraphs_and_list_items() -> None:
    # Units: "One." (cited), two list items (not), "Text." (cited),
    # "Uncited." (not), "Also missing." (only unknown keys: not cited).
    # [^?]: one in the Last extra row, one in the lead.
    assert verifiability(built_doc()) == (2, 6, 2)


def test_citations_of_a_document_without_any() -> None:
    doc = ArticleDoc(title="T", lead="Plain.")
    assert (citation_order(doc), unknown_citation_keys(doc), verifiability(doc)) == (
        [], [], (0, 1, 0),
    )
    assert verifiability(ArticleDoc(title="T")) == (0, 0, 0)


def test_document_functions_skip_malformed_stored_markers() -> None:
    doc = ArticleDoc(
        title="T", lead="Bad [^Key] good[^a] [^", references=[Reference("a", title="A")]
    )
    assert citation_order(doc) == ["a"]
    assert unknown_citation_keys(doc) == []
    assert verifiability(doc) == (1, 1, 0)


# --- CSL-JSON -------------------------------------------------------------------------


def test_to_csl_of_a_reference_with_every_field() -> None:
    assert to_csl(SMITH_EVERY_FIELD) == {
        "id": "smith",
        "type": "book",
        "title": "Peoples of the North",
        "author": [
            {"literal": "Jane Smith"}, {"literal": "Ali Karimov"}, {"literal": "Олег Петров"},
        ],
        "container-title": "Central Asian Studies",
        "publisher": "Example Press",
        "issued": {"date-parts": [[1998, 11, 30]]},
        "URL": "http://example.org/books/north?id=7&lang=en#ch2",
        "ISBN": "978-0-00-000000-2",
        "DOI": "10.1000/xyz123",
        "accessed": {"date-parts": [[2024, 2, 29]]},
        "language": "ru",
        "note": "The Uzbeks of the north: farmers, traders – and poets.",
        "custom": {
            "archive-url": "https://web.archive.org/web/2020/http://example.org/books/north",
            "archive-date": "2020",
            "Translator": ["Maria Ivanova", "Pavel Sidorov"],
            "Edition": "2nd",
        },
    }


def test_to_csl_of_the_example_references() -> None:
    assert to_csl(CENSUS) == {
        "id": "census2010",
        "type": "webpage",
        "title": "Population census of the Republic of Tajikistan 2010",
        "publisher": "Agency on Statistics under the President of the Republic of Tajikistan",
        "issued": {"date-parts": [[2010]]},
        "URL": "https://www.stat.tj/en/census",
        "accessed": {"date-parts": [[2023, 5, 1]]},
    }
    assert to_csl(RFERL)["type"] == "article-newspaper"
    assert to_csl(RFERL)["issued"] == {"date-parts": [[2019, 6, 12]]}
    assert to_csl(RFERL)["custom"] == {
        "archive-url": RFERL.archive_url,
        "archive-date": "2020-01-01",
    }


@pytest.mark.parametrize(("kind", "csl"), CSL_TYPES.items())
def test_to_csl_maps_each_type(kind: str, csl: str) -> None:
    assert to_csl(Reference("k", type=kind, title="T")) == {"id": "k", "type": csl, "title": "T"}


def test_to_csl_keeps_a_date_that_is_not_iso_as_raw_text() -> None:
    item = to_csl(Reference("k", title="T", date="June 2019", accessed="2019-06"))
    assert item["issued"] == {"raw": "June 2019"}
    assert item["accessed"] == {"date-parts": [[2019, 6]]}
