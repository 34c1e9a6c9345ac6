"""Unclosed markup is defused before mwparserfromhell reads a page: too
many unclosed openers are removed (the tokenizer's time grows with their
number times the page's length); a few stray ones, and closed markup, are
left as they are. Speed itself is measured in bench/mediawiki_bench.py."""

from collections import Counter

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.mediawiki import convert
from articles.mediawiki.guard import BUDGET, defuse

UNCLOSED = {
    "template": "{{a|",
    "parameter": "{{{a|",
    "link": "[[a|",
    "external link": "[http://example.org/a ",
    "table": "{|\n|a\n",
    "ref": "<ref>a",
    "named ref": '<ref name="x">a',
    "span": "<span>a",
    "nowiki": "<nowiki>a",
    "mixed": "{{a|[[b|<ref>c",
}


@pytest.mark.parametrize("kind", UNCLOSED)
def test_thousands_of_unclosed_openers_are_removed_and_counted(kind):
    unit = UNCLOSED[kind]
    text = "Intro. " + unit * 5000 + " The end."
    dropped: Counter[str] = Counter()

    defused = defuse(text, dropped)

    openers = 3 if kind == "mixed" else 1
    assert dropped == Counter({"unclosed markup": 5000 * openers})
    # What is left has nothing for the tokenizer to try and give up on.
    assert defused.startswith("Intro. ") and defused.endswith(" The end.")
    for opener in ("{{", "[[", "{|", "<ref", "<span", "<nowiki", "[http"):
        assert opener not in defused
    code = mwparserfromhell.parse(defused)
    assert not code.filter_templates() and not code.filter_wikilinks() and not code.filter_tags()


def test_the_converted_page_keeps_the_text_and_says_what_was_removed():
    converted = convert("'''Kabul''' is a city." + "{{a|" * 3000 + "\n\n== History ==\nOld.", title="X")

    assert converted.doc.lead.startswith("**Kabul** is a city.")
    assert converted.doc.sections[0].heading == "History"
    assert converted.dropped["unclosed markup"] == 3000


def test_an_unclosed_comment_hides_the_rest_of_the_page_as_on_mediawiki():
    dropped: Counter[str] = Counter()
    assert defuse("Shown. <!-- done --> Shown too. <!--a" * 1 + " hidden" * 4000, dropped) == (
        "Shown. <!-- done --> Shown too. "
    )
    assert dropped == Counter({"unclosed comment": 1})


def test_a_few_stray_openers_are_left_to_the_parser():
    text = "A {{broken template. A [[broken link. " + "Words. " * 1000
    assert 2 * len(text) <= BUDGET
    dropped: Counter[str] = Counter()
    assert defuse(text, dropped) == text and not dropped


def test_closed_markup_deeply_nested_or_in_literal_tags_is_not_touched():
    nested = "{{a|" * 3000 + "x" + "}}" * 3000
    literal = "<nowiki>" + "{{a|" * 3000 + "</nowiki>" + "<!--" + "[[a|" * 3000 + "-->"
    tags = "<ref>" + "<span>a</span>" * 3000 + "</ref>" + "<br>" * 3000 + '<ref name="x" />' * 3000
    for text in (nested, literal, tags):
        dropped: Counter[str] = Counter()
        assert defuse(text, dropped) == text and not dropped


# Closed constructs, randomly nested: the guard never changes them.
_closed = st.recursive(
    st.text(alphabet="ab .,", max_size=5),
    lambda inner: st.one_of(
        st.builds(lambda x: "{{t|" + x + "}}", inner),
        st.builds(lambda x: "{{{p|" + x + "}}}", inner),
        st.builds(lambda x: "[[L|" + x + "]]", inner),
        st.builds(lambda x: "[http://e.org " + x + "]", inner),
        st.builds(lambda x: "<ref>" + x + "</ref>", inner),
        st.builds(lambda x: "<span>" + x + "</span>", inner),
        st.builds(lambda x: "{|\n|" + x + "\n|}", inner),
        st.builds(lambda x: "<!--" + x + "-->", inner),
        st.builds(lambda a, b: a + b, inner, inner),
    ),
    max_leaves=60,
)


@settings(max_examples=300, deadline=None)
@given(_closed)
def test_well_formed_markup_is_never_changed(text):
    dropped: Counter[str] = Counter()
    assert defuse(text * 50, dropped) == text * 50 and not dropped
