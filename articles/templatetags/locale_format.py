"""Numbers, dates and infobox labels in the interface language, with
Babel's locale data (CLDR): Django's own formats know no Pashto and give
Dari Iran's month names, Babel's ``fa_AF`` and ``ps`` have Afghanistan's.

    {% load locale_format %}
    {{ count|local_number }}            1,500 · 1 500 (ru) · 1.500 (ps)
    {{ value.text|local_population }}   the count of "1,500 (2009 est.)"
    {{ updated|local_datetime }}        3 December 2026, 16:41 · 3 декабря 2026 г., 16:41
    {{ line.label|infobox_label }}      Population · Численность
    {{ value.text|infobox_value:line.label }}  a population's count, other values as written

English output is what the pages printed before languages came, byte for
byte: the stored page (articles.rendered) is English and its tests read it.
Digits stay Latin (Babel's ``latn`` numbering) in every language, so that a
figure reads the same inside right-to-left text as in the article's source.
"""

from __future__ import annotations

import datetime
import re

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy

from articles.wikitext import infobox as fields
from encyclopedia.locale import interface_locale

register = template.Library()

# The infobox's typed fields by their declared (English) label: the pure
# wiki-text package cannot mark its labels for translation, so they are
# marked here, one per declared field (tests/test_translations.py checks
# that none is missing). A row of an unknown key keeps the key as written.
_LABELS = {
    fields.GROUP.label: pgettext_lazy("infobox label", "Group"),
    fields.POPULATION.label: pgettext_lazy("infobox label", "Population"),
    fields.POPPLACE.label: pgettext_lazy("infobox label", "Regions with significant populations"),
    fields.LANGS.label: pgettext_lazy("infobox label", "Languages"),
    fields.RELS.label: pgettext_lazy("infobox label", "Religions"),
    fields.RELATED.label: pgettext_lazy("infobox label", "Related ethnic groups"),
}

# English keeps the day-first date the site has always printed (Django's
# "j F Y"); Babel's "long" for English is the American "December 3, 2026".
_DATE_PATTERNS = {"en": "d MMMM y"}

# A population as wikitext.Population writes it: the count grouped with
# commas, alone or before its note in brackets ("1,500 (2009 est.)"). A
# population with a note only is the note ("2009 census: none"), which this
# does not match: a count of four digits or more always has a comma.
_LEADING_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})*(?= \(|$)")


@register.filter
def local_number(value) -> str:
    """An integer (or a figure written ``1,500``) with the interface
    language's grouping; anything else unchanged."""
    number = _as_int(value)
    if number is None:
        return value
    return format_decimal(number, locale=interface_locale())


@register.filter
def local_population(text) -> str:
    """A population as the infobox shows it, ``1,500 (2009 est.)``, with
    its count in the interface language's grouping; the note is the
    editor's text and is kept (a year in it is not a count)."""
    text = str(text)
    match = _LEADING_COUNT.match(text)
    if match is None:
        return text
    count = int(match.group().replace(",", ""))
    return format_decimal(count, locale=interface_locale()) + text[match.end():]


@register.filter
def local_date(value) -> str:
    """A date (or the date of a datetime, in the current time zone) as the
    interface language writes it in full."""
    if not isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = interface_locale()
    return format_date(value, _DATE_PATTERNS.get(locale.language, "long"), locale=locale)


@register.filter
def local_datetime(value) -> str:
    """A datetime as its date in full and the time in hours and minutes,
    joined as the language joins them (a translated pattern)."""
    if not isinstance(value, datetime.datetime):
        return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = interface_locale()
    return gettext("%(date)s, %(time)s") % {
        "date": local_date(value),
        "time": format_time(value, "HH:mm", locale=locale),
    }


@register.filter
def infobox_value(text, label) -> str:
    """A value of the infobox's line ``label``: the population's count in
    the interface language's grouping, any other value as written."""
    return local_population(text) if str(label) == fields.POPULATION.label else text


@register.filter
def infobox_label(label) -> str:
    """A typed infobox field's label in the interface language; the key of
    an editor's own row as written."""
    translated = _LABELS.get(str(label))
    return str(translated) if translated is not None else label


@register.filter
def typed_label(label) -> bool:
    """Whether ``label`` is a typed field's, so the interface's words (an
    editor's own key is in the article's language)."""
    return str(label) in _LABELS


@register.filter
def as_int(value) -> int:
    """A count a view formatted (``"10,000"``) as a number again, for
    ``{% blocktranslate count %}``, which chooses the plural form by it; 0
    for anything else."""
    number = _as_int(value)
    return 0 if number is None else number


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", value):
        return int(value.replace(",", ""))
    return None
