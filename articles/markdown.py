"""Markdown for leads and section bodies: CommonMark without raw HTML, plus
``[[Article title]]`` and ``[[Article title|label]]`` links, sanitised.

Rendered once when text is saved (see ``services.article_refresh``), never
on a request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_LINK_RE = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]+))?\]\]")

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "em", "strong", "code", "pre", "blockquote",
    "a", "span", "hr", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "sub", "sup", "del",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Relative links (our own pages) and the web; never javascript: or data:.
URL_SCHEMES = {"http", "https", "mailto"}


def link_titles(text: str) -> list[str]:
    """The titles that ``[[...]]`` links in ``text`` name, in order, once each."""
    return list(dict.fromkeys(match.group(1).strip() for match in _LINK_RE.finditer(text)))


def render(text: str, urls: Mapping[str, str]) -> str:
    """Markdown to safe HTML. ``urls`` maps linked titles to the URLs of
    existing articles; titles it leaves out are shown as missing."""
    return _cleaner.clean(_md.render(text, {"wikilink_urls": urls}))


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = _LINK_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        title = match.group(1).strip()
        token.meta = {"title": title, "label": (match.group(2) or title).strip()}
    state.pos = match.end()
    return True


def _render_wikilink(renderer, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    url = env.get("wikilink_urls", {}).get(meta["title"])
    label = escape(meta["label"])
    if url:
        return f'<a href="{escape(url)}">{label}</a>'
    return f'<span class="missing" title="{escape(meta["title"])}: no article yet">{label}</span>'


# Built once: nh3.clean() would convert these settings for every call.
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
)
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table")
_md.enable("strikethrough")
_md.inline.ruler.before("link", "wikilink", _wikilink_rule)
_md.add_render_rule("wikilink", _render_wikilink)
