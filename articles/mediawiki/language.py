"""A wiki's content language as an article's language.

A Special:Export dump names the wiki's language on its root,
``<mediawiki ... xml:lang="ru">``, with MediaWiki's own language code:
most are BCP 47 already (``ru``, ``fa``, ``ps``, ``pt-br``), a few are not
(``simple``, the Simple English wikipedia; ``zh-min-nan``, ``be-tarask``:
subtags of more than four letters; ``roa-tara``, Tarantino, whose second
part reads as a script that does not exist). An article's language is a code of the shape the wiki-text's
``Language:`` line accepts (``articles.wikitext.canonical_language``), so
those are mapped to the nearest code of that shape, and the caller is told
the mapping was not exact, to report it.

There is no Dari wikipedia: Dari articles come from the Persian one
(``fa``), which the importer is told to import as ``fa-AF``.

Pure Python, no Django.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from articles.wikitext import DEFAULT_LANGUAGE, canonical_language

# MediaWiki codes that name a language other than what their first part
# reads as: Simple English is English, not a language "simple".
_KNOWN = {"simple": "en"}


def content_language(wiki_code: str | None) -> tuple[str, bool]:
    """The article language (BCP 47) for a wiki's language code, and
    whether it is the wiki's code itself (letter case aside) rather than
    the nearest one: ``("ru", True)``, ``("pt-BR", True)`` for ``pt-br``,
    ``("en", False)`` for ``simple``, ``("zh", False)`` for
    ``zh-min-nan``. No code at all (a dump without ``xml:lang``) is the
    default language, exactly."""
    code = (wiki_code or "").strip()
    if not code:
        return DEFAULT_LANGUAGE, True
    exact = canonical_language(code)
    if exact is not None and all(
        len(part) != 4 or part in _scripts() for part in exact.split("-")[1:]
    ):
        return exact, True
    known = _KNOWN.get(code.casefold())
    if known is not None:
        return known, False
    # The language before its variant or family subtags ("be" of
    # "be-tarask"), when that part is a language; else the default.
    return canonical_language(code.split("-", 1)[0]) or DEFAULT_LANGUAGE, False


@cache
def _scripts() -> frozenset[str]:
    """ISO 15924's script codes (CLDR's, through Babel): "Latn", "Cyrl"."""
    return frozenset(Locale("en").scripts)
