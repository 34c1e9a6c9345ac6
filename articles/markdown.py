"""Markdown for leads and section bodies: CommonMark without raw HTML, plus
``[[Article title]]`` and ``[[Article title|label]]`` links and, given a
``markers`` function (see ``articles.citations``), citation markers
``[^key]``, sanitised.

Parsed and rendered by cmark-gfm (GitHub's C implementation, through the
``cmarkgfm`` package): its work is linear in the text, where pure-Python
markdown-it took seconds per megabyte of dense brackets or emphasis.
Rendered once when text is saved (see ``services.article_refresh``), never
on a request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape

import cffi
import nh3
from cmarkgfm import _cmark

from .wikitext import references
from .wikitext.references import Marker

_LINK_RE = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]+))?\]\]")

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "em", "strong", "code", "pre", "blockquote",
    "a", "span", "hr", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "sub", "sup", "del",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class", "title"},
    # Citation superscripts (articles.citations): the id is what the
    # References list links back to.
    "sup": {"class", "id"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Relative links (our own pages) and the web; never javascript: or data:.
URL_SCHEMES = {"http", "https", "mailto"}


def link_titles(text: str) -> list[str]:
    """The titles that ``[[...]]`` links in ``text`` name, in order, once each."""
    return list(dict.fromkeys(match.group(1).strip() for match in _LINK_RE.finditer(text)))


# What a citation marker becomes: (its HTML in text, its HTML inside a
# link's text, where a second link cannot go). Called once per marker of the
# text, in the order they are written, also for those that end up inside
# code (shown as written): the caller counts uses as the text's markers are.
MarkerHTML = Callable[[Marker], tuple[str, str]]


def render(text: str, urls: Mapping[str, str], *, markers: MarkerHTML | None = None) -> str:
    """Markdown to safe HTML. ``urls`` maps linked titles to the URLs of
    existing articles; titles it leaves out are shown as missing. With
    ``markers``, each citation marker is replaced by the HTML it returns
    (a marker is opaque to Markdown: a "|" in its locator splits no table
    cell, a "*" starts no emphasis); without, markers are text."""
    return _cleaner.clean(_to_html(text, urls, markers))


# A missing [[link]] as render() stores it (after nh3, which escapes the
# title's & and " and the label's & < >).
_MISSING_RE = re.compile(r'<span class="missing" title="([^"<>]*): no article yet">([^<>]*)</span>')


def missing_link_titles(html: str) -> set[str]:
    """The titles of the [[links]] that ``html`` (from ``render``) shows as missing."""
    return {unescape(match.group(1)) for match in _MISSING_RE.finditer(html)}


def link_missing(html: str, urls: Mapping[str, str]) -> str:
    """``html`` (from ``render``) with the missing [[links]] whose title
    ``urls`` maps made links to that URL: the stored text links articles,
    and the page links what no article has but a place or person does
    (``lookups.name_targets``), read when the page is built so that a new
    person or place needs no article rendered again."""
    if not urls or "missing" not in html:
        return html

    def link(match: re.Match[str]) -> str:
        url = urls.get(unescape(match.group(1)))
        if not url:
            return match.group(0)
        # As nh3 writes the links it keeps.
        return f'<a href="{escape(url)}" rel="noopener noreferrer">{match.group(2)}</a>'

    return _MISSING_RE.sub(link, html)


def _render_wikilink(title: str, label: str, urls: Mapping[str, str]) -> str:
    url = urls.get(title)
    label = escape(label)
    if url:
        return f'<a href="{escape(url)}">{label}</a>'
    return f'<span class="missing" title="{escape(title)}: no article yet">{label}</span>'


# --- cmark-gfm -----------------------------------------------------------------------
#
# cmarkgfm's own cffi module declares only parse-and-render; the tree API
# (iterator, node edits, freeing) is compiled into the same shared library
# and exported, so it is declared here and called from that library.

_ffi = cffi.FFI()
_ffi.cdef("""
typedef struct cmark_node cmark_node;
typedef struct cmark_parser cmark_parser;
typedef struct cmark_iter cmark_iter;
typedef struct cmark_llist cmark_llist;
typedef struct cmark_syntax_extension cmark_syntax_extension;
typedef struct cmark_mem {
  void *(*calloc)(size_t, size_t);
  void *(*realloc)(void *, size_t);
  void (*free)(void *);
} cmark_mem;
void cmark_gfm_core_extensions_ensure_registered(void);
cmark_syntax_extension *cmark_find_syntax_extension(const char *name);
cmark_parser *cmark_parser_new(int options);
int cmark_parser_attach_syntax_extension(cmark_parser *parser, cmark_syntax_extension *ext);
void cmark_parser_feed(cmark_parser *parser, const char *buffer, size_t len);
cmark_node *cmark_parser_finish(cmark_parser *parser);
cmark_llist *cmark_parser_get_syntax_extensions(cmark_parser *parser);
void cmark_parser_free(cmark_parser *parser);
char *cmark_render_html(cmark_node *root, int options, cmark_llist *extensions);
cmark_mem *cmark_get_default_mem_allocator(void);
void cmark_consolidate_text_nodes(cmark_node *root);
cmark_iter *cmark_iter_new(cmark_node *root);
int cmark_iter_next(cmark_iter *iter);
cmark_node *cmark_iter_get_node(cmark_iter *iter);
void cmark_iter_free(cmark_iter *iter);
cmark_node *cmark_node_new(int type);
void cmark_node_free(cmark_node *node);
int cmark_node_get_type(cmark_node *node);
const char *cmark_node_get_type_string(cmark_node *node);
cmark_node *cmark_node_parent(cmark_node *node);
cmark_node *cmark_node_first_child(cmark_node *node);
cmark_node *cmark_node_next(cmark_node *node);
cmark_node *cmark_node_previous(cmark_node *node);
cmark_node *cmark_node_last_child(cmark_node *node);
int cmark_node_append_child(cmark_node *node, cmark_node *child);
int cmark_node_get_start_line(cmark_node *node);
int cmark_node_get_end_line(cmark_node *node);
const char *cmark_node_get_literal(cmark_node *node);
int cmark_node_set_literal(cmark_node *node, const char *content);
const char *cmark_node_get_url(cmark_node *node);
int cmark_node_set_url(cmark_node *node, const char *url);
const char *cmark_node_get_title(cmark_node *node);
int cmark_node_set_title(cmark_node *node, const char *title);
const char *cmark_node_get_fence_info(cmark_node *node);
int cmark_node_set_fence_info(cmark_node *node, const char *info);
int cmark_node_insert_before(cmark_node *node, cmark_node *sibling);
""")
_lib = _ffi.dlopen(_cmark.__file__)

# Node types (cmark-gfm.h); checked against the library's names below.
_BLOCK_QUOTE = 0x8002
_CODE_BLOCK = 0x8005
_HTML_BLOCK = 0x8006
_PARAGRAPH = 0x8008
_TEXT = 0xC001
_SOFTBREAK = 0xC002
_CODE = 0xC004
_HTML_INLINE = 0xC005
_LINK = 0xC009
_IMAGE = 0xC00A
_EVENT_DONE = 1
_EVENT_ENTER = 2

# Single "~" is text, as in markdown-it.
_OPTIONS = _cmark.lib.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
# Rendering writes inline HTML nodes as they are: by then the only ones are
# our wiki-links (typed HTML is text, see _rewrite), and nh3 cleans after.
_RENDER_OPTIONS = _OPTIONS | _cmark.lib.CMARK_OPT_UNSAFE
_lib.cmark_gfm_core_extensions_ensure_registered()
_EXTENSIONS = [_lib.cmark_find_syntax_extension(name) for name in (b"table", b"strikethrough")]
if _ffi.NULL in _EXTENSIONS:
    raise ImportError("cmark-gfm has no table or strikethrough extension")


def _check_node_types() -> None:
    for node_type, name in [
        (_BLOCK_QUOTE, b"block_quote"), (_CODE_BLOCK, b"code_block"),
        (_HTML_BLOCK, b"html_block"), (_PARAGRAPH, b"paragraph"), (_TEXT, b"text"),
        (_SOFTBREAK, b"softbreak"), (_CODE, b"code"),
        (_HTML_INLINE, b"html_inline"),
        (_LINK, b"link"), (_IMAGE, b"image"),
    ]:
        node = _lib.cmark_node_new(node_type)
        found = _ffi.string(_lib.cmark_node_get_type_string(node))
        _lib.cmark_node_free(node)
        if found != name:
            raise ImportError(f"cmark-gfm node type {node_type:#x} is {found!r}, not {name!r}")


_check_node_types()

# A wiki-link or citation marker is swapped for a placeholder before
# parsing, so that cmark sees one run of plain text (markdown-it's wikilink
# rule read the raw source: the label is never Markdown, and "[[a]](/url)"
# is no link). The brackets are Unicode punctuation like "[" and "]", so
# emphasis next to a link parses the same; the private-use character is one
# the text does not hold, so that no editor's text can pass for one.
_OPEN, _CLOSE = "\u2045", "\u2046"
_MARKS = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
# An HTML block re-parsed as Markdown: its lines that start with "<".
_LINE_START_TAG_RE = re.compile(r"^( {0,3})<", re.MULTILINE)


@lru_cache(maxsize=8)
def _placeholder_re(mark: str) -> re.Pattern[str]:
    return re.compile(f"{_OPEN}{mark}([0-9]+){_CLOSE}")


def _free_mark(text: str) -> str:
    """A private-use character that ``text`` does not hold."""
    if "\ue000" not in text:
        return "\ue000"
    used = set(text)
    for codes in _MARKS:
        for code in codes:
            if chr(code) not in used:
                return chr(code)
    raise ValueError("the text holds every private-use character")


@dataclass
class _Hidden:
    """What the text's placeholders stand for, by number: the text as
    written (``sources``), and a wiki-link's match or a marker's HTML."""

    mark: str
    sources: list[str] = field(default_factory=list)
    links: dict[int, re.Match[str]] = field(default_factory=dict)
    markers: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _placeholder_re(self.mark)

    def source_of(self, value: str) -> str:
        """``value`` with its placeholders put back as written."""
        return self.pattern.sub(lambda m: self.sources[int(m.group(1))], value)


def _hide(text: str, markers: MarkerHTML | None) -> tuple[str, _Hidden]:
    """``text`` with its wiki-links and (with ``markers``) citation markers
    replaced by placeholders. Both are found in the text as written, as
    ``link_titles`` and ``wikitext.find_markers`` find them; where a link
    and a marker overlap ("[^a|[[b]]]", "[[^a]]") the marker wins, as in the
    wiki-text. Linear in the length of the text."""
    hidden = _Hidden(_free_mark(text))
    found: list[tuple[int, int, Marker | re.Match[str]]] = []
    if markers is not None and references.MARKER_START in text:
        # Stored text has passed the parser, which refuses a malformed "[^";
        # one that got in anyway is left as written (as strip_markers does).
        found = [
            (start, end, marker)
            for marker, start, end in references.find_markers(text, strict=False)
        ]
    spans: list[tuple[int, int, Marker | re.Match[str]]] = []
    next_marker, marker_end = 0, 0
    for match in _LINK_RE.finditer(text):
        while next_marker < len(found) and found[next_marker][0] < match.start():
            spans.append(found[next_marker])
            marker_end = found[next_marker][1]
            next_marker += 1
        if marker_end > match.start() or (
            next_marker < len(found) and found[next_marker][0] < match.end()
        ):
            continue  # overlaps a marker
        spans.append((match.start(), match.end(), match))
    spans.extend(found[next_marker:])
    pieces: list[str] = []
    position = 0
    for start, end, item in spans:
        number = len(hidden.sources)
        hidden.sources.append(text[start:end])
        if isinstance(item, Marker):
            hidden.markers[number] = markers(item)  # in the order they are written
        else:
            hidden.links[number] = item
        pieces += [text[position:start], f"{_OPEN}{hidden.mark}{number}{_CLOSE}"]
        position = end
    pieces.append(text[position:])
    return "".join(pieces), hidden


def _to_html(text: str, urls: Mapping[str, str], markers: MarkerHTML | None = None) -> str:
    # NUL is U+FFFD in CommonMark; done first so that our C strings (the
    # wiki-links' HTML) never end early at one.
    source, hidden = _hide(text.replace("\0", "\ufffd"), markers)
    parser, doc = _parse(source)
    try:
        if "<" in source or hidden.sources:
            _rewrite(doc, hidden, urls)
        output = _lib.cmark_render_html(
            doc, _RENDER_OPTIONS, _lib.cmark_parser_get_syntax_extensions(parser))
        try:
            return _ffi.string(output).decode()
        finally:
            # Allocated by cmark's default allocator (cmarkgfm never frees it).
            _lib.cmark_get_default_mem_allocator().free(output)
    finally:
        _lib.cmark_node_free(doc)
        _lib.cmark_parser_free(parser)


def _parse(source: str):
    parser = _lib.cmark_parser_new(_OPTIONS)
    for extension in _EXTENSIONS:
        _lib.cmark_parser_attach_syntax_extension(parser, extension)
    data = source.encode()
    _lib.cmark_parser_feed(parser, data, len(data))
    return parser, _lib.cmark_parser_finish(parser)


def _nodes(root) -> Iterator[tuple[int, object]]:
    """(type, node) for every node under ``root`` once, in document order."""
    it = _lib.cmark_iter_new(root)
    try:
        while (event := _lib.cmark_iter_next(it)) != _EVENT_DONE:
            if event == _EVENT_ENTER:
                node = _lib.cmark_iter_get_node(it)
                yield _lib.cmark_node_get_type(node), node
    finally:
        _lib.cmark_iter_free(it)


def _get(getter, node) -> str:
    value = getter(node)
    return _ffi.string(value).decode() if value != _ffi.NULL else ""


def _insert_before(node, node_type: int, literal: str) -> None:
    """A new text or inline HTML node with ``literal``, before ``node``."""
    new = _lib.cmark_node_new(node_type)
    _lib.cmark_node_set_literal(new, literal.encode())
    if not _lib.cmark_node_insert_before(node, new):
        # cmark refuses a child its parent cannot hold (never for these).
        _lib.cmark_node_free(new)
        raise RuntimeError(f"cmark-gfm refused a node of type {node_type:#x}")


def _rewrite(doc, hidden: _Hidden, urls: Mapping[str, str]) -> None:
    """Typed HTML becomes text, placeholders become wiki-links and citations
    where they are text and their source everywhere else (code, URLs,
    titles)."""
    # Each round turns the HTML nodes found into Markdown; HTML blocks
    # re-parsed may hold more (a "- <div>" line), so until none are left.
    while True:
        _lib.cmark_consolidate_text_nodes(doc)
        html_blocks, typed_tags = [], False
        for node_type, node in _nodes(doc):
            if node_type == _HTML_BLOCK:
                html_blocks.append(node)
            elif node_type == _HTML_INLINE:
                # markdown-it with html=False: a typed tag is text (and the
                # next round joins it to its neighbours, for "[[a<b>]]").
                _insert_before(node, _TEXT, _get(_lib.cmark_node_get_literal, node))
                _lib.cmark_node_free(node)
                typed_tags = True
            elif hidden.sources:
                if node_type in (_CODE, _CODE_BLOCK):
                    _restore(node, _lib.cmark_node_get_literal, _lib.cmark_node_set_literal,
                             hidden)
                    if node_type == _CODE_BLOCK:
                        _restore(node, _lib.cmark_node_get_fence_info,
                                 _lib.cmark_node_set_fence_info, hidden)
                elif node_type in (_LINK, _IMAGE):
                    _restore(node, _lib.cmark_node_get_url, _lib.cmark_node_set_url, hidden)
                    _restore(node, _lib.cmark_node_get_title, _lib.cmark_node_set_title, hidden)
        if html_blocks:
            _reparse_html_blocks(html_blocks)
        elif not typed_tags:
            break
    if hidden.sources:
        for node, inside in _placeholder_texts(doc, hidden.mark):
            _split_placeholders(node, hidden, urls, inside)


# Where a text node stands, for its citations: in text, in a link's text
# (no second link inside it) or in an image's description (plain text).
_IN_TEXT, _IN_LINK, _IN_IMAGE = 0, 1, 2


def _placeholder_texts(doc, mark: str) -> list[tuple[object, int]]:
    """The text nodes holding a placeholder, each with where it stands,
    in one walk of the tree (links and images open and close)."""
    found = []
    links = images = 0
    it = _lib.cmark_iter_new(doc)
    try:
        while (event := _lib.cmark_iter_next(it)) != _EVENT_DONE:
            node = _lib.cmark_iter_get_node(it)
            node_type = _lib.cmark_node_get_type(node)
            step = 1 if event == _EVENT_ENTER else -1
            if node_type == _LINK:
                links += step
            elif node_type == _IMAGE:
                images += step
            elif node_type == _TEXT and mark in _get(_lib.cmark_node_get_literal, node):
                found.append((node, _IN_IMAGE if images else _IN_LINK if links else _IN_TEXT))
    finally:
        _lib.cmark_iter_free(it)
    return found


def _restore(node, getter, setter, hidden: _Hidden) -> None:
    value = _get(getter, node)
    if hidden.mark in value:
        setter(node, hidden.source_of(value).encode())


def _reparse_html_blocks(blocks: list) -> None:
    """Replace each HTML block by its lines parsed as Markdown, with a tag
    at the start of a line escaped so it starts no HTML block: what
    markdown-it made of them with html=False. All blocks in one parse, each
    quoted (a blank line ends a quote) so that none runs into the next."""
    lines: dict = {}  # block -> its first and last line
    fragments = []
    for block in blocks:
        literal = _get(_lib.cmark_node_get_literal, block).rstrip("\n")
        # (cmark leaves end_line 0 for a block that ends on its first line.)
        start = _lib.cmark_node_get_start_line(block)
        lines[block] = (start, start + literal.count("\n"))
        fragments.append("> " + _LINE_START_TAG_RE.sub(r"\1\\<", literal).replace("\n", "\n> "))
    # Where a block touches a paragraph (or another HTML block) on the line
    # before or after, markdown-it had one paragraph: "text\n<div>x</div>".
    joins = []  # (upper, lower) pairs, in document order
    for block in blocks:
        start, end = lines[block]
        before = _lib.cmark_node_previous(block)
        if before != _ffi.NULL:
            before_type = _lib.cmark_node_get_type(before)
            if (before_type == _HTML_BLOCK and lines[before][1] + 1 == start
                    or before_type == _PARAGRAPH
                    and _lib.cmark_node_get_end_line(before) + 1 == start):
                joins.append((before, block))
        after = _lib.cmark_node_next(block)
        if (after != _ffi.NULL and _lib.cmark_node_get_type(after) == _PARAGRAPH
                and _lib.cmark_node_get_start_line(after) == end + 1):
            joins.append((block, after))
    grafted: dict = {}  # block -> (first, last) of the nodes that replaced it
    parser, doc = _parse("\n\n".join(fragments))
    try:
        quote = _lib.cmark_node_first_child(doc)
        for block in blocks:
            if quote == _ffi.NULL or _lib.cmark_node_get_type(quote) != _BLOCK_QUOTE:
                raise RuntimeError("cmark-gfm parsed quoted HTML blocks as something else")
            next_quote = _lib.cmark_node_next(quote)
            grafted[block] = (
                _lib.cmark_node_first_child(quote), _lib.cmark_node_last_child(quote))
            while (child := _lib.cmark_node_first_child(quote)) != _ffi.NULL:
                if not _lib.cmark_node_insert_before(block, child):
                    raise RuntimeError("cmark-gfm refused a block in place of an HTML block")
            _lib.cmark_node_free(block)
            quote = next_quote
    finally:
        _lib.cmark_node_free(doc)
        _lib.cmark_parser_free(parser)
    _join_paragraphs([
        (grafted[upper][1] if upper in grafted else upper,
         grafted[lower][0] if lower in grafted else lower)
        for upper, lower in joins
    ])


def _join_paragraphs(joins: list) -> None:
    """Join each (left, right) pair of paragraphs, in document order, into one."""
    joined: dict = {}  # a right paragraph freed -> the paragraph now holding it
    for left, right in joins:
        while left in joined:
            left = joined[left]
        if _ffi.NULL in (left, right) or not all(
                _lib.cmark_node_get_type(node) == _PARAGRAPH for node in (left, right)):
            continue
        # Inline text points into its paragraph's buffer, which dies with it.
        for node_type, node in _nodes(right):
            if node_type in (_TEXT, _CODE, _HTML_INLINE):
                _lib.cmark_node_set_literal(node, _lib.cmark_node_get_literal(node))
        _lib.cmark_node_append_child(left, _lib.cmark_node_new(_SOFTBREAK))
        while (child := _lib.cmark_node_first_child(right)) != _ffi.NULL:
            _lib.cmark_node_append_child(left, child)
        _lib.cmark_node_free(right)
        joined[right] = left


def _split_placeholders(node, hidden: _Hidden, urls: Mapping[str, str], inside: int) -> None:
    literal = _get(_lib.cmark_node_get_literal, node)
    parent = _lib.cmark_node_parent(node)
    if _lib.cmark_node_get_type(parent) == _LINK:
        url = _get(_lib.cmark_node_get_url, parent)
        restored = hidden.source_of(literal)
        if url in (restored, "mailto:" + restored):
            # An autolink's text is its URL, as markdown-it left it.
            _lib.cmark_node_set_literal(node, restored.encode())
            return
    if inside == _IN_IMAGE:
        # An image's description is its alt text: plain, as written.
        _lib.cmark_node_set_literal(node, hidden.source_of(literal).encode())
        return
    pos = 0
    for match in hidden.pattern.finditer(literal):
        number = int(match.group(1))
        if match.start() > pos:
            _insert_before(node, _TEXT, literal[pos:match.start()])
        if number in hidden.links:
            link = hidden.links[number]
            title = link.group(1).strip()
            label = (link.group(2) or title).strip()
            _insert_before(node, _HTML_INLINE, _render_wikilink(title, label, urls))
        else:
            in_text, in_link = hidden.markers[number]
            _insert_before(node, _HTML_INLINE, in_link if inside == _IN_LINK else in_text)
        pos = match.end()
    if pos < len(literal):
        _insert_before(node, _TEXT, literal[pos:])
    _lib.cmark_node_free(node)


# Built once: nh3.clean() would convert these settings for every call.
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
)
