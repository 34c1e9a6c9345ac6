"""The MediaWiki converter, one construct at a time."""

import pytest

from articles import wikitext
from articles.mediawiki import ConvertError, convert
from articles.mediawiki.cite import iso_date


def lead(markup: str) -> str:
    converted = convert(markup, title="Test")
    assert wikitext.parse(wikitext.dump(converted.doc)) == converted.doc
    return converted.doc.lead


def test_bold_italic_and_links_become_markdown_and_our_links():
    assert lead("'''Bold''' ''it'' [[dari]] [[Pashto language|Pashto]] [[Kabul#History|city]]") == (
        "**Bold** *it* [[Dari|dari]] [[Pashto language|Pashto]] [[Kabul|city]]"
    )


def test_external_links_http_only_and_bare_urls_kept():
    converted = convert("[https://a.org/x_(y) A] [ftp://b.org B] https://c.org/", title="T")
    assert converted.doc.lead == "[A](https://a.org/x%5F%28y%29) B https://c.org/"
    assert converted.dropped["external link"] == 1


def test_markdown_specials_in_text_are_escaped():
    text = lead("a * b [e] x|y=1 &lt;ref&gt;")
    assert text == "a \\* b \\[e] x&#124;y=1 &lt;ref>"


def test_lines_that_would_start_blocks_stay_text():
    assert lead("<nowiki>== not a heading ==</nowiki>\n\n<nowiki># not a list</nowiki>") == (
        "\\== not a heading ==\n\n\\# not a list"
    )


def test_lists_become_markdown_lists_apart_from_paragraphs():
    assert lead("Intro\n* one\n** two\n# three\nAfter") == (
        "Intro\n\n- one\n  - two\n1. three\n\nAfter"
    )


def test_refs_named_reused_before_definition_and_plain():
    converted = convert(
        'A.<ref name="Smith 1998" /> B.<ref name="Smith 1998">Smith, \'\'Steppe\'\', [[Hurst]]</ref>'
        " C.<ref>{{cite web|url=https://x.org|title=X|accessdate=June 5, 2020}}</ref>",
        title="T",
    )
    assert converted.doc.lead == "A.[^smith-1998] B.[^smith-1998] C.[^ref-1]"
    assert converted.doc.references == [
        wikitext.Reference(key="smith-1998", title="Smith, Steppe, Hurst"),
        wikitext.Reference(key="ref-1", title="X", url="https://x.org", accessed="2020-06-05"),
    ]


def test_cite_book_pages_become_the_locator_and_authors_are_numbered():
    converted = convert(
        "T.<ref>{{Cite book|last1=Roy|first1=Olivier|last2=Sfeir|first2=Antoine|"
        "title=Dictionary|year=2007|page=42|isbn=978-0-231-14640-1|location=New York}}</ref>",
        title="T",
    )
    assert converted.doc.lead == "T.[^ref-1|p. 42]"
    assert converted.doc.references == [wikitext.Reference(
        key="ref-1", type="book", title="Dictionary", authors=("Olivier Roy", "Antoine Sfeir"),
        date="2007", isbn="978-0-231-14640-1", extras=(("Location", "New York"),),
    )]


def test_citation_needed_variants_become_the_needed_marker():
    assert lead("A{{cn}} b {{Citation needed|date=May 2020}} c{{fact}}") == "A[^?] b[^?] c[^?]"


def test_table_attributes_are_dropped_and_pipes_escaped():
    assert lead('{| style="x" onclick="y"\n! A !! B\n|-\n| onclick="z" | 1 || a | b\n|}') == (
        "| A | B |\n| --- | --- |\n| 1 | b |"
    )


def test_complex_table_is_dropped_and_counted():
    converted = convert('{|\n| rowspan="2" | a\n| b\n|}', title="T")
    assert converted.doc.lead == ""
    assert converted.dropped["table"] == 1


def test_see_also_section_becomes_see_also_titles():
    converted = convert("== See also ==\n* [[Tajiks in Russia]]\n* [[tajiks in Russia]]\n", title="T")
    assert converted.doc.see_also == ["Tajiks in Russia"]
    assert converted.doc.sections == []


def test_sections_deeper_than_three_are_kept_at_three():
    converted = convert("==A==\nx\n====B====\ny", title="T")
    assert converted.doc.sections == [
        wikitext.Section("A", 2, "x"), wikitext.Section("B", 3, "y"),
    ]


def test_categories_interlanguage_and_leading_colon():
    converted = convert("[[Category:Russian diaspora|key]] [[ru:Русские]] [[:Category:X|X]]", title="T")
    assert converted.tags == ["Russian diaspora"]
    assert converted.interlanguage == [("ru", "Русские")]
    assert converted.doc.lead == "[[Category:X|X]]"


def test_unknown_templates_magic_words_and_math_are_dropped_and_counted():
    converted = convert("A {{Navbox Afghans|x=1}} __NOTOC__ <math>x^2</math>", title="T")
    assert converted.doc.lead == "A"
    assert converted.dropped == {"template Navbox Afghans": 1, "magic word NOTOC": 1, "math": 1}


def test_dates_become_iso():
    assert iso_date("12 June 2019") == "2019-06-12"
    assert iso_date("Sept. 3, 2001") == "2001-09-03"
    assert iso_date("March 2020") == "2020-03"
    assert iso_date("2019-02-30") is None
    assert iso_date("Spring 2016") is None


def test_infobox_total_with_year_source_and_ref():
    box = convert(
        "{{infobox ethnic groups|total=1500|total_year=2009|total_source=estimate"
        "|total_ref=<ref>Census</ref>|flag=x.svg}}",
        title="T",
    ).doc.infobox
    assert box.population == wikitext.Population(1500, "2009, estimate")
    assert box.citations == {"Population": (wikitext.Marker("ref-1"),)}


def test_title_is_normalised_and_an_unusable_title_is_an_error():
    assert convert("", title="Afghans_in__Russia").doc.title == "Afghans in Russia"
    with pytest.raises(ConvertError):
        convert("text", title="\u200b")


def test_one_source_cited_in_several_refs_is_one_entry_with_a_locator_per_use():
    text = (
        "A.<ref>{{cite book |last=Smith |first=John |title=The Railway |isbn=978-0-00-000000-2 "
        "|page=4}}</ref> B.<ref>{{cite book |last=Smyth |title=The Railway |isbn=9780000000002 "
        "|publisher=Example Press |pages=50–52}}</ref> C.<ref>{{cite web |title=Other "
        "|url=https://example.org/a}}</ref> D.<ref>{{cite web |title=Other again "
        "|url=https://EXAMPLE.org/a}}</ref>\n"
    )
    converted = convert(text, title="Russians in Tajikistan")

    assert converted.doc.lead == "A.[^ref-1|p. 4] B.[^ref-1|pp. 50–52] C.[^ref-2] D.[^ref-2]"
    assert wikitext.dump(converted.doc).split("==References==\n")[1] == (
        "- [^ref-1]\n  - Type: book\n  - Title: The Railway\n  - Author: John Smith\n"
        "  - Publisher: Example Press\n  - Isbn: 978-0-00-000000-2\n"
        "- [^ref-2]\n  - Title: Other\n  - Url: https://example.org/a\n"
    )
    # The second book's author and the second page's title differ: kept from the first.
    assert converted.dropped["details of a source cited twice"] == 2
    assert wikitext.parse(wikitext.dump(converted.doc)) == converted.doc
