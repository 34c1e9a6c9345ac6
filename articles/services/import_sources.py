"""The files of an import: reading and parsing them, and refusing the first
bad one (or a repeated title) with ImportFailed naming its file and line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import wikitext


class ImportFailed(Exception):
    """An import that wrote nothing; the message names the file and line."""


# A file to import: its name, and its bytes or the path to read them from.
# Paths are read when their batch comes, twice (checked, then imported), so
# that an import of any size holds one batch of documents in memory.
Source = tuple[str, "bytes | Path"]


class _TitleCheck:
    """No title twice in one import."""

    def __init__(self):
        self.first_file: dict[str, str] = {}

    def add(self, name: str, title: str) -> None:
        if title in self.first_file:
            raise ImportFailed(
                f"{name}:1: the title {title!r} is also the title of {self.first_file[title]}"
            )
        self.first_file[title] = name


def _read(data: bytes | Path) -> bytes:
    return data.read_bytes() if isinstance(data, Path) else data


def _parse(name: str, data: bytes | Path) -> wikitext.ArticleDoc:
    try:
        return wikitext.parse(wikitext.decode(_read(data)))
    except wikitext.WikitextError as exc:
        raise ImportFailed(exc.located(name)) from None


def _parse_sources(sources: Iterable[Source]) -> Iterator[tuple[str, wikitext.ArticleDoc]]:
    """Every file parsed, one at a time; the first bad one raises
    ImportFailed naming its file and line."""
    check = _TitleCheck()
    for name, data in sources:
        doc = _parse(name, data)
        check.add(name, doc.title)
        yield name, doc
