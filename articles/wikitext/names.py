"""Titles and names: one written form for what looks like one name.

Titles (and See also titles) name articles, and names name places,
languages, religions and people; two that look alike must be one. The rule,
for every one of them:

- Unicode NFC: a precomposed "é" and "e" + U+0301 are the same name.
- Invisible characters that carry no meaning in a name are removed: zero
  width space U+200B, word joiner U+2060, the invisible operators
  U+2061-U+2064, byte-order mark / ZWNBSP U+FEFF, soft hyphen U+00AD,
  Mongolian vowel separator U+180E. The zero-width non-joiner U+200C and
  joiner U+200D are kept: they are part of correct Persian, Dari, Indic and
  emoji spelling ("تاجیک‌ها").
- Refused: a name with no visible character (letter, number, punctuation or
  symbol), and bidirectional embeddings, overrides and isolates
  (U+202A-U+202E, U+2066-U+2069), which make a title display as other text.
  The marks U+200E/U+200F are allowed.

Pure Python: the parser, the models' validation and the import all call
these functions.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = "\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_BIDI_CONTROL_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def normalize_name(value: str) -> str:
    """The one stored form of a title or name: NFC, without invisible
    characters, without surrounding whitespace."""
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", value)).strip()


def name_key(value: str) -> str:
    """What makes two names of a place, language or religion the same:
    ``Dari`` and ``dari`` are one language (case-insensitive, as the
    parser's lists are)."""
    return unicodedata.normalize("NFC", normalize_name(value).casefold())


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a title or name, or None."""
    match = _BIDI_CONTROL_RE.search(value)
    if match:
        return (
            f"bidirectional control character U+{ord(match.group()):04X} is not allowed "
            "(it makes the text display differently from what it is)"
        )
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in normalize_name(value)):
        return "has no visible character"
    return None
