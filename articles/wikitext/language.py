"""The article's content language: the ``Language:`` line.

A non-English article names its language on the line after the title, with
a blank line between, as BCP 47 writes it::

    = Русские в Афганистане =

    Language: ru

    Infobox
    - Group: ...

English articles (``en``, the default) have no such line, so every file
written before languages came keeps its bytes. The code is a language (two
or three letters), optionally a script (four letters) and a region (two
letters or three digits): ``ru``, ``fa-AF``, ``ps``, ``zh-Hant``,
``sr-Latn-RS``. Any letter case is read (``fa-af``) and written back in
BCP 47's (``fa-AF``).
"""

from __future__ import annotations

import re

DEFAULT_LANGUAGE = "en"
LANGUAGE_PREFIX = "Language:"
# BCP 47 as written: a language of 2-3 letters, a script of 4, a region of 2
# letters or 3 digits. Article.language is validated with it too.
LANGUAGE_RE = re.compile(r"\A[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?\Z")
_ANY_CASE_RE = re.compile(LANGUAGE_RE.pattern, re.IGNORECASE | re.ASCII)


def is_language_line(line: str) -> bool:
    return line.startswith(LANGUAGE_PREFIX)


def canonical_language(code: str) -> str | None:
    """``code`` in BCP 47's letter case (``fa-af`` -> ``fa-AF``), or None
    if it is not a language code of the accepted shape."""
    if not _ANY_CASE_RE.match(code):
        return None
    head, *rest = code.split("-")
    parts = [head.lower()]
    for part in rest:
        parts.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(parts)


def language_line(language: str) -> str | None:
    """The line the writer puts after the title; None for English, which
    has none."""
    return None if language == DEFAULT_LANGUAGE else f"{LANGUAGE_PREFIX} {language}"
