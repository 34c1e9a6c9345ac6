"""The converted document finished: its text blocks made to read back as
written and cut to the format's limits, sections emptied by what was dropped
removed, repeated See also titles dropped, and a last check that the whole
reads back (``wikitext.parse(wikitext.dump(doc)) == doc``)."""

from __future__ import annotations

import re
from collections import Counter

from articles import wikitext

from .text import BREAK, BULLET, INDENT, NUMBER, escape_line_start
from .vocabulary import SECTION_NAMES_OF_LISTS

def finish_blocks(text: str) -> str:
    """The walk's Markdown as our block text: each line without leading
    whitespace (MediaWiki's indented lines would be code blocks), the list
    sentinels as Markdown, text that starts a line escaped so that it stays
    text, and blank lines around lists."""
    lines: list[str] = []
    previous_list = False
    for line in text.replace(BREAK, "\n\n").split("\n"):
        line = line.lstrip(" \t")
        indent = len(line) - len(line.lstrip(INDENT))
        line = line.lstrip(INDENT).lstrip(" \t")
        prefix = ""
        if line[:1] in (BULLET, NUMBER):
            prefix = "- " if line[0] == BULLET else "1. "
            line = line[1:].lstrip(" \t")
            if not line.strip():
                continue  # an empty item
        line = line.replace(INDENT, "").replace(BULLET, "").replace(NUMBER, "")
        if not prefix:
            line = escape_line_start(line)
        elif line[:1] in "#>+-=" or re.match(r"[0-9]{1,9}[.)]", line):
            line = escape_line_start(line)
        is_list = bool(prefix)
        if line.strip() and lines and lines[-1] and is_list != previous_list:
            lines.append("")
        if prefix:
            lines.append(" " * indent + prefix + line)
        else:
            lines.append(line)
        if line.strip():
            previous_list = is_list
        else:
            previous_list = False
    return wikitext.normalize_text("\n".join(lines))


def cut_blocks(text: str, limit: int) -> str:
    kept: list[str] = []
    size = 0
    for block in text.split("\n\n"):
        if size + len(block) + 2 > limit:
            break
        kept.append(block)
        size += len(block) + 2
    return "\n\n".join(kept)


def without_emptied(sections: list[tuple[wikitext.Section, bool]]) -> list[wikitext.Section]:
    """The sections but those whose content was all dropped (a References
    section holding only the list, a gallery), unless subsections follow."""
    kept = []
    for index, (section, had_content) in enumerate(sections):
        following = sections[index + 1][0] if index + 1 < len(sections) else None
        emptied = not section.body and had_content
        if emptied and not (following is not None and following.level > section.level):
            continue
        if not section.body and section.heading.casefold() in SECTION_NAMES_OF_LISTS and not (
            following is not None and following.level > section.level
        ):
            continue
        kept.append(section)
    return kept


def dedupe(items: list, key=lambda item: item) -> None:
    seen = set()
    unique = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            unique.append(item)
    items[:] = unique


def safety_net(doc: wikitext.ArticleDoc, dropped: Counter[str]) -> None:
    """The promise checked: the document reads back as itself. A part that
    does not (which would be a converter bug) is dropped and counted rather
    than returned broken."""
    if _reads_back(doc):
        return
    for index in range(len(doc.sections) - 1, -1, -1):
        probe = wikitext.ArticleDoc(doc.title, references=doc.references, sections=[doc.sections[index]])
        if not _reads_back(probe):
            dropped["unconvertible section"] += 1
            del doc.sections[index]
    if not _reads_back(wikitext.ArticleDoc(doc.title, lead=doc.lead, references=doc.references)):
        dropped["unconvertible lead"] += 1
        doc.lead = ""
    if not _reads_back(wikitext.ArticleDoc(doc.title, infobox=doc.infobox, references=doc.references)):
        dropped["unconvertible infobox"] += 1
        doc.infobox = wikitext.Infobox()
    if not _reads_back(wikitext.ArticleDoc(doc.title, see_also=doc.see_also)):
        dropped["unconvertible see also"] += 1
        doc.see_also = []
    if not _reads_back(doc):
        dropped["unconvertible text"] += 1
        doc.lead, doc.sections, doc.infobox = "", [], wikitext.Infobox()
        doc.see_also, doc.references = [], []


def _reads_back(doc: wikitext.ArticleDoc) -> bool:
    try:
        return wikitext.parse(wikitext.dump(doc)) == doc
    except wikitext.WikitextError:
        return False
