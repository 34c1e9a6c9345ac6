"""The interface language of a page: its ``lang`` and ``dir``, the
switcher to the same page in the other interface languages, and the
``hreflang`` alternates search engines read (``encyclopedia.locale``).

    {% load interface %}
    <html lang="{% interface_lang %}" dir="{% interface_dir %}">
    {% interface_languages as languages %}
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation

from encyclopedia.locale import bcp47, is_bidi, path_in

register = template.Library()


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str  # Django's: fa-af
    tag: str  # BCP 47, for lang and hreflang: fa-AF
    name: str  # in itself: دری
    dir: str  # rtl or ltr
    url: str  # this page in that language, absolute where the page has an origin
    current: bool


@register.simple_tag
def interface_lang() -> str:
    return bcp47(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def interface_dir() -> str:
    return "rtl" if translation.get_language_bidi() else "ltr"


@register.filter
def lang_tag(code: str) -> str:
    """A language code as ``lang``/``hreflang`` write it: ``fa-af`` -> ``fa-AF``."""
    return bcp47(str(code or settings.LANGUAGE_CODE))


@register.filter
def lang_dir(code: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``."""
    return "rtl" if is_bidi(str(code or settings.LANGUAGE_CODE)) else "ltr"


@register.simple_tag(takes_context=True)
def interface_languages(context) -> list[InterfaceLanguage]:
    """This page in each interface language. The page's address is the
    request's (with its query string: a search stays the same search), or,
    on a page rendered without a request (an article's stored page),
    ``page_path`` from the context; absolute on the request's host or the
    context's ``origin``."""
    request = context.get("request")
    if request is not None:
        path, origin = request.get_full_path(), request.build_absolute_uri("/")[:-1]
    else:
        path, origin = context.get("page_path", "/"), context.get("origin", "")
    current = translation.get_language()
    return [
        InterfaceLanguage(code, bcp47(code), name, "rtl" if is_bidi(code) else "ltr",
                          origin + path_in(code, path), code == current)
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def default_language_url(context) -> str:
    """The page in the default language: ``hreflang="x-default"``."""
    for language in interface_languages(context):
        if language.code == settings.LANGUAGE_CODE:
            return language.url
    return ""
