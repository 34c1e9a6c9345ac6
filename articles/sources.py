"""What makes two references one source: :func:`source_identity`.

A Source is shared by every article that cites it, so the import, the
admin and the tests need one answer to "is this the source already
stored?". The answer is the strongest identifier the reference has: its
DOI, else its ISBN, else its URL, else its title with its work (or
publisher) and date, each in one normal form. Pure: no Django models.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

# Prefixes a DOI is often written with; the DOI itself starts at "10.".
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                 "http://dx.doi.org/", "doi:")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_doi(doi: str) -> str:
    """The DOI in one form: without a ``doi:`` or resolver prefix, lowercased
    (DOIs are case-insensitive: 10.1000/ABC is 10.1000/abc)."""
    value = doi.strip()
    lowered = value.casefold()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix):]
            break
    return value.strip().lower()


def isbn_digits(isbn: str) -> str:
    """The ISBN's digits (and a final X), without hyphens or spaces."""
    return "".join(ch for ch in isbn.upper() if ch.isdigit() or ch == "X")


def normalize_isbn(isbn: str) -> str:
    """The ISBN as 13 digits: an ISBN-10 becomes the ISBN-13 of the same
    book (978 + its first nine digits + a new check digit), so
    0-00-000000-0 and 978-0-00-000000-2 are one source. Anything that is
    not 10 or 13 characters long is kept as its digits."""
    digits = isbn_digits(isbn)
    if len(digits) == 10 and digits[:9].isdigit():
        body = "978" + digits[:9]
        return body + _isbn13_check_digit(body)
    return digits


def _isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def normalize_url(url: str) -> str:
    """The URL in one form: scheme and host lowercased, the scheme's default
    port dropped, the fragment dropped (it names a place on the page, not
    another page), an empty path written "/" (the same resource). The path
    and query are kept as written, a trailing slash included: servers may
    answer /a and /a/ differently. A URL that cannot be parsed is kept as
    it is, stripped."""
    value = url.strip()
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return value
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()  # urlsplit lowercases already; be explicit
    if ":" in host:  # IPv6: the brackets go back around it
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def identity_rule(
    *, doi: str = "", isbn: str = "", url: str = "", title: str = "", work: str = "",
    publisher: str = "", date: str = "",
) -> str:
    """The text :func:`source_identity` hashes: ``doi:...``, ``isbn:...``,
    ``url:...`` or ``title:<title>|<work or publisher>|<date>``, the first
    that the reference has."""
    if doi.strip():
        return "doi:" + normalize_doi(doi)
    if isbn_digits(isbn):
        return "isbn:" + normalize_isbn(isbn)
    if url.strip():
        return "url:" + normalize_url(url)
    container = work.strip() or publisher.strip()
    return f"title:{title.strip().casefold()}|{container.casefold()}|{date.strip()}"


def source_identity(
    *, doi: str = "", isbn: str = "", url: str = "", title: str = "", work: str = "",
    publisher: str = "", date: str = "",
) -> str:
    """The identity of a source (64 hex characters, the sha256 of
    :func:`identity_rule`): two references with the same identity are one
    Source row."""
    rule = identity_rule(
        doi=doi, isbn=isbn, url=url, title=title, work=work, publisher=publisher, date=date
    )
    return hashlib.sha256(rule.encode("utf-8")).hexdigest()


__all__ = [
    "identity_rule", "isbn_digits", "normalize_doi", "normalize_isbn", "normalize_url",
    "source_identity",
]
