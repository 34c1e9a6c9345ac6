"""Reading rendered pages the way a reader sees them."""

import re
from html import unescape
from html.parser import HTMLParser


_INLINE = {"a", "abbr", "b", "code", "em", "i", "mark", "small", "span", "strong", "sub", "sup", "time"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text with tags removed and white space collapsed."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", unescape("".join(parser.parts))).strip()


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for the seed's English)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]
