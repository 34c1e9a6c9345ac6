"""Citation templates (``{{cite web}}``, ``{{cite book}}``, ``{{citation}}``,
...) as the fields of our :class:`~articles.wikitext.Reference`, and the
dates they hold as ISO 8601.

Each value arrives as plain text (the converter renders the parameter's
markup first); what our parser would refuse is left out or kept as an
extra field, and counted in ``dropped``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from articles.wikitext import references as refs
from articles.wikitext.document import MAX_LINE_LENGTH

from .text import clean_plain, shorten

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"([A-Za-z]{3,9})\.?"
_DATE_FORMATS = (
    # (pattern, order of the groups as year, month, day)
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), "ymd"),
    (re.compile(r"([0-9]{4})-([0-9]{2})"), "ym"),
    (re.compile(r"([0-9]{4})"), "y"),
    (re.compile(rf"([0-9]{{1,2}}) {_MONTH},? ([0-9]{{4}})"), "dmy"),
    (re.compile(rf"{_MONTH} ([0-9]{{1,2}}),? ([0-9]{{4}})"), "mdy"),
    (re.compile(rf"{_MONTH},? ([0-9]{{4}})"), "my"),
)


def iso_date(value: str) -> str | None:
    """``12 June 2019``, ``June 12, 2019``, ``Jun 2019``, ``2019-06-12`` or
    ``2019`` as ISO 8601 (``2019-06-12``, ``2019-06``, ``2019``); None for
    anything else (a season, a range, an impossible day)."""
    value = value.strip()
    for pattern, order in _DATE_FORMATS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = parts.get("m")
        if month is not None and not month.isdigit():
            month = _MONTHS.get(month.casefold())
            if month is None:
                return None
        text = parts["y"]
        if month is not None:
            text += f"-{int(month):02}"
            if "d" in parts:
                text += f"-{int(parts['d']):02}"
        return text if refs.check_iso_date(text) is None else None
    return None


# "cite X" -> our type; a cite template not named here is a web source.
_TYPES = {
    "web": "web", "news": "news", "book": "book", "journal": "journal", "report": "report",
    "magazine": "news", "press release": "news", "encyclopedia": "book", "thesis": "report",
    "conference": "journal", "dataset": "dataset", "document": "report", "paper": "journal",
}
_WORK = ("work", "website", "newspaper", "journal", "magazine", "periodical", "encyclopedia")
_AUTHOR_RE = re.compile(r"(author|last|first|surname|given)([0-9]{0,3})")
# Parameters that only shape how Wikipedia displays the citation.
_IGNORED = frozenset({
    "url-status", "url-access", "dead-url", "deadurl", "df", "mode", "ref", "name-list-style",
    "name-list-format", "author-mask", "display-authors", "displayauthors", "display-editors",
    "postscript", "separator", "archive-format", "format", "subscription", "registration",
    "last-author-amp", "lastauthoramp", "no-pp", "nopp", "doi-access", "doi-broken-date",
    "lay-url", "lay-source", "lay-date", "s2cid-access", "bibcode-access", "hdl-access",
    "jstor-access", "ol-access", "osti-access", "url-fragment", "script-title", "trans-title",
    "name", "authors-link", "author-link", "authorlink",
})
_HANDLED = frozenset({
    "title", "chapter", "url", "authors", "vauthors", "people", "publisher", "date", "year",
    "access-date", "accessdate", "archive-url", "archiveurl", "archive-date", "archivedate",
    "isbn", "isbn13", "doi", "language", "lang", "quote", "page", "pages", "at", "p", "pp",
    *_WORK,
})


def cite_type(template_name: str) -> str | None:
    """Our reference type for a citation template's name (``Cite news`` ->
    news, ``Citation`` -> web), or None if the template is not one."""
    name = template_name.casefold()
    if name == "citation":
        return refs.DEFAULT_TYPE
    if not name.startswith("cite "):
        return None
    return _TYPES.get(name[5:].strip(), refs.DEFAULT_TYPE)


@dataclass
class Cited:
    """A citation template read: the Reference's fields (all but its key)
    and the locator its marker gets (``p. 42``)."""

    fields: dict[str, object] = field(default_factory=dict)
    locator: str = ""

    def reference(self, key: str) -> refs.Reference:
        return refs.Reference(key=key, **self.fields)  # type: ignore[arg-type]


def read_cite(
    kind: str, params: Mapping[str, str], dropped: Counter[str]
) -> Cited:
    """A citation template's plain-text ``params`` (lowercase names, in
    template order) as the fields of a Reference of type ``kind``."""
    get = lambda *names: next((params[n] for n in names if params.get(n)), "")  # noqa: E731
    cited = Cited()
    extras: list[tuple[str, str]] = []
    values = cited.fields
    values["type"] = kind
    title = get("title")
    chapter = get("chapter")
    if not title and chapter:
        title, chapter = chapter, ""
    urls = {
        attr: safe_url(get(*names), dropped)
        for attr, names in (("url", ("url",)), ("archive_url", ("archive-url", "archiveurl")))
    }
    title = title or get(*_WORK) or urls["url"] or "Untitled source"
    values["title"] = _text(title, MAX_LINE_LENGTH, "title", dropped) or "Untitled source"
    if chapter:
        extras.append(("Chapter", chapter))
    values["authors"] = tuple(_authors(params, dropped))
    for attr, names in (
        ("work", _WORK), ("publisher", ("publisher",)), ("isbn", ("isbn", "isbn13")),
        ("doi", ("doi",)), ("language", ("language", "lang")),
    ):
        value = get(*names)
        if value:
            values[attr] = _text(value, MAX_LINE_LENGTH, attr, dropped)
    quote = get("quote")
    if quote:
        values["quote"] = _text(quote, refs.MAX_QUOTE_LENGTH, "quote", dropped)
    for attr, names, label in (
        ("date", ("date", "year"), "Date as written"),
        ("accessed", ("access-date", "accessdate"), "Accessed as written"),
        ("archive_date", ("archive-date", "archivedate"), "Archive-date as written"),
    ):
        value = get(*names)
        if value:
            iso = iso_date(value)
            if iso:
                values[attr] = iso
            else:
                extras.append((label, value))
    values.update((attr, url) for attr, url in urls.items() if url)
    cited.locator = _locator(params, dropped)
    for name, value in params.items():
        if name.startswith("on") and value:  # onclick=: an event handler, never data
            dropped["unsafe parameter"] += 1
            continue
        if value and name not in _HANDLED and name not in _IGNORED and not _AUTHOR_RE.fullmatch(name):
            if name.startswith(("author", "editor")) and name.endswith("-link"):
                continue
            extras.append((_extra_name(name), value))
    values["extras"] = tuple(keep_extras(extras, dropped))
    return cited


def plain_reference(text: str, url: str, dropped: Counter[str]) -> Cited:
    """A ``<ref>`` of plain text: a source titled with it."""
    cited = Cited()
    cited.fields["title"] = _text(text, MAX_LINE_LENGTH, "title", dropped) or "Untitled source"
    if url:
        cited.fields["url"] = url
    return cited


def safe_url(value: str, dropped: Counter[str]) -> str:
    """``value`` if our parser accepts it as a Url ("" otherwise, counted:
    "unsafe url" for javascript:, data: and vbscript:, "bad url" for the
    rest). A protocol-relative ``//host/path`` becomes https."""
    value = value.strip()
    if not value:
        return ""
    if value.startswith("//"):
        value = "https:" + value
    problem = refs.check_reference_url(value)
    if problem is None:
        return value
    dropped["unsafe url" if "is not allowed" in problem else "bad url"] += 1
    return ""


def _text(value: str, limit: int, what: str, dropped: Counter[str]) -> str:
    value = clean_plain(value)
    if len(value) > limit:
        dropped[f"shortened {what}"] += 1
        value = shorten(value, limit)
    return value


def _authors(params: Mapping[str, str], dropped: Counter[str]) -> list[str]:
    """author / author1..N and last+first / last1+first1..N, in number order."""
    numbered: dict[int, dict[str, str]] = {}
    for name, value in params.items():
        match = _AUTHOR_RE.fullmatch(name)
        if match and value:
            role = {"surname": "last", "given": "first"}.get(match.group(1), match.group(1))
            numbered.setdefault(int(match.group(2) or 1), {}).setdefault(role, value)
    authors: list[str] = []
    for number in sorted(numbered):
        parts = numbered[number]
        name = parts.get("author") or " ".join(
            p for p in (parts.get("first", ""), parts.get("last", "")) if p
        )
        name = _text(name, MAX_LINE_LENGTH, "author", dropped)
        if name and name not in authors:
            authors.append(name)
    for free in ("authors", "vauthors", "people"):
        if params.get(free):
            authors.append(_text(params[free], MAX_LINE_LENGTH, "author", dropped))
    return [a for a in authors if a]


def _locator(params: Mapping[str, str], dropped: Counter[str]) -> str:
    page = params.get("page") or params.get("p")
    pages = params.get("pages") or params.get("pp")
    at = params.get("at")
    text = f"p. {page}" if page else f"pp. {pages}" if pages else at or ""
    # A marker ends at "]" and splits at "|": neither may be in a locator.
    text = clean_plain(text).replace("|", "/").replace("]", ")").replace("[", "(")
    if len(text) > refs.MAX_LOCATOR_LENGTH:
        dropped["shortened locator"] += 1
        text = shorten(text, refs.MAX_LOCATOR_LENGTH)
    return text


def _extra_name(name: str) -> str:
    text = name.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def keep_extras(
    extras: list[tuple[str, str]], dropped: Counter[str]
) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    for name, value in extras:
        name = clean_plain(name).replace(":", " ").strip()
        value = _text(value, MAX_LINE_LENGTH, "field", dropped)
        if not name or not value or len(name) > MAX_LINE_LENGTH:
            continue
        if refs.reference_field(name) is not None:  # it would read as the known field
            dropped[f"cite parameter {name.casefold()}"] += 1
            continue
        kept.append((name, value))
    return kept
