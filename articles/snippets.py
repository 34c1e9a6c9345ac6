"""Search result snippets on SQLite (PostgreSQL uses ts_headline): about
SNIPPET_WORDS words of an article's search document around the first match,
escaped, with the query's words marked. Pure Python, no Django."""

from __future__ import annotations

import html
import re

SNIPPET_WORDS = 30
SNIPPET_WORDS_BEFORE = 10
# The characters around the first match that the snippet's words are taken
# from (SNIPPET_WORDS words of up to 40 characters fit).
SNIPPET_WINDOW_BEFORE = 500
SNIPPET_WINDOW_AFTER = 1500


def _stem_prefix(word: str) -> str | None:
    """The first letters of a word (of letters and digits only), as the
    stemmed search finds other forms of it by: "famil" for "families"."""
    word = word.casefold()
    prefix = word[: max(4, len(word) - 3)]
    return prefix if word.isalnum() and len(prefix) < len(word) else None


def snippet(document: str, words: list[str]) -> str:
    """About SNIPPET_WORDS words of ``document`` around the first match,
    escaped, with each occurrence of a query word in <mark>. The search is
    by stems: without an occurrence of a word as typed, a word starting
    like it ("family" for "families") is the match.

    The match is found by a string search over the whole document, in C;
    the words are then read one by one in a window around it only (reading
    every word of each document in Python cost seconds of CPU for a page of
    20 long articles)."""
    words = [word for word in words if word]
    first = _first_match(document, words)
    window_start = max(0, first - SNIPPET_WINDOW_BEFORE)
    window_end = first + SNIPPET_WINDOW_AFTER
    tokens = document[window_start:window_end].split()
    # A word the window's edge cut through is not shown.
    if tokens and window_start > 0 and not document[window_start - 1].isspace():
        tokens.pop(0)
    if tokens and window_end < len(document) and not document[window_end].isspace():
        tokens.pop()
    if not tokens:
        return ""
    text_before = bool(document[:window_start].strip())
    text_after = bool(document[window_end:].strip())
    folded = [word.casefold() for word in words]
    prefixes = sorted({p for p in map(_stem_prefix, words) if p}, key=len, reverse=True)
    first_token = next(
        (i for i, token in enumerate(tokens) if any(w in token.casefold() for w in folded)),
        None,
    )
    if first_token is None:
        first_token = next(
            (
                i
                for i, token in enumerate(tokens)
                if any(token.casefold().lstrip("([\"'").startswith(p) for p in prefixes)
            ),
            0,
        )
    start = max(0, first_token - SNIPPET_WORDS_BEFORE)
    end = min(len(tokens), start + SNIPPET_WORDS)
    start = max(0, end - SNIPPET_WORDS)
    text = " ".join(tokens[start:end])
    alternatives = [re.escape(w) for w in sorted(set(words), key=len, reverse=True)]
    if prefixes:
        alternatives.append(r"(?<!\w)(?:" + "|".join(map(re.escape, prefixes)) + r")\w*")
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text) if words else ():
        if match.end() == match.start():
            continue
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    cut_before = start > 0 or text_before
    cut_after = end < len(tokens) or text_after
    return ("… " if cut_before else "") + "".join(parts) + (" …" if cut_after else "")


def _first_match(document: str, words: list[str]) -> int:
    """Where in ``document`` the first word holding a query word (ignoring
    case) is, else the first word starting like one (its stem prefix), else
    0. Each search runs in C over the text, stopping at the best found so far."""
    folded = document.casefold()
    if len(folded) != len(document):  # "ß" -> "ss": offsets would not match
        folded = document.lower()
        if len(folded) != len(document):
            return 0
    best = len(folded)
    for word in {w.casefold() for w in words}:
        found = folded.find(word, 0, best + len(word))
        if found != -1:
            best = min(best, found)
    if best < len(folded):
        return best
    for prefix in {p for p in map(_stem_prefix, words) if p}:
        found = folded.find(prefix, 0, best + len(prefix))
        while found != -1:
            # At the start of a word, after any opening brackets or quotes.
            token_start = found
            while token_start and folded[token_start - 1] in "([\"'":
                token_start -= 1
            if not token_start or folded[token_start - 1].isspace():
                best = min(best, token_start)
                break
            found = folded.find(prefix, found + 1, best + len(prefix))
    return best if best < len(folded) else 0
