"""Property tests of sources and citations.

Generated documents that cite (strategies.article_docs) survive
``parse(dump(doc))``; their text mutated with citation syntax either parses,
and is then written back canonically and stably, or raises WikitextError
with a line inside the text. Example counts follow test_fuzz.py: 2,000 with
``CI=true``, 200 otherwise, no deadline.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.wikitext import (
    ArticleDoc,
    WikitextError,
    citation_order,
    dump,
    find_markers,
    markers_in,
    parse,
    strip_markers,
    unknown_citation_keys,
    verifiability,
)

from .strategies import article_docs, block_texts_citing, citation_keys

EXAMPLES = 2000 if os.environ.get("CI") == "true" else 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
    print_blob=True,
)


@FUZZ
@given(article_docs)
def test_generated_document_with_citations_survives_dump_and_parse(doc: ArticleDoc) -> None:
    text = dump(doc)
    assert parse(text) == doc
    assert dump(parse(text)) == text
    # References is the last section, and every key used has an entry.
    if doc.references:
        assert "\n==References==\n- [^" in text
        assert text.rindex("\n==") == text.index("\n==References==\n")
    assert unknown_citation_keys(doc) == []
    keys = [reference.key for reference in doc.references]
    order = citation_order(doc)
    assert len(order) == len(set(order)) and set(order) <= set(keys)
    cited, paragraphs, _ = verifiability(doc)
    assert 0 <= cited <= paragraphs


@FUZZ
@given(st.lists(citation_keys, min_size=1, max_size=3, unique=True).flatmap(block_texts_citing))
def test_markers_found_are_the_text_between_the_offsets(text: str) -> None:
    found = find_markers(text)
    assert [text[start:end] for _, start, end in found] == [
        # Locators are generated without surrounding spaces, so each
        # marker writes back as it was written.
        str(marker) for marker in markers_in(text)
    ]
    stripped = strip_markers(text)
    assert "[^" not in stripped
    assert len(stripped) == len(text) - sum(end - start for _, start, end in found)


def line_count(text: str) -> int:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


def parse_or_error(text: str) -> None:
    try:
        doc = parse(text)
    except WikitextError as error:
        assert 1 <= error.line <= line_count(text) + 1, (error.line, line_count(text))
        assert error.message
        return
    canonical = dump(doc)
    assert parse(canonical) == doc
    assert dump(parse(canonical)) == canonical


_CITATION_SYNTAX = st.sampled_from(
    ["[^", "[^a]", "[^?]", "[^a|p. 1]", "[^A]", "[^a|]", "]", "|", "^", "[", " [^a]", "[^a]x",
     "\n", " ", "-", "- ", "  ", ":", ": "]
)
_CITATION_LINES = st.sampled_from(
    ["==References==", "== references ==", "===References===", "- [^a]", "- [^b]", "- [^?]",
     "- [^a|p. 3]", "- [^a] x", "  - Title: T", "  - title: T", "\t- Author: A",
     "  - Type: book", "  - Type: web", "  - Type: zine", "  - Url: https://example.org/",
     "  - Url: javascript:alert(1)", "  - Date: 2019-02-30", "  - Date: 2019-06",
     "  - Archive-date: 2020", "  - Quote: q", "  - Other: x", "  - Title:", "  - [^a]",
     "- Population: 12 [^a]", "- Group: G[^?]", "- K: v [^a][^b|x]", "Text.[^a]",
     "==See also==", "==H==", ""]
)


@FUZZ
@given(article_docs, st.data())
def test_mutated_citing_document_parses_or_raises(doc: ArticleDoc, data: st.DataObject) -> None:
    lines = dump(doc).split("\n")
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, max(len(lines) - 1, 0)))
        op = data.draw(st.sampled_from(["line", "char", "delete", "swap"]))
        if op == "line":
            lines.insert(at, data.draw(_CITATION_LINES))
        elif op == "char" and lines:
            pos = data.draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:pos] + data.draw(_CITATION_SYNTAX) + lines[at][pos:]
        elif op == "delete" and lines:
            del lines[at]
        elif op == "swap" and len(lines) > 1:
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
    parse_or_error("\n".join(lines))


@FUZZ
@given(st.lists(_CITATION_LINES, max_size=20), st.sampled_from(["\n", "\r\n"]))
@example(["Text.[^a]", "==References==", "- [^a]", "  - Type: web", "  - title: T"], "\n")
def test_citation_heavy_text_parses_or_raises(lines: list[str], newline: str) -> None:
    parse_or_error(newline.join(["= T =", "", *lines]))
