"""Read wiki-text into an :class:`ArticleDoc`.

``parse(dump(doc)) == doc`` for every valid document, and
``dump(parse(text)) == text`` for every canonical text. Harmless variants
(CRLF, a byte-order mark, a missing final newline, ``== Heading ==``, trailing
spaces, extra blank lines) are accepted and written back canonically.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

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
from .names import name_problem, normalize_name
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

    if chunks and chunks[0].level == 0 and chunks[0].lines[0] == INFOBOX_LINE:
        doc.infobox = _parse_infobox(chunks.popleft())
    lead: list[_Chunk] = []
    while chunks and chunks[0].level == 0:
        lead.append(chunks.popleft())
    doc.lead = _join(lead)
    check_text_length(doc.lead, lead[0].start if lead else 1)

    see_also_line = 0
    while chunks:
        heading = chunks.popleft()
        body: list[_Chunk] = []
        while chunks and chunks[0].level == 0:
            body.append(chunks.popleft())
        if heading.level == 2 and heading.heading.casefold() == SEE_ALSO.casefold():
            if see_also_line:
                raise WikitextError(
                    f"a second 'See also' section (the first is on line {see_also_line})",
                    heading.start,
                )
            see_also_line = heading.start
            doc.see_also = _parse_see_also(body)
        else:
            text = _join(body)
            check_text_length(text, body[0].start if body else heading.start)
            doc.sections.append(Section(heading.heading, heading.level, text))
    return doc


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
    return opening, _check_length(text, "heading", number)


def _parse_infobox(chunk: _Chunk) -> Infobox:
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
        value = _check_length(match.group(2), "infobox value", number)
        known = field_for_key(key)
        if known is None:
            infobox.extras.append(ExtraRow(key, value, index))
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
    return infobox


def _check_title(value: str, number: int) -> str:
    """A title in its one stored form (see names.py): NFC, without
    invisible characters; refused without a visible character or with a
    bidirectional override."""
    problem = name_problem(value)
    if problem:
        raise WikitextError(f"the title {_plain(problem)}", number)
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
            title = _check_title(line[2:], chunk.start + offset)
            if title.startswith("=") or title.endswith("="):
                raise WikitextError(
                    "a title may not start or end with '='", chunk.start + offset
                )
            titles.append(title)
    return titles


def _check_length(value: str, what: str, number: int) -> str:
    if len(value) > MAX_LINE_LENGTH:
        raise WikitextError(
            f"the {what} is {len(value)} characters long; at most {MAX_LINE_LENGTH} are allowed",
            number,
        )
    return value


def _join(chunks: list[_Chunk]) -> str:
    return "\n\n".join("\n".join(chunk.lines) for chunk in chunks)
