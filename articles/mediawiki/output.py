"""Where the converter writes: Markdown for the lead and sections, plain
text for one-line values (titles, infobox values, reference fields); and
reading a tag's name and attributes."""

from __future__ import annotations

from mwparserfromhell import nodes

from articles.wikitext.references import Marker

from .text import SEP, clean_plain, escape_markdown


class Markdown:
    """Markdown being written: runs of text are escaped together, so that
    markup split over several text nodes ("{" "{") is escaped as a whole."""

    mode = "markdown"

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending: list[str] = []

    def text(self, value: str) -> None:
        self.pending.append(value)

    def markup(self, value: str) -> None:
        self._flush()
        self.parts.append(value)

    def separator(self) -> None:
        self.text(", ")

    def at_line_start(self) -> bool:
        last = next((p for p in reversed(self.pending) if p), None)
        if last is None:
            last = next((p for p in reversed(self.parts) if p), "\n")
        return last.endswith("\n")

    def markers(self, markers: tuple[Marker, ...]) -> None:
        if not markers:
            return
        self._flush()
        # Straight after the text it supports, as our markers stand.
        while self.parts:
            last = self.parts[-1].rstrip(" \t")
            if last:
                self.parts[-1] = last
                break
            self.parts.pop()
        self.parts.append("".join(map(str, markers)))

    def _flush(self) -> None:
        if self.pending:
            self.parts.append(escape_markdown("".join(self.pending)))
            self.pending = []

    def value(self) -> str:
        self._flush()
        return "".join(self.parts)


class Plain:
    """Plain text being written: items separated by SEP; the markers of the
    refs met, for an infobox row."""

    mode = "plain"

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.found: list[Marker] = []
        self.urls: list[str] = []
        self.prefer_urls = False

    def text(self, value: str) -> None:
        self.parts.append(value)

    markup = text

    def separator(self) -> None:
        self.parts.append(SEP)

    def markers(self, markers: tuple[Marker, ...]) -> None:
        self.found.extend(markers)

    def value(self) -> str:
        return "".join(self.parts)


def tag_name(tag: nodes.Tag) -> str:
    return str(tag.tag).strip().casefold()


def attribute(tag: nodes.Tag, name: str) -> str:
    for attribute in tag.attributes:
        if str(attribute.name).strip().casefold() == name:
            return clean_plain(str(attribute.value or "").strip().strip("\"'"))
    return ""
