"""Citation markers as readers see them: Wikipedia's numbered superscripts.

An article's references are numbered in order of first use (the infobox's
rows, then the lead, then the sections: ``wikitext.citation_order``); a
reference used again keeps its number. Each use is a superscript linking to
the reference's entry in the References list (``#cite-note-<key>``), and has
an id of its own (``cite-ref-<key>-<n>``, the key's n-th use, from 0) that
the entry links back to ("^ a b c"). A locator shows after the number, as
Wikipedia's ``{{rp}}`` shows it: ``[2]: p. 42``. ``[^?]`` is
"[citation needed]", linking nowhere.

The uses are counted in the article's reading order, across calls: a page
or a refresh makes one :class:`CitationRenderer` per article and calls
:meth:`~CitationRenderer.infobox` for every infobox row with markers in
order, then :meth:`~CitationRenderer.render` for the lead, then for each
section's body (``services.refresh.render_text`` does exactly that). The
n-th use of a key is then the n-th ``Citation`` row with that key, which is
what the References list's back-links count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from babel.core import Locale
from babel.dates import format_skeleton
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext

from encyclopedia.locale import interface_locale

from . import markdown
from .infobox import INFOBOX_EXTRA_PLACE, INFOBOX_PLACE
from .wikitext.references import (
    Marker,
    check_iso_date,
    check_reference_url,
    markers_in,
    to_csl,
)

CITATION_NEEDED_HTML = '<sup class="citation-needed">[<em>citation needed</em>]</sup>'
# Wikipedia's {{rp}}: a colon and a hair space before the page.
LOCATOR_SEPARATOR = ":\u200a"


def note_id(key: str) -> str:
    """The id of a reference's entry in the References list."""
    return f"cite-note-{key}"


def use_id(key: str, index: int) -> str:
    """The id of the ``index``-th use (from 0) of the reference ``key``."""
    return f"cite-ref-{key}-{index}"


def backlink_label(index: int) -> str:
    """The back-link of the ``index``-th use (from 0), as Wikipedia letters
    them: a ... z, then aa, ab ..."""
    label = ""
    index += 1
    while index:
        index, letter = divmod(index - 1, 26)
        label = chr(ord("a") + letter) + label
    return label


class CitationRenderer:
    """Numbers an article's references in order of first use and renders
    its markers; one per article render (see the module's docstring)."""

    def __init__(self, order: list[str], urls: Mapping[str, str] | None = None):
        """``order``: the reference keys in order of first use, each once
        (``wikitext.citation_order(doc)``); the first is [1]. ``urls``: the
        URLs of the articles that [[links]] name, for :meth:`render`."""
        self.numbers: dict[str, int] = {key: n for n, key in enumerate(order, 1)}
        self.urls: Mapping[str, str] = urls or {}
        self._uses: dict[str, int] = {}

    def number(self, key: str) -> int | None:
        """The number of the reference ``key``; None for one no marker uses."""
        return self.numbers.get(key)

    def uses(self, key: str) -> int:
        """How many uses of ``key`` this renderer has rendered so far."""
        return self._uses.get(key, 0)

    def infobox(self, markers: Iterable[Marker]) -> SafeString:
        """The HTML of an infobox row's markers, in order."""
        return mark_safe("".join(self.marker(marker)[0] for marker in markers))

    def render(self, text: str, urls: Mapping[str, str] | None = None) -> str:
        """The Markdown ``text`` of a lead or section body as safe HTML
        (``markdown.render``, with ``urls``, else the renderer's, for its
        [[links]]), its markers as superscripts. Markers in code stay as
        written but still count as uses, as the text's Citation rows do."""
        return markdown.render(text, self.urls if urls is None else urls, markers=self.marker)

    def marker(self, marker: Marker) -> tuple[str, str]:
        """One use: its HTML in text, and inside a link's text (the same
        without the link, which cannot nest). A key no reference has (the
        parser refuses one) shows as written."""
        if marker.needed:
            return CITATION_NEEDED_HTML, CITATION_NEEDED_HTML
        number = self.numbers.get(marker.key)
        if number is None:
            shown = escape(str(marker))
            return shown, shown
        index = self._uses.get(marker.key, 0)
        self._uses[marker.key] = index + 1
        locator = (
            f'<span class="reference-locator">{LOCATOR_SEPARATOR}{escape(marker.locator)}</span>'
            if marker.locator else ""
        )
        opening = f'<sup class="reference" id="{escape(use_id(marker.key, index))}">'
        link = f'<a href="#{escape(note_id(marker.key))}">[{number}]</a>'
        return (
            f"{opening}{link}{locator}</sup>",
            f"{opening}[{number}]{locator}</sup>",
        )



# --- the entries of the References list ----------------------------------------

# What a link to another site carries: no ranking credit for what editors
# link, no window.opener, no Referer.
EXTERNAL_REL = "nofollow noopener noreferrer"
# Titles shown in quotes, as Wikipedia's cite web/news/journal show them;
# the others (a book, a data set) in italics.
QUOTED_TYPES = ("web", "news", "journal", "report")
_DOI_RESOLVER = "https://doi.org/"
# What may stay as it is in a DOI's path on doi.org (RFC 3986 path
# characters); the rest, "#", "?", "%" and quotes among it, is escaped.
_DOI_SAFE = "/:;()[]._-~!$'*+,=@"


# English, as the rest of the page (calendar.month_name follows the locale).
def format_date(value: str) -> str:
    """An ISO 8601 date as a reader of the interface's language reads it:
    "12 June 2019", "June 2019", "2019" in English, "12 июня 2019 г." and
    "июнь 2019 г." in Russian (Babel's skeletons, which choose the month's
    form); anything else as it is stored."""
    if not value or check_iso_date(value) is not None:
        return value
    year, *rest = (int(part) for part in value.split("-"))
    if not rest:
        return str(year)
    locale = interface_locale()
    if locale.language == "en":
        locale = _DAY_FIRST_ENGLISH  # as the site has always printed them
    day = rest[1] if len(rest) > 1 else 1
    return format_skeleton("yMMMMd" if len(rest) > 1 else "yMMMM",
                           datetime.date(year, rest[0], day), locale=locale)


_DAY_FIRST_ENGLISH = Locale.parse("en_GB")


def web_href(url: str) -> str:
    """``url`` if it is an http(s) address that a reference may link to
    (``wikitext.check_reference_url``), else "": no other URL ever becomes
    a link."""
    return url if url and check_reference_url(url) is None else ""


def doi_href(doi: str) -> str:
    """The DOI's address on doi.org, or "" for what is no DOI (10.x/...)."""
    doi = doi.strip()
    if not doi.startswith("10.") or "/" not in doi:
        return ""
    return _DOI_RESOLVER + quote(doi, safe=_DOI_SAFE)


def language_name(code: str) -> str:
    """The name of a language code in the interface's language ("ru" is
    Russian, "fa-AF" Dari: encyclopedia.locale names it), or the value as
    written when Django does not know it."""
    for candidate in (code, code.split("-")[0]):
        try:
            return str(get_language_info(candidate.lower())["name_translated"])
        except KeyError:
            continue
    return code


@dataclass(frozen=True)
class CitedSource:
    """A source as a citation shows it: each part as it is printed, ""
    where it is not set; the hrefs only ever http(s) addresses (or this
    site's own source page)."""

    type: str
    title: str
    href: str  # the Url, when it may be a link
    authors: tuple[str, ...]
    work: str
    publisher: str
    date: str  # "12 June 2019"
    isbn: str
    doi: str
    doi_href: str
    archive_href: str
    archive_date: str
    language: str  # "Russian"
    page: str  # /sources/<slug>/

    @property
    def quoted(self) -> bool:
        return self.type in QUOTED_TYPES


def cited_source(source: Any) -> CitedSource:
    """What a citation of ``source`` (a Source row) shows."""
    return CitedSource(
        type=source.type,
        title=source.title,
        href=web_href(source.url),
        authors=tuple(a for a in (source.authors or ()) if isinstance(a, str) and a.strip()),
        work=source.work,
        publisher=source.publisher,
        date=format_date(source.date),
        isbn=source.isbn,
        doi=source.doi,
        doi_href=doi_href(source.doi),
        archive_href=web_href(source.archive_url),
        archive_date=format_date(source.archive_date),
        language=language_name(source.language) if source.language else "",
        page=source.get_absolute_url() if source.slug else "",
    )


def _external(href: str, text: Any) -> SafeString:
    return format_html('<a class="external" href="{}" rel="{}">{}</a>', href, EXTERNAL_REL, text)


def citation_html(cite: CitedSource, *, accessed: str = "", quote: str = "") -> SafeString:
    """The citation as Wikipedia's cite templates print it, as safe HTML
    (every value escaped):

        Smith, John (1998). "Title" (in Russian). *Work*. Publisher.
        ISBN 978-... doi:10.... Archived from the original on 1 January
        2020. Retrieved 1 May 2023. "Quote"

    The title links to the Url, the ISBN to the source's page here, the DOI
    to doi.org, "Archived" to the archived copy. ``accessed`` (ISO 8601)
    and ``quote`` are the citing article's own."""
    parts: list[SafeString] = []
    if cite.authors:
        authors = format_html_join("; ", "{}", ((a,) for a in cite.authors))
        parts.append(format_html("{} ({})", authors, cite.date) if cite.date else authors)
    title: Any = cite.title
    if cite.href:
        title = _external(cite.href, title)
    elif cite.page:
        title = format_html('<a href="{}">{}</a>', cite.page, title)
    title = format_html('"{}"', title) if cite.quoted else format_html("<i>{}</i>", title)
    if cite.language:
        title = format_html(gettext("{title} (in {language})"), title=title, language=cite.language)
    parts.append(title)
    if cite.work:
        parts.append(format_html("<i>{}</i>", cite.work))
    if cite.publisher:
        parts.append(format_html("{}", cite.publisher))
    if cite.date and not cite.authors:
        parts.append(format_html("{}", cite.date))
    if cite.isbn:
        isbn = format_html('<a href="{}">{}</a>', cite.page, cite.isbn) if cite.page else cite.isbn
        parts.append(format_html('<abbr title="{}">ISBN</abbr>\u00a0{}',
                                 gettext("International Standard Book Number"), isbn))
    if cite.doi:
        doi = _external(cite.doi_href, cite.doi) if cite.doi_href else cite.doi
        parts.append(format_html('<abbr title="{}">doi</abbr>:{}', gettext("Digital object identifier"), doi))
    if cite.archive_href:
        archived = _external(cite.archive_href, gettext("Archived"))
        parts.append(
            format_html(gettext("{archived} from the original on {date}"), archived=archived,
                        date=cite.archive_date)
            if cite.archive_date else format_html(gettext("{archived} from the original"), archived=archived)
        )
    if accessed:
        parts.append(format_html(gettext("Retrieved {date}"), date=format_date(accessed)))
    text = mark_safe(" ".join(_sentence(part) for part in parts))
    if quote:
        text = format_html('{} <q class="citation-quote">{}</q>', text, quote)
    return format_html('<cite class="citation citation-{}">{}</cite>', cite.type, text)


def _sentence(part: SafeString) -> str:
    """A part of a citation ended by a full stop, unless it ends with one
    (a title "Why?" is not followed by another)."""
    text = str(part)
    return text if text.endswith((".", "?", "!")) else f"{text}."



# --- for machines --------------------------------------------------------------


def csl_item(row: Any, *, source_url: str = "") -> dict[str, Any]:
    """The entry as a CSL-JSON item (``wikitext.to_csl``: ``id`` is its
    key), with ``source_url``, the source's page here, under ``custom``."""
    item = to_csl(row.entry())
    if source_url:
        item["custom"] = {**item.get("custom", {}), "source_url": source_url}
    return item


__all__ = [
    "CITATION_NEEDED_HTML", "CitationRenderer", "CitedSource", "EXTERNAL_REL", "backlink_label",
    "citation_html", "cited_source", "csl_item", "doi_href", "format_date", "language_name",
    "note_id", "use_id", "web_href",
]


# --- where a citation stands (Citation.place) -------------------------------

LEAD_PLACE = "lead"
SECTION_PLACE = "section:"


def lenient_markers(text: str) -> list[Marker]:
    """The markers of stored text, skipping a malformed ``[^`` (which the
    parser and the admin refuse, but older text may hold)."""
    return markers_in(text, strict=False)


def text_citations(
    lead: str, sections: Iterable[tuple[int, str]]
) -> list[tuple[str, Marker]]:
    """(place, marker) of every marker of the lead, then of each
    (position, body) of ``sections``: "lead", "section:<position>"."""
    found = [(LEAD_PLACE, marker) for marker in lenient_markers(lead)]
    for position, body in sections:
        found += [(f"{SECTION_PLACE}{position}", marker) for marker in lenient_markers(body)]
    return found


def is_infobox_place(place: str) -> bool:
    return place.startswith((INFOBOX_PLACE, INFOBOX_EXTRA_PLACE))
