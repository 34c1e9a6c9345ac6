"""Unclosed markup, defused before mwparserfromhell reads a page.

mwparserfromhell's tokenizer tries every opener (``{{``, ``{{{``, ``[[``,
``[http://…``, ``{|``, ``<tag>``) to the end of the text before it gives up
on one that is never closed, so its time grows with the number of unclosed
openers times the length of the page: 4,000 unclosed ``{{{a|`` (20 KB) cost
6 s, and an upload or a dump may hold worse. MediaWiki itself renders such
openers as text. Here one linear scan pairs openers with closers as the
tokenizer would, roughly (a stack per kind; text inside comments, nowiki
and pre is skipped), and when the unclosed ones would cost more than a
budget, they are removed, counted as "unclosed markup". Pages with a few
stray openers, the usual case, are left as they are.
"""

from __future__ import annotations

import re
from collections import Counter

# Unclosed openers × characters: about 0.2 s of tokenizing at the worst
# kind measured (``{{{``); a 200 KB page may keep 10 unclosed openers.
BUDGET = 2_000_000

# Each token starts with one of few characters, so the scan skips plain
# text fast; a tag or an external link is then read where its token starts.
_TOKEN = re.compile(r"<!--|<|(?<!\{)\{\||\|\}(?!\})|\{{2,}|\}{2,}|\[\[|\[|\]+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,30})(?=[\s/>])[^<>]{0,1000}?(/?)>")
_EXTERNAL = re.compile(r"\[(?:(?:[a-zA-Z][a-zA-Z0-9+.-]{0,15}:)?//|mailto:)")
# Their content is text to the tokenizer: skipped to the closing tag.
_LITERAL = frozenset({"nowiki", "pre", "math", "syntaxhighlight", "source", "score", "chem"})
_VOID = frozenset({"br", "hr", "wbr", "img", "references"})


def defuse(text: str, dropped: Counter[str] | None = None) -> str:
    """``text`` without its unclosed openers when they are too many for the
    tokenizer to try in reasonable time; ``dropped`` counts them. An
    unclosed comment hides the rest of the page, as MediaWiki renders it."""
    comment = _unclosed_comment(text)
    if comment >= 0:
        text = text[:comment]
        if dropped is not None:
            dropped["unclosed comment"] += 1
    unclosed = _unclosed(text)
    if not unclosed or len(unclosed) * len(text) <= BUDGET:
        return text
    parts, last, openers = [], 0, 0
    for start, end in sorted(unclosed):
        openers += start != last or not parts  # adjacent braces are one opener
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    if dropped is not None:
        dropped["unclosed markup"] += openers
    return "".join(parts)


def _unclosed(text: str) -> list[tuple[int, int]]:
    """(start, end) of every opener the scan found no closer for. Braces
    pair one by one, whatever the runs ("{{{{a}}}}", "{{{p}}}" and
    "{{a|{{b}}}}" all balance); "]]" closes a link, "]" an external link."""
    stacks: dict[str, list[tuple[int, int]]] = {}
    position = 0
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            break
        token = match.group()
        start, end = match.span()
        position = end
        first = token[0]
        if token == "<!--":
            close = text.find("-->", end)
            position = len(text) if close < 0 else close + 3
        elif first == "<":
            tag = _TAG.match(text, start)
            if tag is None:
                continue
            position = end = tag.end()
            closing, name, self_closing = tag.group(1), tag.group(2).casefold(), tag.group(3)
            if self_closing or name in _VOID:
                continue
            if closing:
                _pop(stacks, "<" + name, 1)
            elif name in _LITERAL and (close := _find_close(text, name, end)) >= 0:
                position = close
            else:
                stacks.setdefault("<" + name, []).append((start, end))
        elif token == "{|":
            stacks.setdefault("table", []).append((start, end))
        elif token == "|}":
            _pop(stacks, "table", 1)
        elif first == "{":
            stacks.setdefault("braces", []).extend((i, i + 1) for i in range(start, end))
        elif first == "}":
            _pop(stacks, "braces", end - start)
        elif token == "[[":
            stacks.setdefault("link", []).append((start, end))
        elif token == "[":
            if _EXTERNAL.match(text, start):
                stacks.setdefault("external", []).append((start, end))
        else:  # a run of "]"
            closers = end - start
            links = stacks.get("link", [])
            while closers >= 2 and links:
                links.pop()
                closers -= 2
            _pop(stacks, "external", closers)
    return [span for stack in stacks.values() for span in stack]


def _pop(stacks: dict[str, list[tuple[int, int]]], kind: str, count: int) -> None:
    stack = stacks.get(kind)
    if stack and count > 0:
        del stack[max(0, len(stack) - count):]


def _unclosed_comment(text: str) -> int:
    """Where a ``<!--`` without its ``-->`` starts, or -1 (comments are
    paired first: nothing inside one opens anything)."""
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            return -1
        end = text.find("-->", start + 4)
        if end < 0:
            return start
        position = end + 3


def _find_close(text: str, name: str, start: int) -> int:
    """Where ``</name`` starts after ``start`` (any case), or -1."""
    match = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE).search(text, start)
    return match.start() if match else -1
