"""Sources and citations: markers in the text, entries under References.

A marker is ``[^key]`` or ``[^key|locator]`` (``[^smith|p. 42]``), written
straight after the text it supports: in the lead, in section bodies (there
the text keeps it verbatim) and after an infobox value (the parser splits
it off the value). ``[^?]`` marks a claim that needs a citation. Each key
names an entry of the last section, ``==References==``::

    - [^smith]
      - Type: book
      - Title: The Railway and the Steppe
      - Author: John Smith

``[^`` always starts a marker: a malformed one is an error, never text.
Keys are article-local. :data:`REFERENCE_FIELDS` declares the entry's
fields once, in their canonical order; the parser, the writer and
:func:`to_csl` read it.

Pure Python, no Django. The functions taking an ``ArticleDoc`` read stored
text as well as parsed text, so they skip a malformed ``[^`` (which the
parser and the admin refuse) instead of raising; :func:`find_markers` and
:func:`markers_in` raise.
"""

from __future__ import annotations

import calendar
import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .blocks import BulletList, split_blocks
from .errors import WikitextError

if TYPE_CHECKING:  # document.py imports this module
    from .document import ArticleDoc

CITATION_NEEDED = "?"
REFERENCES = "References"  # the section heading
REFERENCE_TYPES = ("web", "news", "book", "journal", "report", "dataset")
DEFAULT_TYPE = "web"

MARKER_START = "[^"
MAX_KEY_LENGTH = 50
MAX_LOCATOR_LENGTH = 100
MAX_URL_LENGTH = 2000
MAX_QUOTE_LENGTH = 1000
# "[^" is followed by its closing "]" within this many characters, or the
# marker is malformed: the scanner never looks further, so a line of
# 100,000 "[^" costs no more than one of ordinary text.
_MARKER_REACH = MAX_KEY_LENGTH + 1 + MAX_LOCATOR_LENGTH + 1
_KEY_RE = re.compile(r"[a-z0-9-]+")
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Schemes that run code or embed content rather than point at a source:
# refused by name, so that the editor learns why.
_DANGEROUS_SCHEMES = ("javascript", "data", "vbscript")
_URL_FORBIDDEN = '<>"\\'


@dataclass(frozen=True)
class Marker:
    """One citation in the text: ``[^smith|p. 42]``."""

    key: str  # "census2010", or CITATION_NEEDED
    locator: str = ""  # "p. 42", "pp. 50–52", "§ 3"

    def __str__(self) -> str:
        return f"[^{self.key}|{self.locator}]" if self.locator else f"[^{self.key}]"

    @property
    def needed(self) -> bool:
        """True for ``[^?]``, a claim that still needs a source."""
        return self.key == CITATION_NEEDED


@dataclass(frozen=True)
class Reference:
    """One entry under References. ``type`` is one of REFERENCE_TYPES;
    dates are ISO 8601 (``2019``, ``2019-06``, ``2019-06-12``); ``extras``
    are the rows with other field names, as written, in order."""

    key: str
    type: str = DEFAULT_TYPE
    title: str = ""
    authors: tuple[str, ...] = ()
    work: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    isbn: str = ""
    doi: str = ""
    accessed: str = ""
    archive_url: str = ""
    archive_date: str = ""
    language: str = ""
    quote: str = ""
    extras: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReferenceField:
    """A known field of an entry: its name in the wiki-text, the
    :class:`Reference` attribute holding it, how its value is read
    (``kind``: "type", "text", "authors", "date", "url" or "quote") and its
    CSL-JSON variable ("" for the two archive fields, which CSL lacks:
    :func:`to_csl` puts them under ``custom``)."""

    key: str  # "Archive-url"
    attr: str  # "archive_url"
    kind: str
    csl: str

    @property
    def max_length(self) -> int:
        """The longest value of one row."""
        if self.kind == "url":
            return MAX_URL_LENGTH
        if self.kind == "quote":
            return MAX_QUOTE_LENGTH
        from .document import MAX_LINE_LENGTH  # document.py imports this module

        return MAX_LINE_LENGTH

    @property
    def repeatable(self) -> bool:
        """Authors take one row each; every other field one row at most."""
        return self.kind == "authors"

    def problem(self, value: str) -> str | None:
        """What is wrong with one row's value (``value`` as written), or None."""
        if self.kind == "type" and value.casefold() not in REFERENCE_TYPES:
            return f"unknown reference type {value!r}; use one of {', '.join(REFERENCE_TYPES)}"
        if self.kind == "date":
            return check_iso_date(value)
        if self.kind == "url":
            return check_reference_url(value)
        return None


# In the canonical order of the wiki-text.
REFERENCE_FIELDS: tuple[ReferenceField, ...] = (
    ReferenceField("Type", "type", "type", "type"),
    ReferenceField("Title", "title", "text", "title"),
    ReferenceField("Author", "authors", "authors", "author"),
    ReferenceField("Work", "work", "text", "container-title"),
    ReferenceField("Publisher", "publisher", "text", "publisher"),
    ReferenceField("Date", "date", "date", "issued"),
    ReferenceField("Url", "url", "url", "URL"),
    ReferenceField("Isbn", "isbn", "text", "ISBN"),
    ReferenceField("Doi", "doi", "text", "DOI"),
    ReferenceField("Accessed", "accessed", "date", "accessed"),
    ReferenceField("Archive-url", "archive_url", "url", ""),
    ReferenceField("Archive-date", "archive_date", "date", ""),
    ReferenceField("Language", "language", "text", "language"),
    # CSL 1.0.2 has no variable for a quotation; "note" is its free text.
    ReferenceField("Quote", "quote", "quote", "note"),
)
_FIELD_BY_NAME = {f.key.casefold(): f for f in REFERENCE_FIELDS}

CSL_TYPES = {
    "web": "webpage",
    "news": "article-newspaper",
    "book": "book",
    "journal": "article-journal",
    "report": "report",
    "dataset": "dataset",
}


def reference_field(name: str) -> ReferenceField | None:
    """The known field a row's name stands for, in any case (``ISBN``)."""
    return _FIELD_BY_NAME.get(name.strip().casefold())


def reference_rows(reference: Reference) -> list[tuple[str, str]]:
    """The entry's rows as the wiki-text writes them, (field, value) in
    canonical order: one per author, the default type not at all, then the
    other fields as written."""
    rows: list[tuple[str, str]] = []
    for f in REFERENCE_FIELDS:
        value = getattr(reference, f.attr)
        if f.kind == "authors":
            rows.extend((f.key, author) for author in value)
        elif value and not (f.kind == "type" and value == DEFAULT_TYPE):
            rows.append((f.key, value))
    rows.extend(reference.extras)
    return rows


# --- markers -----------------------------------------------------------------


def reference_key_problem(key: str) -> str | None:
    """Why ``key`` cannot name an entry, or None."""
    if not key:
        return "a citation marker needs a key, like [^smith]"
    if key == CITATION_NEEDED:
        return "[^?] marks a claim that needs a citation; it is not a reference key"
    if len(key) > MAX_KEY_LENGTH:
        return (
            f"the citation key {key[:20]!r}... is {len(key)} characters long; "
            f"at most {MAX_KEY_LENGTH} are allowed"
        )
    if not _KEY_RE.fullmatch(key):
        return (
            f"the citation key {key!r} may only hold lowercase letters a-z, digits and "
            "hyphens, like [^smith-1998]"
        )
    return None


def _marker_at(text: str, start: int) -> tuple[Marker, int] | str:
    """The marker whose ``[^`` is at ``start`` and the offset after it, or
    the problem with it."""
    inner_start = start + len(MARKER_START)
    window = text[inner_start : inner_start + _MARKER_REACH]
    close = window.find("]")
    newline = window.find("\n")
    if close < 0 or 0 <= newline < close:
        shown = window.split("\n", 1)[0][:30]
        return (
            f"the citation marker '[^{shown}' has no closing ']'; a marker is [^key] or "
            f"[^key|locator] on one line (a key of at most {MAX_KEY_LENGTH} characters, "
            f"a locator of at most {MAX_LOCATOR_LENGTH})"
        )
    key, bar, locator = window[:close].partition("|")
    if key == CITATION_NEEDED:
        if bar:
            return "[^?] (citation needed) takes no locator"
    else:
        problem = reference_key_problem(key)
        if problem:
            return problem
    if bar:
        problem = _locator_problem(locator)
        if problem:
            return problem
    return Marker(key, locator.strip()), inner_start + close + 1


def _locator_problem(locator: str) -> str | None:
    if not locator.strip():
        return "the locator after '|' is empty; write a page or section, like [^smith|p. 42]"
    if "|" in locator:
        return "a citation marker has at most one '|': [^key|locator]"
    if MARKER_START in locator:
        return "a locator may not hold '[^'"
    if len(locator) > MAX_LOCATOR_LENGTH:
        return (
            f"the locator is {len(locator)} characters long; at most {MAX_LOCATOR_LENGTH} "
            "are allowed"
        )
    return None


def _scan(text: str, strict: bool) -> list[tuple[Marker, int, int]]:
    found: list[tuple[Marker, int, int]] = []
    position = text.find(MARKER_START)
    while position >= 0:
        result = _marker_at(text, position)
        if isinstance(result, str):
            if strict:
                raise WikitextError(result, text.count("\n", 0, position) + 1)
            position = text.find(MARKER_START, position + len(MARKER_START))
            continue
        marker, end = result
        found.append((marker, position, end))
        position = text.find(MARKER_START, end)
    return found


def find_markers(text: str, *, strict: bool = True) -> list[tuple[Marker, int, int]]:
    """Every marker in ``text`` with its start and end offsets, in order.

    Raises WikitextError for a malformed one, with its line within
    ``text`` (1-based); with ``strict=False`` skips it instead (for stored
    text, which a page must show whatever it holds). Linear in the length
    of the text."""
    return _scan(text, strict=strict)


def markers_in(text: str, *, strict: bool = True) -> list[Marker]:
    """The markers of ``text`` in order; raises like :func:`find_markers`."""
    return [marker for marker, _, _ in find_markers(text, strict=strict)]


def strip_markers(text: str) -> str:
    """``text`` without its markers, for search documents, snippets and
    plain text. Only the markers go (``Dushanbe.[^a] The`` becomes
    ``Dushanbe. The``); a malformed ``[^`` is left as it is."""
    parts: list[str] = []
    last = 0
    for _, start, end in _scan(text, strict=False):
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return "".join(parts)


def split_value_markers(value: str) -> tuple[str, tuple[Marker, ...]]:
    """An infobox value as written (``34,000 (2010 census) [^a][^b|p. 3]``)
    split into the value and its markers. The markers end the value, after
    a space or none, with or without spaces between them. Raises
    WikitextError (line 1) for a malformed marker, a marker inside the value
    or markers without a value."""
    found = find_markers(value)
    if not found:
        return value, ()
    for (_, _, end), (_, start, _) in zip(found, found[1:]):
        if value[end:start].strip():
            raise WikitextError(_MARKERS_AT_END, 1)
    if value[found[-1][2] :].strip():
        raise WikitextError(_MARKERS_AT_END, 1)
    head = value[: found[0][1]].rstrip()
    if not head:
        raise WikitextError("the infobox value is empty; write the value before its markers", 1)
    return head, tuple(marker for marker, _, _ in found)


_MARKERS_AT_END = (
    "in the infobox, citation markers go at the end of the value, like "
    "'- Population: 34,000 [^census]'"
)


# --- values --------------------------------------------------------------------


def check_iso_date(value: str) -> str | None:
    """The problem with an ISO 8601 date (``2019``, ``2019-06``,
    ``2019-06-12``, a real month and day, year 0001 to 9999), or None."""
    match = _DATE_RE.fullmatch(value)
    if not match:
        return f"{_shown(value)} is not a date; write it as 2019, 2019-06 or 2019-06-12 (ISO 8601)"
    year, month, day = (int(part) if part else None for part in match.groups())
    if year == 0:
        return f"{value!r} is not a real date: there is no year 0000"
    if month is not None and not 1 <= month <= 12:
        return f"{value!r} is not a real date: there is no month {month}"
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{value!r} is not a real date: {year:04}-{month:02} has no day {day}"
    return None


def check_reference_url(value: str) -> str | None:
    """The problem with a Url or Archive-url, or None: an ``http://`` or
    ``https://`` address with a host, without spaces, invisible characters,
    ``<>"\\``, a user name or a password, at most MAX_URL_LENGTH characters."""
    if not value:
        return "the URL is empty"
    if len(value) > MAX_URL_LENGTH:
        return f"the URL is {len(value)} characters long; at most {MAX_URL_LENGTH} are allowed"
    # Browsers drop whitespace and control characters inside a scheme
    # ("java\tscript:"), so the dangerous ones are named without them.
    squeezed = "".join(ch for ch in value[:40] if ch.isprintable() and not ch.isspace())
    scheme = squeezed.split(":", 1)[0].casefold() if ":" in squeezed else ""
    if scheme in _DANGEROUS_SCHEMES:
        return (
            f"a {scheme}: URL is not allowed (it runs code or embeds content instead of "
            "pointing at a source); give the source's http:// or https:// address"
        )
    if any(ch.isspace() for ch in value):
        return "a URL may not contain spaces; write a space as %20"
    if not value[:8].casefold().startswith(("http://", "https://")):
        return f"{_shown(value)} is not a web address; a URL starts with http:// or https://"
    bad = next((ch for ch in value if ch in _URL_FORBIDDEN), None)
    if bad:
        return f"a URL may not contain {bad!r}"
    # Invisible characters (a bidirectional override, a zero-width space)
    # make a link read as another address.
    hidden = next((ch for ch in value if not ch.isprintable()), None)
    if hidden:
        return f"a URL may not contain the invisible character U+{ord(hidden):04X}"
    try:
        parts = urlsplit(value)
    except ValueError:  # a "[" that does not hold an IPv6 address
        return f"{_shown(value)} has no valid host name"
    if "@" in parts.netloc:
        return "a URL may not hold a user name or password (an '@' before the host)"
    try:
        parts.port  # noqa: B018  (raises for a port that is not a number)
    except ValueError:
        return f"the port in {_shown(value)} is not a number from 0 to 65535"
    host = parts.hostname or ""
    if not host:
        return f"{_shown(value)} has no host name after the '//'"
    if not _is_host(host, bracketed=parts.netloc.startswith("[")):
        return f"{host!r} is not a host name"
    return None


def _is_host(host: str, bracketed: bool) -> bool:
    if bracketed:  # an IPv6 address; urlsplit took off the brackets
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    labels = host.removesuffix(".").split(".")
    # Letters of any script (internationalised names), digits, "-" and "_".
    return all(
        label and not label.startswith("-") and all(ch.isalnum() or ch in "-_" for ch in label)
        for label in labels
    )


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


# --- a document's citations ------------------------------------------------------


def _document_markers(doc: ArticleDoc) -> list[Marker]:
    """Every marker of the document in reading order: the infobox's rows
    as written, then the lead, then the sections. Malformed ``[^`` are
    skipped (see the module's docstring)."""
    from .writer import infobox_rows_with_markers  # writer.py imports document.py

    found = [m for _, _, markers in infobox_rows_with_markers(doc.infobox) for m in markers]
    for text in (doc.lead, *(section.body for section in doc.sections)):
        found.extend(marker for marker, _, _ in _scan(text, strict=False))
    return found


def _keys_in_order(doc: ArticleDoc) -> list[str]:
    keys = dict.fromkeys(m.key for m in _document_markers(doc) if not m.needed)
    return list(keys)


def unknown_citation_keys(doc: ArticleDoc) -> list[str]:
    """Marker keys that no entry under References has, in order of first
    use (see :func:`citation_order`)."""
    known = {reference.key for reference in doc.references}
    return [key for key in _keys_in_order(doc) if key not in known]


def citation_order(doc: ArticleDoc) -> list[str]:
    """Reference keys in order of first use, each once: the infobox's rows
    in their written order, then the lead, then the sections. Entries that
    no marker uses (general references) and keys with no entry are not in
    it."""
    known = {reference.key for reference in doc.references}
    return [key for key in _keys_in_order(doc) if key in known]


def verifiability(doc: ArticleDoc) -> tuple[int, int, int]:
    """(cited, paragraphs, needed).

    ``paragraphs`` counts the text's units: every paragraph block and every
    list item of the lead and the sections is one (the infobox is not).
    ``cited`` is how many of them hold at least one marker whose key names
    an entry under References. ``needed`` is the number of ``[^?]`` markers
    in the whole article, infobox included."""
    known = {reference.key for reference in doc.references}
    cited = paragraphs = 0
    for text in (doc.lead, *(section.body for section in doc.sections)):
        for block in split_blocks(text):
            units = block.items if isinstance(block, BulletList) else (block.text,)
            for unit in units:
                paragraphs += 1
                if any(m.key in known for m, _, _ in _scan(unit, strict=False)):
                    cited += 1
    needed = sum(marker.needed for marker in _document_markers(doc))
    return cited, paragraphs, needed


# --- CSL-JSON --------------------------------------------------------------------


def _csl_date(value: str) -> dict[str, Any]:
    if check_iso_date(value) is None:
        return {"date-parts": [[int(part) for part in value.split("-")]]}
    return {"raw": value}  # stored some other way; CSL keeps it as text


def to_csl(reference: Reference) -> dict[str, Any]:
    """The entry as a CSL-JSON item (CSL 1.0.2): ``id`` is the key, dates
    are ``{"date-parts": [[2019, 6, 12]]}``, authors ``[{"literal": name}]``,
    the Quote is the ``note``; the archive fields and the other fields go
    under ``custom`` (a field written twice there gets a list of values).
    Fields that are not set are left out."""
    item: dict[str, Any] = {"id": reference.key, "type": CSL_TYPES.get(reference.type, "webpage")}
    custom: dict[str, Any] = {}
    for f in REFERENCE_FIELDS:
        value = getattr(reference, f.attr)
        if f.kind == "type" or not value:
            continue
        name = f.csl or f.key.casefold()
        target = item if f.csl else custom
        if f.kind == "authors":
            target[name] = [{"literal": author} for author in value]
        elif f.kind == "date" and f.csl:
            target[name] = _csl_date(value)
        else:
            target[name] = value
    for name, value in reference.extras:
        if name in custom:
            previous = custom[name]
            custom[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            custom[name] = value
    if custom:
        item["custom"] = custom
    return item


__all__ = [
    "CITATION_NEEDED", "CSL_TYPES", "DEFAULT_TYPE", "MAX_KEY_LENGTH", "MAX_LOCATOR_LENGTH",
    "MAX_QUOTE_LENGTH", "MAX_URL_LENGTH", "REFERENCES", "REFERENCE_FIELDS", "REFERENCE_TYPES",
    "Marker", "Reference", "ReferenceField", "check_iso_date", "check_reference_url",
    "citation_order", "find_markers", "markers_in", "reference_field", "reference_key_problem",
    "reference_rows", "split_value_markers", "strip_markers", "to_csl", "unknown_citation_keys",
    "verifiability",
]
