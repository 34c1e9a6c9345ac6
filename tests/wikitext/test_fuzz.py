"""Fuzzing the wiki-text parser with hypothesis.

Valid documents round-trip; anything else either parses (and then writes back
canonically and stably) or raises the parser's own ``WikitextError`` with a
line number inside the text (1 <= line <= lines + 1). No other exception
escapes, whatever the input: text, bytes, or valid documents mutated line by
line and character by character.

Example counts come from the module's own settings (not a global profile):
2,000 examples per test when the environment has ``CI=true`` (the CI run),
200 otherwise, and no deadline.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.wikitext import ArticleDoc, WikitextError, decode, dump, parse

from .strategies import article_docs

IN_CI = os.environ.get("CI") == "true"
EXAMPLES = 2000 if IN_CI else 200

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
    print_blob=True,
)


def line_count(text: str) -> int:
    """Lines as the parser counts them (after the BOM and newline variants)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


def parse_or_error(text: str) -> ArticleDoc | None:
    """The document, or None after checking the error names a line in range.
    Any exception other than WikitextError fails the test."""
    try:
        doc = parse(text)
    except WikitextError as error:
        assert isinstance(error.line, int)
        assert 1 <= error.line <= line_count(text) + 1, (error.line, line_count(text))
        assert error.message and isinstance(error.message, str)
        assert str(error).startswith(f"line {error.line}: ")
        return None
    assert isinstance(doc, ArticleDoc)
    assert doc.title
    # Whatever is accepted is written canonically, and that is stable.
    canonical = dump(doc)
    assert parse(canonical) == doc
    assert dump(parse(canonical)) == canonical
    return doc


# --- arbitrary input -------------------------------------------------------------


@FUZZ
@given(st.text())
@example("")
@example("\ufeff")
@example("= T =\n\x00")
@example("==\n")
def test_arbitrary_text_parses_or_raises_wikitext_error(text: str) -> None:
    parse_or_error(text)


@FUZZ
@given(st.binary())
@example(b"\xff")
@example(b"= T =\n\n\xc3")
@example(b"\xef\xbb\xbf= T =\r\n")
def test_arbitrary_bytes_decode_and_parse_or_raise_wikitext_error(data: bytes) -> None:
    try:
        text = decode(data)
    except WikitextError as error:
        assert 1 <= error.line <= data.count(b"\n") + 1
        assert "UTF-8" in error.message
        return
    assert text == data.decode("utf-8")
    parse_or_error(text)


# --- mutated valid documents -------------------------------------------------------

_SYNTAX = st.sampled_from(
    ["=", "==", "===", "-", "- ", ":", ": ", "Infobox", "See also", ",", " and ", "\t", " ",
     "\n", "\r", "\r\n", "\ufeff", "\x00", "\x7f", "9" * 30]
)


def mutate(draw, text: str) -> str:
    """``text`` with a few random edits: lines inserted, deleted, duplicated
    or swapped, syntax characters inserted anywhere, line starts stripped."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "char", "strip"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "insert":
            new = draw(st.one_of(
                _SYNTAX,
                st.sampled_from(["= T =", "==H==", "==See also==", "===S===", "- Group: G",
                                 "- Population: 12", "- Popplace: A and B", "- Langs: A, A",
                                 "- Rels: ", "- K: v", ""]),
                st.text(max_size=10),
            ))
            lines.insert(at, new)
        elif op == "delete" and lines:
            del lines[at]
        elif op == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif op == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "char" and lines:
            line = lines[at]
            pos = draw(st.integers(0, len(line)))
            lines[at] = line[:pos] + draw(_SYNTAX) + line[pos:]
        elif op == "strip" and lines:
            lines[at] = lines[at].lstrip("=- ")
    return "\n".join(lines)


# Generating documents is most of the cost, so each generated document is
# checked twice: it round-trips, and its mutations parse or raise.


@FUZZ
@given(article_docs, st.data())
def test_valid_document_round_trips_and_its_mutations_parse_or_raise(
    doc: ArticleDoc, data: st.DataObject
) -> None:
    text = dump(doc)
    assert parse(text) == doc
    assert dump(parse(text)) == text
    assert parse(decode(text.encode("utf-8"))) == doc
    # The harmless variants the parser accepts read as the same document.
    assert parse("\ufeff" + text.replace("\n", "\r\n")) == doc

    mutated = mutate(data.draw, text)
    parse_or_error(mutated)
    # The same through decode(), as files are read.
    raw = mutated.encode("utf-8")
    assert decode(raw) == mutated
    # And with a byte that is not UTF-8 put in: the error names its line.
    cut = data.draw(st.integers(0, len(raw)))
    broken = raw[:cut] + b"\xff" + raw[cut:]
    try:
        decode(broken)
    except WikitextError as error:
        assert error.line == broken.count(b"\n", 0, cut) + 1
    else:
        raise AssertionError("0xff decoded")
