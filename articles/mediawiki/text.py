"""Text rules of the converter: escaping for our Markdown, cleaning for
plain-text fields, and the names MediaWiki gives titles and templates.

Every pattern here is linear: possessive or bounded quantifiers only, so
that hostile input (long runs of brackets, pipes or spaces) costs no more
than ordinary text.
"""

from __future__ import annotations

import re
import unicodedata

from articles.wikitext.names import normalize_name

# Characters that neither our parser nor PostgreSQL accept; removed from the
# input before anything else (see wikitext.blocks.check_characters). The
# converter's own sentinels (below) are removed too, so that input cannot
# forge them.
_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Sentinels written by the converter while it assembles text, replaced at
# the end. Control characters: the input never holds them (removed above).
SEP = "\x1f"  # between the items of a plain-text list
INDENT = "\x1e"  # one space of a nested list item's indentation
BULLET = "\x1c"  # "- " of a bulleted list item
NUMBER = "\x1d"  # "1. " of an ordered list item
BREAK = "\x1b"  # a paragraph break inside an inline run (block tags)


def clean_input(text: str) -> str:
    """The page's markup with LF line endings and without the characters
    our format refuses (NUL and the other C0 controls but tab and newline)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN_RE.sub("", text)


def strip_forbidden(text: str) -> str:
    """For text made from entities (``&#1;``) after the input was cleaned."""
    return _FORBIDDEN_RE.sub("", text)


# --- Markdown ----------------------------------------------------------------------

# "|name=" after a pipe: what a template parameter looks like.
PARAM_AFTER_PIPE = re.compile(r"\s*+[\w-]++\s*+=")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MD_SPECIAL_RE = re.compile(r"\{\{++|\}\}++|''++|~~++|[\\`*\[|<&_]")


def _md_escape(match: re.Match[str]) -> str:
    found = match.group()
    text, start = match.string, match.start()
    first = found[0]
    if len(found) > 1:
        # A run that MediaWiki or Markdown would read as markup ({{, '', ~~):
        # every character escaped but, for apostrophes, the first.
        if first == "'":
            return "'" + "\\'" * (len(found) - 1)
        return ("\\" + first) * len(found)
    if first in "\\`*[":
        return "\\" + first
    if first == "|":
        # "\|" would still read as "|name=" to whoever looks for leftover
        # template parameters; the entity renders as the same "|".
        return "&#124;" if PARAM_AFTER_PIPE.match(text, start + 1) else "\\|"
    if first == "<":
        after = text[start + 1 : start + 2]
        return "&lt;" if after and (after.isalpha() or after in "/!?") else "<"
    if first == "&":
        return "\\&" if _ENTITY_RE.match(text, start) else "&"
    # "_": emphasis only at a word's edge; snake_case stays as written.
    before, after = text[start - 1 : start], text[start + 1 : start + 2]
    return "_" if before.isalnum() and after.isalnum() else "\\_"


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows it as written: the characters that
    would start emphasis, links, markers (``[^``), code, tables or HTML are
    escaped, and runs of ``{``, ``}`` and apostrophes too, so that no
    MediaWiki markup survives in what is stored."""
    return _MD_SPECIAL_RE.sub(_md_escape, text)


_ORDERED_START_RE = re.compile(r"[0-9]{1,9}(?=[.)])")


def escape_line_start(line: str) -> str:
    """A line of text whose first characters would make a block (a heading,
    quote, list, our own ``==heading==``) escaped to stay text."""
    if not line:
        return line
    if line[0] in "#>+-=":
        return "\\" + line
    match = _ORDERED_START_RE.match(line)
    if match:
        return line[: match.end()] + "\\" + line[match.end() :]
    return line


# --- plain text --------------------------------------------------------------------

_SPACE_RE = re.compile(r"\s++")
_PLAIN_RE = re.compile(r"\{\{++|\}\}++|\[\[++|\]\]++|''++|(?i:<(?=ref))")
_PIPE_PARAM_RE = re.compile(r"\|(?=\s*+[\w-]++\s*+=)")


def _plain_replace(match: re.Match[str]) -> str:
    found = match.group()
    return "" if found == "<" else found[0]


def clean_plain(text: str) -> str:
    """One line of plain text for a field our format stores as written (an
    infobox value, a reference's title, a heading): whitespace collapsed,
    and what would read as MediaWiki markup or as a citation marker
    defused (a run of ``{``, ``[`` or apostrophes becomes one character,
    ``[^`` gets a space, ``|name=`` a broken bar)."""
    text = _SPACE_RE.sub(" ", text.replace(SEP, " ")).strip()
    text = _PLAIN_RE.sub(_plain_replace, text)
    text = _PIPE_PARAM_RE.sub("\u00a6", text)
    return text.replace("[^", "[ ^")


def clean_name(text: str) -> str:
    """A title or name: plain text in its stored form, without the
    bidirectional controls the parser refuses in names."""
    return normalize_name(_BIDI_RE.sub("", clean_plain(text)))


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


# --- MediaWiki names ---------------------------------------------------------------


def page_title(text: str) -> str:
    """A MediaWiki title as our parser stores it: underscores are spaces,
    whitespace is collapsed, the first letter is a capital (MediaWiki treats
    ``[[dari]]`` and ``[[Dari]]`` as one page)."""
    title = clean_name(text.replace("_", " "))
    return title[:1].upper() + title[1:]


def template_name(text: str) -> str:
    """A template's name as it is counted and compared: without a
    ``Template:`` prefix, underscores as spaces, whitespace collapsed, the
    first letter a capital."""
    name = _SPACE_RE.sub(" ", text.replace("_", " ")).strip()
    if name[:9].casefold() == "template:":
        name = name[9:].strip()
    return name[:1].upper() + name[1:]


def slug(text: str, limit: int) -> str:
    """Lowercase ASCII letters, digits and hyphens, as reference keys are."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]++", "-", ascii_text.casefold()).strip("-")
    return value[:limit].strip("-")
