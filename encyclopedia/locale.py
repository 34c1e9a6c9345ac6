"""The interface language: one per address, from its prefix.

English, the default, has no prefix (``/wiki/…``, as before languages
came); the others are under their code (``/ru/wiki/…``, ``/fa-af/…``,
``/ps/…``), the admin too (``/fa-af/admin/``). The language is never taken
from a cookie or ``Accept-Language``: an address is one page in one
language, so the page cache, Varnish and the stored pages need no ``Vary``.

Django's ``LocaleMiddleware`` with ``i18n_patterns(prefix_default_language=
False)`` already takes an unprefixed address as the default language, but
it still adds ``Vary: Accept-Language`` to those pages (and would redirect a
404 by the browser's language); ``PathLocaleMiddleware`` does only the
activation.

Django knows no Pashto (``ps``) and no Dari (``fa-af``): ``LANG_INFO`` is
given both here, right to left, so ``{% get_language_info %}`` and the
admin's ``LANGUAGE_BIDI`` work for them.
"""

from __future__ import annotations

import functools

from babel.core import Locale, UnknownLocaleError
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import translation

LANG_INFO.setdefault("ps", {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"})
LANG_INFO.setdefault("fa-af", {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"})

# BCP 47 as hreflang and lang="" write it (Django's codes are lower case).
_BCP47 = {"fa-af": "fa-AF"}


def bcp47(code: str) -> str:
    """``fa-af`` -> ``fa-AF``: a language code as HTML and hreflang want it."""
    code = code.strip()
    if code.casefold() in _BCP47:
        return _BCP47[code.casefold()]
    head, _, rest = code.partition("-")
    parts = [head.lower()]
    for part in rest.split("-") if rest else []:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part.lower())
    return "-".join(parts)


def interface_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def interface_code(tag: str) -> str | None:
    """The interface language a content language is (``fa-AF`` -> ``fa-af``),
    or None: German articles have no German interface."""
    wanted = bcp47(str(tag)).casefold()
    return next((code for code in interface_codes() if bcp47(code).casefold() == wanted), None)


def own_interface_path(path: str, tag: str) -> str:
    """An article's address in the interface of its own language, when there
    is one (the Russian article at /ru/wiki/…), else in the default one's
    (a German article at /wiki/…, from whichever page links it)."""
    return path_in(interface_code(tag) or settings.LANGUAGE_CODE, path)


def is_bidi(code: str) -> bool:
    """Whether a language (interface or content) is written right to left."""
    base = code.casefold().split("-")[0]
    return base in {c.split("-")[0] for c in settings.LANGUAGES_BIDI}


def split_language(path: str) -> tuple[str, str]:
    """``/ru/wiki/x/`` -> ``("ru", "/wiki/x/")``; ``/wiki/x/`` ->
    ``("en", "/wiki/x/")``: the interface language of an address and the
    same address in the default language."""
    head, sep, rest = path.lstrip("/").partition("/")
    if sep and head in _prefixed():
        return head, "/" + rest
    if not sep and head in _prefixed():
        return head, "/"
    return settings.LANGUAGE_CODE, path


@functools.cache
def _prefixed() -> frozenset[str]:
    return frozenset(code for code in interface_codes() if code != settings.LANGUAGE_CODE)


def resolve_default(path: str) -> ResolverMatch:
    """``resolve`` of the address's default-language form, whatever language
    this thread has active: what page an address is does not depend on the
    language it is shown in. Raises ``Resolver404`` as ``resolve`` does."""
    _, plain = split_language(path)
    with translation.override(settings.LANGUAGE_CODE):
        return resolve(plain)


def path_in(language: str, path: str) -> str:
    """The address ``path`` (in any language) in ``language``."""
    _, plain = split_language(path)
    if language == settings.LANGUAGE_CODE:
        return plain
    return f"/{language}{plain}"


def interface_locale() -> Locale:
    """The Babel locale of the active interface language (``fa-af`` ->
    ``fa_AF``); the default language's for one Babel does not know."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return Locale.parse(translation.to_locale(code))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(translation.to_locale(settings.LANGUAGE_CODE))


class PathLocaleMiddleware:
    """Activates the address's language for the request (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language, _ = split_language(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request (and the fast path, which
            # runs before this) in the default language.
            translation.activate(settings.LANGUAGE_CODE)
        response.headers.setdefault("Content-Language", bcp47(language))
        return response


__all__ = ["Resolver404", "bcp47", "interface_code", "interface_codes", "interface_locale", "is_bidi",
           "own_interface_path", "path_in",
           "resolve_default", "split_language", "PathLocaleMiddleware"]
