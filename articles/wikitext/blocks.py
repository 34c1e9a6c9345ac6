"""Block text: paragraphs and ``- item`` lists separated by blank lines.

Shared by the parser (which reads them from a document) and by whoever stores
or renders lead and section text, so that text saved anywhere can always be
written back out and read in again as the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import WikitextError
from .language import LANGUAGE_PREFIX, is_language_line

# Tab and newline are the only control characters a document may hold; NUL
# and friends cannot even be stored in PostgreSQL text. U+FFFE, U+FFFF and
# lone surrogates are refused too: XML 1.0 forbids them, and one of them in
# a title or lead would make the Atom feed unparseable.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 cannot hold at all (CR is allowed; \x7f is, but is refused above).
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BULLET_RE = re.compile(r"^- \S")
INFOBOX_LINE = "Infobox"


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


Block = Paragraph | BulletList


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_characters(text: str, first_line: int = 1) -> None:
    """Raise on control characters, naming the line they are on."""
    match = _CONTROL_RE.search(text)
    if match:
        line = first_line + text.count("\n", 0, match.start())
        code = ord(match.group())
        what = "control character" if code < 0x80 else "character"
        raise WikitextError(f"{what} U+{code:04X} is not allowed", line)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids: the last guard for
    feeds and sitemaps, for text that reached the database some other way."""
    return _XML_FORBIDDEN_RE.sub("", text)


def normalize_text(text: str) -> str:
    """Canonical block text: LF, no trailing spaces, single blank lines, no
    blank lines at either end."""
    lines = [line.rstrip() for line in normalize_newlines(text).split("\n")]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return "\n\n".join("\n".join(block) for block in blocks if block)


def is_bullet_line(line: str) -> bool:
    return bool(_BULLET_RE.match(line))


def is_bullet_list(lines: list[str]) -> bool:
    return bool(lines) and all(map(is_bullet_line, lines))


def to_block(lines: list[str]) -> Block:
    if is_bullet_list(lines):
        return BulletList(tuple(line[2:] for line in lines))
    return Paragraph("\n".join(lines))


def split_blocks(text: str) -> list[Block]:
    """Typed blocks of normalised block text."""
    return [to_block(chunk.split("\n")) for chunk in text.split("\n\n") if chunk]


# The longest lead or section body, in characters. Markdown is rendered
# when text is saved (cmark-gfm: at worst about 2 s per million characters
# of dense markup, most of it nh3 and the rewriting of typed HTML); this
# bounds one text to a quarter of a second, far above any real section.
MAX_TEXT_LENGTH = 128 * 1024


def check_text_length(text: str, first_line: int = 1) -> None:
    """Raise if a lead or section body is longer than MAX_TEXT_LENGTH,
    naming the line it starts on."""
    if len(text) > MAX_TEXT_LENGTH:
        raise WikitextError(
            f"the text that starts here is {len(text):,} characters long; a lead or "
            f"section may hold at most {MAX_TEXT_LENGTH:,}: split it into sections",
            first_line,
        )


def check_block_text(text: str, *, lead: bool = False) -> None:
    """Raise if text stored as a lead or section body would not read back as
    itself: a line that looks like a heading, or a lead starting with the
    ``Infobox`` line. Line numbers count within ``text``."""
    text = normalize_newlines(text)
    check_characters(text)
    check_text_length(text)
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("="):
            raise WikitextError("a line may not start with '=' (that makes a heading)", number)
    first = normalize_text(text).split("\n", 1)[0]
    if lead and first == INFOBOX_LINE:
        raise WikitextError(f"the lead may not start with the line {INFOBOX_LINE!r}", 1)
    if lead and is_language_line(first):
        # It would read back as the article's language (language.py).
        raise WikitextError(
            f"the lead may not start with '{LANGUAGE_PREFIX}': that line names the "
            "article's language, which its Language field holds", 1
        )


def check_line(value: str) -> None:
    """Raise unless value fits on one line of a document (title, infobox
    value, See also title)."""
    if "\n" in value or "\r" in value:
        raise WikitextError("must be a single line", 1)
    check_characters(value)
