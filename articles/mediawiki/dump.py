"""Reading MediaWiki's Special:Export XML dumps and plain wikitext files.

``read_pages(path)`` yields one ``WikiPage`` per article (namespace 0) with its
revisions, oldest first. XML dumps (``.xml``, ``.xml.bz2``, ``.xml.gz``, export
schema 0.10 and 0.11) are streamed: memory stays flat whatever the file's size,
only one page's revisions are held at a time. A ``.wiki``/``.mediawiki`` file is
one page with one revision. Each page of a dump carries the wiki's language
code from the root's ``xml:lang`` (``WikiPage.language``). Every problem raises
``DumpError`` as ``FILE:LINE: message``, LINE being the line in the
(uncompressed) XML.

mwxml interprets the dump's structure; the XML events it consumes come from
expat here rather than from ``ElementTree.iterparse`` (what ``mwxml.Dump.from_file``
uses) for two reasons: iterparse gives no line numbers (wanted for ``WikiPage.line``
and for errors), and the tree it builds keeps every ``<page>`` element, emptied
but attached to the root, so memory grows with the number of pages.

Pure Python, no Django imports.
"""

from __future__ import annotations

import bz2
import collections
import dataclasses
import datetime
import gzip
import os
import pathlib
import zlib
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element
from xml.parsers import expat

import mwxml
from mwxml.element_iterator import ElementIterator, EventPointer
from mwxml.errors import MalformedXML

__all__ = ["DumpError", "WikiPage", "WikiRevision", "read_pages", "WIKITEXT_SUFFIXES", "XML_SUFFIXES"]

XML_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz")
WIKITEXT_SUFFIXES = (".wiki", ".mediawiki")

# Special:Export's namespace is this plus the schema version ("0.10/", "0.11/").
EXPORT_NAMESPACE = "http://www.mediawiki.org/xml/export-"
# The root's xml:lang, as expat (and ElementTree) name the attribute.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Big enough that expat's per-call overhead does not matter, small enough to be
# no memory at all.
CHUNK_SIZE = 64 * 1024

_EPOCH = datetime.datetime(1, 1, 1, tzinfo=datetime.timezone.utc)


@dataclasses.dataclass(frozen=True)
class WikiRevision:
    id: int | None
    timestamp: datetime.datetime | None  # timezone-aware UTC
    contributor: str  # user name, or the IP for anonymous edits; "" when suppressed
    comment: str  # the edit summary; "" when none or suppressed
    text: str  # wikitext; "" when suppressed or deleted
    minor: bool


@dataclasses.dataclass(frozen=True)
class WikiPage:
    title: str  # as the dump has it, with spaces
    namespace: int
    revisions: list[WikiRevision]  # oldest first; only the newest with latest_only
    line: int  # line of the file where the page's <page> starts, 1-based
    redirect: str | None = None  # the target's title when the page is a redirect
    # The wiki's content language as the dump's root names it (xml:lang), in
    # MediaWiki's code ("ru", "zh-min-nan"); None for a wikitext file or a
    # root without one. language.content_language makes it an article's.
    # Not compared: it is the file's, the same for every page of it, and
    # two pages are equal by what they hold.
    language: str | None = dataclasses.field(default=None, compare=False)


class DumpError(Exception):
    """A file that cannot be read as a dump; ``str()`` is ``FILE:LINE: message``."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(file, line, message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def read_pages(
    path: pathlib.Path | str | BinaryIO,
    *,
    name: str | None = None,
    latest_only: bool = False,
    title: str | None = None,
    skipped: collections.Counter[str] | None = None,
    max_bytes: int | None = None,
) -> Iterator[WikiPage]:
    """The articles in a dump or wikitext file, in file order.

    ``path`` is a file name or a binary stream (an upload); a stream needs
    ``name``, which picks the format by its ending and names the file in
    errors (for a path, ``name`` overrides ``str(path)`` in both). ``title`` is
    the title of a wikitext file (default: its name without the ending,
    underscores as spaces). Pages outside namespace 0 are not yielded; when
    ``skipped`` is given, it counts them by namespace name ("Talk", "User").
    Errors about the whole file (its type, its compression, its encoding) are
    reported at line 1. ``max_bytes`` bounds the XML read once decompressed
    (an upload of a few megabytes may unpack to gigabytes).
    """
    if isinstance(path, (str, os.PathLike)):
        path = pathlib.Path(path)
        label = name if name is not None else str(path)
    else:
        if name is None:
            raise TypeError("read_pages() needs name= for a stream")
        label = name
    kind = _kind(label)
    if title is not None and kind not in WIKITEXT_SUFFIXES:
        raise DumpError(label, 1, "a title can only be given for a wikitext file (.wiki, .mediawiki)")

    if kind in WIKITEXT_SUFFIXES:
        return _read_wikitext(path, label, title)
    return _read_xml(path, label, kind, latest_only, skipped, max_bytes)


def _kind(label: str) -> str:
    lower = label.lower()
    for suffix in XML_SUFFIXES + WIKITEXT_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    suffix = pathlib.PurePath(label).suffix or "(none)"
    known = ", ".join(XML_SUFFIXES + WIKITEXT_SUFFIXES)
    raise DumpError(label, 1, f"unknown file type {suffix}: expected one of {known}")


def _open(path: pathlib.Path | BinaryIO, label: str) -> tuple[BinaryIO, bool]:
    """The raw binary stream, and whether we opened it (and so must close it)."""
    if isinstance(path, pathlib.Path):
        try:
            return open(path, "rb"), True
        except OSError as exc:
            raise DumpError(label, 1, f"cannot open the file: {exc.strerror or exc}") from None
    return path, False


def _read_wikitext(path: pathlib.Path | BinaryIO, label: str, title: str | None) -> Iterator[WikiPage]:
    stream, owned = _open(path, label)
    try:
        data = stream.read()
    except OSError as exc:
        raise DumpError(label, 1, f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        if owned:
            stream.close()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        start = exc.start + bom
        line = data.count(b"\n", 0, start) + 1
        raise DumpError(label, line, f"not UTF-8 (byte 0x{data[start]:02x}); save the file as UTF-8") from None
    if title is None:
        title = pathlib.PurePath(label).name
        title = title[: -len(_kind(label))].replace("_", " ")
    title = title.strip()
    if not title:
        raise DumpError(label, 1, "the page has no title: give one")
    # MediaWiki stores LF only (and expat turns CRLF into LF in dumps): do the same.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    revision = WikiRevision(id=None, timestamp=None, contributor="", comment="", text=text, minor=False)
    return iter([WikiPage(title=title, namespace=0, revisions=[revision], line=1)])


class _Refused(Exception):
    """XML that is well-formed but not accepted (entity declarations)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Events:
    """(event, element) pairs for mwxml's ``EventPointer``, as ``iterparse`` gives them.

    Elements are not attached to their parents: mwxml reads only an element's
    tag, attributes and text, and a detached element is freed once mwxml is
    done with it. ``text`` is set on leaf elements only (the dump has no mixed
    content), so whitespace between elements is never kept.
    """

    def __init__(self, stream: BinaryIO, max_bytes: int | None = None) -> None:
        self._max_bytes = max_bytes
        # read1: one underlying read at a time, so that what a cut-short gzip or
        # bz2 stream did deliver is parsed before its error (read() would drop it).
        self._read = getattr(stream, "read1", stream.read)
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._data
        # What defusedxml refuses too: entities are the way to billion laughs and
        # to external files; an export never declares any.
        self._parser.EntityDeclHandler = self._entity
        self._queue: collections.deque[tuple[str, Element, int, int]] = collections.deque()
        self._stack: list[Element] = []
        self._has_child: list[bool] = []
        self._text: list[str] = []
        self._names: dict[str, str] = {}
        self._done = False
        self.bytes_read = 0  # of the (decompressed) XML
        self.lines_read = 0  # newlines in those bytes: where a cut-short file stops
        self.line = 1  # line of the last event handed to mwxml
        self.item_line = 1  # line of the last <page> (or <logitem>) start handed out

    def _name(self, raw: str) -> str:
        # expat gives "uri local"; ElementTree's (and mwxml's) form is "{uri}local".
        name = self._names.get(raw)
        if name is None:
            uri, _, local = raw.rpartition(" ")
            name = self._names[raw] = f"{{{uri}}}{local}" if uri else local
        return name

    def _start(self, raw: str, attrs: dict[str, str]) -> None:
        if self._has_child:
            self._has_child[-1] = True
        self._text.clear()
        element = Element(self._name(raw), {self._name(k): v for k, v in attrs.items()})
        self._stack.append(element)
        self._has_child.append(False)
        self._queue.append(("start", element, self._parser.CurrentLineNumber, len(self._stack)))

    def _end(self, raw: str) -> None:
        element = self._stack.pop()
        # "" rather than ElementTree's None for an empty leaf: mwxml reads
        # <username/> as str(None) == "None" otherwise.
        if not self._has_child.pop():
            element.text = "".join(self._text)
        self._text.clear()
        self._queue.append(("end", element, self._parser.CurrentLineNumber, len(self._stack) + 1))

    def _data(self, data: str) -> None:
        self._text.append(data)

    def _entity(self, name: str, *args: object) -> None:
        raise _Refused(f"entity declarations are not allowed (entity '{name}')", self._parser.CurrentLineNumber)

    def __iter__(self) -> _Events:
        return self

    def __next__(self) -> tuple[str, Element]:
        while not self._queue:
            if self._done:
                raise StopIteration
            chunk = self._read(CHUNK_SIZE)
            self.bytes_read += len(chunk)
            if self._max_bytes is not None and self.bytes_read > self._max_bytes:
                raise _Refused(
                    f"the XML comes to more than {self._max_bytes // 2**20} MiB once "
                    "uncompressed, more than is read here; import it with manage.py "
                    "import_mediawiki",
                    self.lines_read + 1,
                )
            self.lines_read += chunk.count(b"\n")
            self._done = not chunk
            self._parser.Parse(chunk, self._done)
        event, element, line, depth = self._queue.popleft()
        self.line = line
        if event == "start" and depth == 2:
            self.item_line = line
        return event, element


def _read_xml(
    path: pathlib.Path | BinaryIO,
    label: str,
    kind: str,
    latest_only: bool,
    skipped: collections.Counter[str] | None,
    max_bytes: int | None = None,
) -> Iterator[WikiPage]:
    # Opening is done now, not at the first next(), so that a missing file fails
    # where read_pages() is called.
    raw, owned = _open(path, label)
    return _iter_xml(raw, owned, label, kind, latest_only, skipped, max_bytes)


def _iter_xml(
    raw: BinaryIO,
    owned: bool,
    label: str,
    kind: str,
    latest_only: bool,
    skipped: collections.Counter[str] | None,
    max_bytes: int | None = None,
) -> Iterator[WikiPage]:
    stream: BinaryIO
    if kind == ".xml.bz2":
        stream = bz2.BZ2File(raw)  # type: ignore[assignment]
    elif kind == ".xml.gz":
        stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
    else:
        stream = raw
    events = _Events(stream, max_bytes)
    try:
        yield from _pages(events, label, latest_only, skipped)
    except expat.ExpatError as exc:
        raise DumpError(label, exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)}") from None
    except _Refused as exc:
        raise DumpError(label, exc.line, exc.message) from None
    except MalformedXML as exc:
        reason = str(exc)
        raise DumpError(label, events.line, f"not a valid MediaWiki export: {reason[:1].lower()}{reason[1:]}") from None
    except ValueError as exc:
        # mwxml converts <id>, <ns> and <timestamp> with int() and mwtypes.Timestamp.
        raise DumpError(label, events.line, f"invalid value: {exc}") from None
    except (TypeError, AttributeError) as exc:
        # What mwxml does with a None where it expects an element (a <page> without <title>).
        raise DumpError(
            label, events.line, f"not a valid MediaWiki export: a required element is missing ({exc})"
        ) from None
    except (OSError, EOFError, zlib.error) as exc:
        raise DumpError(label, events.lines_read + 1, _read_problem(kind, exc, events)) from None
    finally:
        if stream is not raw:
            stream.close()
        if owned:
            raw.close()


def _read_problem(kind: str, exc: BaseException, events: _Events) -> str:
    compressed = {".xml.bz2": "bz2", ".xml.gz": "gzip"}.get(kind)
    if compressed is None:
        return f"cannot read the file: {exc}"
    if events.bytes_read == 0 and not isinstance(exc, EOFError):
        # Nothing decompressed yet: the file is not what its name says.
        return f"not a {compressed} file"
    return f"the {compressed} data is corrupt or cut short ({exc})"


def _pages(
    events: _Events, label: str, latest_only: bool, skipped: collections.Counter[str] | None
) -> Iterator[WikiPage]:
    pointer = EventPointer(events)
    _, root = next(pointer)
    problem = _root_problem(root.tag)
    if problem:
        raise DumpError(label, events.line, f"not a MediaWiki export: {problem}")
    dump = mwxml.Dump.from_element(ElementIterator(root, pointer))
    names = {ns.id: ns.name for ns in dump.site_info.namespaces or ()}
    language = (root.get(XML_LANG) or "").strip() or None

    for page in dump.pages:
        line = events.item_line
        if not page.title:
            raise DumpError(label, line, "page without a title")
        if page.namespace != 0:
            # The page's revisions are left unread: mwxml skips them as it moves on.
            if skipped is not None:
                skipped[names.get(page.namespace) or f"namespace {page.namespace}"] += 1
            continue
        revisions = _revisions(page, latest_only)
        if not revisions:
            raise DumpError(label, line, f"page '{page.title}' has no revision")
        yield WikiPage(
            title=page.title, namespace=0, revisions=revisions, line=line, redirect=page.redirect,
            language=language,
        )


def _order(revision: WikiRevision) -> tuple[datetime.datetime, int]:
    # Dumps list revisions oldest first; sorting (stable) makes sure of it. A
    # revision without a timestamp or id keeps its place among its equals.
    return (revision.timestamp or _EPOCH, revision.id if revision.id is not None else -1)


def _revisions(page: mwxml.Page, latest_only: bool) -> list[WikiRevision]:
    if not latest_only:
        return sorted((_revision(r) for r in page), key=_order)
    # Only the newest so far is held, so a page with a long history costs one revision.
    latest: WikiRevision | None = None
    for r in page:
        revision = _revision(r)
        if latest is None or _order(revision) >= _order(latest):
            latest = revision
    return [latest] if latest is not None else []


def _revision(revision: mwxml.Revision) -> WikiRevision:
    timestamp = None
    if revision.timestamp is not None:
        timestamp = datetime.datetime.fromtimestamp(revision.timestamp.unix(), tz=datetime.timezone.utc)
    return WikiRevision(
        id=revision.id,
        timestamp=timestamp,
        contributor=(revision.user.text or "") if revision.user is not None else "",
        comment=revision.comment or "",
        text=revision.text or "",
        minor=bool(revision.minor),
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _root_problem(tag: str) -> str:
    if _local(tag) != "mediawiki":
        return f"the root element is <{_local(tag)}>, not <mediawiki>"
    uri = tag[1 : tag.find("}")] if tag.startswith("{") else ""
    # Old hand-made files may have no namespace; any other namespace is some other format.
    if uri and not uri.startswith(EXPORT_NAMESPACE):
        return f"the root element <mediawiki> is in namespace {uri}, not {EXPORT_NAMESPACE}..."
    return ""
