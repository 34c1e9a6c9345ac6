"""Read wiki-text into an :class:`ArticleDoc`.

``parse(dump(doc)) == doc`` for every valid document, and
``dump(parse(text)) == text`` for every canonical text. Harmless variants
(CRLF, a byte-order mark, a missing final newline, ``== Heading ==``, trailing
spaces, extra blank lines, reference rows out of order) are accepted and
written back canonically.

Citation markers (references.py) are checked where they may stand (the lead,
section bodies, after infobox values) and refused everywhere else; every key
they use must have an entry in the References section, the last one.

A non-English article says so on the line after the title, with a blank line
between (language.py)::

    = Title =

    Language: fa-AF

    Infobox
    ...

The line is the first block after the title, alone in its block; a code not
of BCP 47's shape is an error on its line. English articles have no such
line: ``Language: en`` is read, and written back without the line.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from .blocks import (
    INFOBOX_LINE,
    check_characters,
    check_text_length,
    is_bullet_line,
    normalize_newlines,
)
from .document import (
    MAX_LINE_LENGTH,
    SEE_ALSO,
    ArticleDoc,
    ExtraRow,
    Infobox,
    Section,
)
from .errors import WikitextError
from .infobox import field_for_key, plain_problem as _plain
from .language import LANGUAGE_PREFIX, canonical_language, is_language_line
from .names import name_problem, normalize_name
from .references import (
    MARKER_START,
    REFERENCES,
    Reference,
    find_markers,
    reference_field,
    reference_key_problem,
    split_value_markers,
)
from .values import InfoboxValueError

_ROW_RE = re.compile(r"^- ([^:]*[^:\s]):\s*(\S.*)$")


@dataclass
class _Chunk:
    """A run of non-blank lines, or a heading line on its own."""

    lines: list[str]
    start: int  # line number of the first line
    level: int = 0  # heading level; 0 for a block
    heading: str = ""


def decode(data: bytes) -> str:
    """UTF-8 bytes to text; invalid bytes raise with their line number."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise WikitextError(
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8", line
        ) from None


def parse(text: str) -> ArticleDoc:
    text = normalize_newlines(text.removeprefix("\ufeff"))
    check_characters(text)
    lines = [line.rstrip() for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise WikitextError("the file is empty; it must start with a title like '= Title ='", 1)
    doc = ArticleDoc(title=_check_title(_parse_title(lines[first], first + 1), first + 1))
    chunks = deque(_chunk(lines, first + 1))
    # Each key a marker uses, with the line of its first use.
    cited: dict[str, int] = {}

    if chunks and chunks[0].level == 0 and is_language_line(chunks[0].lines[0]):
        doc.language = _parse_language(chunks.popleft())
    if chunks and chunks[0].level == 0 and chunks[0].lines[0] == INFOBOX_LINE:
        doc.infobox = _parse_infobox(chunks.popleft(), cited)
    if chunks and chunks[0].level == 0 and is_language_line(chunks[0].lines[0]):
        # Read as the lead, it would come back as the article's language
        # once the infobox is gone: refused, as the admin refuses such a lead.
        raise WikitextError(
            f"the '{LANGUAGE_PREFIX}' line goes right after the title, before the infobox",
            chunks[0].start,
        )
    lead: list[_Chunk] = []
    while chunks and chunks[0].level == 0:
        lead.append(chunks.popleft())
    doc.lead = _join(lead)
    check_text_length(doc.lead, lead[0].start if lead else 1)
    _check_markers(lead, cited)

    see_also_line = references_line = 0
    while chunks:
        heading = chunks.popleft()
        body: list[_Chunk] = []
        while chunks and chunks[0].level == 0:
            body.append(chunks.popleft())
        if references_line:
            _refuse_after_references(heading, references_line)
        if _is_named(heading, SEE_ALSO):
            if see_also_line:
                raise WikitextError(
                    f"a second 'See also' section (the first is on line {see_also_line})",
                    heading.start,
                )
            see_also_line = heading.start
            doc.see_also = _parse_see_also(body)
        elif _is_named(heading, REFERENCES):
            references_line = heading.start
            doc.references = _parse_references(body)
        else:
            text = _join(body)
            check_text_length(text, body[0].start if body else heading.start)
            _check_markers(body, cited)
            doc.sections.append(Section(heading.heading, heading.level, text))

    known = {reference.key for reference in doc.references}
    for key, number in cited.items():
        if key not in known:
            raise WikitextError(
                f"the citation [^{key}] has no entry under =={REFERENCES}==; add one there: "
                f"'- [^{key}]' with a '  - Title: ...' row",
                number,
            )
    return doc


def _is_named(heading: _Chunk, name: str) -> bool:
    """See also and References are level-2 headings, in any case; at level 3
    they are ordinary sections."""
    return heading.level == 2 and heading.heading.casefold() == name.casefold()


def _refuse_after_references(heading: _Chunk, references_line: int) -> None:
    if _is_named(heading, REFERENCES):
        raise WikitextError(
            f"a second '{REFERENCES}' section (the first is on line {references_line})",
            heading.start,
        )
    raise WikitextError(
        f"'{REFERENCES}' must be the last section (it is on line {references_line}); "
        f"move {heading.lines[0]!r} above it",
        heading.start,
    )


def _check_markers(chunks: list[_Chunk], cited: dict[str, int]) -> None:
    """Check the markers of lead or section text, noting each key's first
    use. Markers do not span lines, so each line is scanned on its own and
    errors name its number."""
    for chunk in chunks:
        for offset, line in enumerate(chunk.lines):
            if MARKER_START not in line:
                continue
            number = chunk.start + offset
            try:
                markers = find_markers(line)
            except WikitextError as exc:
                raise WikitextError(exc.message, number) from None
            for marker, _, _ in markers:
                if not marker.needed:
                    cited.setdefault(marker.key, number)


def _refuse_markers(value: str, where: str, number: int) -> None:
    if MARKER_START in value:
        raise WikitextError(
            f"{where} may not hold a citation marker ('{MARKER_START}'); markers go in the "
            "lead and section text, and after infobox values",
            number,
        )


def _parse_title(line: str, number: int) -> str:
    # String operations, not a regular expression: a pattern like
    # r"^=\s*(.*?)\s*=$" backtracks for minutes on a long run of spaces.
    inner = line[1:-1]
    if (
        len(line) < 3
        or not line.startswith("=")
        or not line.endswith("=")
        or inner.startswith("=")
        or inner.endswith("=")
        or not inner.strip()
    ):
        raise WikitextError("the first line must be the title, like '= Title ='", number)
    return inner.strip()


def _parse_language(chunk: _Chunk) -> str:
    code = chunk.lines[0].removeprefix(LANGUAGE_PREFIX).strip()
    if not code:
        raise WikitextError(
            f"the '{LANGUAGE_PREFIX}' line names no language; write its code as BCP 47 "
            f"does, like '{LANGUAGE_PREFIX} fa-AF'",
            chunk.start,
        )
    language = canonical_language(code)
    if language is None:
        raise WikitextError(
            f"{code!r} is not a language code; write it as BCP 47 does: a language of two "
            "or three letters, then optionally a script and a region, like 'ru', 'ps', "
            "'fa-AF' or 'zh-Hant'",
            chunk.start,
        )
    if len(chunk.lines) > 1:
        raise WikitextError(
            f"the '{LANGUAGE_PREFIX}' line stands alone: put a blank line after it",
            chunk.start + 1,
        )
    # "Language: en" is accepted, and normalised away: English articles are
    # written without the line (language.language_line).
    return language


def _chunk(lines: list[str], start: int) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line:
            current = None
        elif line.startswith("="):
            level, heading = _parse_heading(line, number)
            chunks.append(_Chunk([line], number, level, heading))
            current = None
        else:
            if current is None:
                current = _Chunk([], number)
                chunks.append(current)
            current.lines.append(line)
    return chunks


def _parse_heading(line: str, number: int) -> tuple[int, str]:
    rest = line.lstrip("=")
    inner = rest.rstrip("=")
    opening, text, closing = len(line) - len(rest), inner.strip(), len(rest) - len(inner)
    if not text:
        raise WikitextError("heading has no text", number)
    if not closing:
        raise WikitextError(f"heading must end with {'=' * opening!r} as it starts", number)
    if opening != closing:
        raise WikitextError(
            f"unbalanced heading: {opening} '=' at the start, {closing} at the end", number
        )
    if opening == 1:
        raise WikitextError("only the first line may be a '= Title =' line", number)
    if opening > 3:
        raise WikitextError("only '==Heading==' and '===Subheading===' are supported", number)
    problem = name_problem(text)
    if problem:  # the admin refuses the same headings (validate_title)
        raise WikitextError(f"the heading {_plain(problem)}", number)
    _refuse_markers(text, "a heading", number)
    return opening, _check_length(text, "heading", number)


def _parse_infobox(chunk: _Chunk, cited: dict[str, int]) -> Infobox:
    rows = chunk.lines[1:]
    if not rows:
        raise WikitextError("the infobox has no rows; put '- Key: Value' lines under it", chunk.start)
    infobox = Infobox()
    seen: dict[str, int] = {}
    for index, line in enumerate(rows):
        number = chunk.start + 1 + index
        match = _ROW_RE.match(line)
        if not match:
            raise WikitextError("infobox row must look like '- Key: Value'", number)
        key = _check_length(match.group(1).strip(), "infobox key", number)
        _refuse_markers(key, "an infobox key", number)
        try:
            value, markers = split_value_markers(match.group(2))
        except WikitextError as exc:
            raise WikitextError(exc.message, number) from None
        value = _check_length(value, "infobox value", number)
        for marker in markers:
            if not marker.needed:
                cited.setdefault(marker.key, number)
        known = field_for_key(key)
        if known is None:
            infobox.extras.append(ExtraRow(key, value, index, markers))
            continue
        if known.key in seen:
            raise WikitextError(
                f"infobox key {known.key!r} appears twice (first on line {seen[known.key]})",
                number,
            )
        seen[known.key] = number
        try:
            setattr(infobox, known.attr, known.read(value))
        except InfoboxValueError as exc:
            raise WikitextError(str(exc), number) from None
        if markers:
            infobox.citations[known.key] = markers
    return infobox


def _check_title(value: str, number: int, where: str = "the title") -> str:
    """A title in its one stored form (see names.py): NFC, without
    invisible characters; refused without a visible character, with a
    bidirectional override or with a citation marker."""
    problem = name_problem(value)
    if problem:
        raise WikitextError(f"the title {_plain(problem)}", number)
    _refuse_markers(value, where, number)
    return _check_length(normalize_name(value), "title", number)


def _parse_see_also(body: list[_Chunk]) -> list[str]:
    titles: list[str] = []
    for chunk in body:
        for offset, line in enumerate(chunk.lines):
            if not is_bullet_line(line):
                raise WikitextError(
                    "'See also' may only list articles, one '- Title' per line",
                    chunk.start + offset,
                )
            title = _check_title(line[2:], chunk.start + offset, "a 'See also' title")
            if title.startswith("=") or title.endswith("="):
                raise WikitextError(
                    "a title may not start or end with '='", chunk.start + offset
                )
            titles.append(title)
    return titles


def _check_length(value: str, what: str, number: int, limit: int = MAX_LINE_LENGTH) -> str:
    if len(value) > limit:
        raise WikitextError(
            f"the {what} is {len(value)} characters long; at most {limit} are allowed",
            number,
        )
    return value


# --- References ------------------------------------------------------------------

_REFERENCES_SHAPE = (
    f"the {REFERENCES} section holds only entries: a line '- [^key]', then the entry's "
    "rows, each indented: '  - Field: value'"
)


@dataclass
class _Entry:
    """An entry being read: its key, its line, and its fields so far."""

    key: str
    start: int
    values: dict[str, str] = field(default_factory=dict)  # single-valued fields by attr
    lines: dict[str, int] = field(default_factory=dict)  # and the line of each
    authors: list[str] = field(default_factory=list)
    extras: list[tuple[str, str]] = field(default_factory=list)

    def reference(self) -> Reference:
        if not self.values.get("title"):
            raise WikitextError(
                f"the reference [^{self.key}] has no Title; add a row '  - Title: ...'",
                self.start,
            )
        return Reference(
            key=self.key, authors=tuple(self.authors), extras=tuple(self.extras), **self.values
        )


def _parse_references(body: list[_Chunk]) -> list[Reference]:
    """The entries of the References section. Blank lines between rows and
    entries are allowed; known fields may come in any order."""
    references: list[Reference] = []
    first_lines: dict[str, int] = {}
    entry: _Entry | None = None
    for chunk in body:
        for offset, line in enumerate(chunk.lines):
            number = chunk.start + offset
            if line[:1] in (" ", "\t"):
                if entry is None:
                    raise WikitextError(
                        "a reference row must follow its entry's line '- [^key]'", number
                    )
                _read_row(entry, line.lstrip(), number)
                continue
            key = _entry_key(line, number)
            # The entry before is complete: its errors come first.
            if entry is not None:
                references.append(entry.reference())
            if key in first_lines:
                raise WikitextError(
                    f"the reference key {key!r} appears twice (first on line {first_lines[key]})",
                    number,
                )
            first_lines[key] = number
            entry = _Entry(key, number)
    if entry is not None:
        references.append(entry.reference())
    return references


def _entry_key(line: str, number: int) -> str:
    """The key of an entry line, ``- [^key]``."""
    rest = line[2:] if line.startswith("- ") else ""
    if not rest.startswith(MARKER_START):
        raise WikitextError(_REFERENCES_SHAPE, number)
    try:
        found = find_markers(rest)
    except WikitextError as exc:
        raise WikitextError(exc.message, number) from None
    marker, _, end = found[0]
    if end != len(rest):
        raise WikitextError(
            "an entry's line is only its key, like '- [^smith]'; its fields go on the "
            "indented rows below it",
            number,
        )
    problem = reference_key_problem(marker.key)  # only [^?] reaches here with one
    if problem:
        raise WikitextError(problem, number)
    if marker.locator:
        raise WikitextError(
            f"an entry's line names its key only, without a locator: '- [^{marker.key}]'",
            number,
        )
    return marker.key


def _read_row(entry: _Entry, row: str, number: int) -> None:
    match = _ROW_RE.match(row)
    if not match:
        raise WikitextError("a reference row must look like '  - Field: value'", number)
    name = _check_length(match.group(1).strip(), "reference field name", number)
    value = match.group(2)
    _refuse_markers(name, "a reference's field name", number)
    _refuse_markers(value, "a reference's field", number)
    known = reference_field(name)
    if known is None:
        entry.extras.append((name, _check_length(value, f"{name!r} value", number)))
        return
    _check_length(value, known.key, number, known.max_length)
    problem = known.problem(value)
    if problem:
        raise WikitextError(f"{known.key}: {problem}", number)
    if known.repeatable:
        entry.authors.append(value)
        return
    if known.attr in entry.lines:
        raise WikitextError(
            f"the field {known.key!r} appears twice in the reference [^{entry.key}] "
            f"(first on line {entry.lines[known.attr]})",
            number,
        )
    entry.lines[known.attr] = number
    entry.values[known.attr] = value.casefold() if known.kind == "type" else value


def _join(chunks: list[_Chunk]) -> str:
    return "\n\n".join("\n".join(chunk.lines) for chunk in chunks)
