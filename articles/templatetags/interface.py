"""The interface language of a page: its ``lang`` and ``dir``, the
switcher to the same page in the other interface languages, and the
``hreflang`` alternates search engines read (``encyclopedia.locale``).

    {% load interface %}
    <html lang="{% interface_lang %}" dir="{% interface_dir %}">
    {% interface_languages as languages %}
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.search import MAX_QUERY_LENGTH
from encyclopedia.locale import bcp47, interface_code, is_bidi, path_in

register = template.Library()


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str  # Django's: fa-af
    tag: str  # BCP 47, for lang and hreflang: fa-AF
    name: str  # in itself: دری
    dir: str  # rtl or ltr
    url: str  # this page in that language, absolute where the page has an origin
    current: bool
    # What hreflang names for that language: this page in it, or the
    # article's translation into it, where it has one (the Russian article
    # rather than the English one in the Russian interface).
    alternate: str


@register.simple_tag
def interface_lang() -> str:
    return bcp47(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def interface_dir() -> str:
    return "rtl" if translation.get_language_bidi() else "ltr"


@register.simple_tag
def interface_marks(language: str) -> SafeString | str:
    """`` lang=".." dir=".."`` of the interface, for the site's own words
    (a heading, a label) inside an article in ``language``; nothing where
    the two are one language, as the article's lang/dir already say it."""
    interface = interface_lang()
    if bcp47(str(language or settings.LANGUAGE_CODE)) == interface:
        return ""
    return format_html(' lang="{}" dir="{}"', interface, interface_dir())


@register.filter
def lang_tag(code: str) -> str:
    """A language code as ``lang``/``hreflang`` write it: ``fa-af`` -> ``fa-AF``."""
    return bcp47(str(code or settings.LANGUAGE_CODE))


@register.filter
def lang_dir(code: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``."""
    return "rtl" if is_bidi(str(code or settings.LANGUAGE_CODE)) else "ltr"


# The longest value of a query parameter any page reads (the search's
# query): a hostile query string is not copied into every link of the page.
MAX_PARAMETER_LENGTH = MAX_QUERY_LENGTH
MAX_PARAMETERS = 4


@register.simple_tag(takes_context=True)
def interface_languages(context) -> list[InterfaceLanguage]:
    """This page in each interface language. The page's address is the
    request's, with its query string (a search stays the same search; at
    most MAX_PARAMETERS parameters, each cut to MAX_PARAMETER_LENGTH), or,
    on a page rendered without a request (an article's stored page),
    ``page_path`` from the context; absolute on the request's host or the
    context's ``origin``. ``translations`` in the context (interface code
    -> the translation's address, from ``articles.rendered``) gives the
    hreflang alternates."""
    request = context.get("request")
    if request is not None:
        path, origin = request.path + _query(request), request.build_absolute_uri("/")[:-1]
    else:
        path, origin = context.get("page_path", "/"), context.get("origin", "")
    current = translation.get_language()
    translations = context.get("translations") or {}
    languages = []
    for code, name in settings.LANGUAGES:
        url = origin + path_in(code, path)
        alternate = origin + translations[code] if code in translations else url
        languages.append(InterfaceLanguage(
            code, bcp47(code), name, "rtl" if is_bidi(code) else "ltr", url, code == current,
            alternate,
        ))
    return languages


def _query(request) -> str:
    pairs = [(key, value[:MAX_PARAMETER_LENGTH])
             for key, value in request.GET.items()][:MAX_PARAMETERS]
    return "?" + urlencode(pairs) if pairs else ""


@register.filter
def is_interface_language(tag: str) -> bool:
    """Whether a content language is also an interface language (its
    hreflang alternate is then among the interface's)."""
    return interface_code(str(tag)) is not None


@register.simple_tag(takes_context=True)
def default_language_url(context) -> str:
    """The page in the default language: ``hreflang="x-default"``."""
    for language in interface_languages(context):
        if language.code == settings.LANGUAGE_CODE:
            return language.url
    return ""
