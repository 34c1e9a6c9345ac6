"""Markdown for leads and section bodies: CommonMark without raw HTML, plus
``[[Article title]]`` and ``[[Article title|label]]`` links, sanitised.

Parsed and rendered by cmark-gfm (GitHub's C implementation, through the
``cmarkgfm`` package): its work is linear in the text, where pure-Python
markdown-it took seconds per megabyte of dense brackets or emphasis.
Rendered once when text is saved (see ``services.article_refresh``), never
on a request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html import escape

import cffi
import nh3
from cmarkgfm import _cmark

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
    return _cleaner.clean(_to_html(text, urls))


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

# A wiki-link is swapped for a placeholder before parsing, so that cmark sees
# one run of plain text (markdown-it's wikilink rule read the raw source: the
# label is never Markdown, and "[[a]](/url)" is no link). The brackets are
# Unicode punctuation like "[" and "]", so emphasis next to a link parses the
# same; the private-use character keeps editors' text from looking like one.
_PLACEHOLDER = "\u2045\ue000{}\u2046"
_PLACEHOLDER_RE = re.compile("\u2045\ue000([0-9]+)\u2046")
# An HTML block re-parsed as Markdown: its lines that start with "<".
_LINE_START_TAG_RE = re.compile(r"^( {0,3})<", re.MULTILINE)


def _to_html(text: str, urls: Mapping[str, str]) -> str:
    links: list[re.Match[str]] = []

    def hide(match: re.Match[str]) -> str:
        links.append(match)
        return _PLACEHOLDER.format(len(links) - 1)

    # NUL is U+FFFD in CommonMark; done first so that our C strings (the
    # wiki-links' HTML) never end early at one.
    source = _LINK_RE.sub(hide, text.replace("\0", "\ufffd"))
    parser, doc = _parse(source)
    try:
        if "<" in source or links:
            _rewrite(doc, links, urls)
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


def _rewrite(doc, links: list[re.Match[str]], urls: Mapping[str, str]) -> None:
    """Typed HTML becomes text, placeholders become wiki-links where they
    are text and their source everywhere else (code, URLs, titles)."""

    def source_of(value: str) -> str:
        return _PLACEHOLDER_RE.sub(
            lambda m: links[int(m.group(1))].group(0) if int(m.group(1)) < len(links)
            else m.group(0), value)

    # Each round turns the HTML nodes found into Markdown; HTML blocks
    # re-parsed may hold more (a "- <div>" line), so until none are left.
    while True:
        _lib.cmark_consolidate_text_nodes(doc)
        html_blocks, texts, typed_tags = [], [], False
        for node_type, node in _nodes(doc):
            if node_type == _HTML_BLOCK:
                html_blocks.append(node)
            elif node_type == _HTML_INLINE:
                # markdown-it with html=False: a typed tag is text (and the
                # next round joins it to its neighbours, for "[[a<b>]]").
                _insert_before(node, _TEXT, _get(_lib.cmark_node_get_literal, node))
                _lib.cmark_node_free(node)
                typed_tags = True
            elif links:
                if node_type == _TEXT:
                    texts.append(node)
                elif node_type in (_CODE, _CODE_BLOCK):
                    _restore(node, _lib.cmark_node_get_literal, _lib.cmark_node_set_literal,
                             source_of)
                    if node_type == _CODE_BLOCK:
                        _restore(node, _lib.cmark_node_get_fence_info,
                                 _lib.cmark_node_set_fence_info, source_of)
                elif node_type in (_LINK, _IMAGE):
                    _restore(node, _lib.cmark_node_get_url, _lib.cmark_node_set_url, source_of)
                    _restore(node, _lib.cmark_node_get_title, _lib.cmark_node_set_title,
                             source_of)
        if html_blocks:
            _reparse_html_blocks(html_blocks)
        elif not typed_tags:
            break
    for node in texts:
        _split_wikilinks(node, links, urls, source_of)


def _restore(node, getter, setter, source_of) -> None:
    value = _get(getter, node)
    if "\ue000" in value:
        setter(node, source_of(value).encode())


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


def _split_wikilinks(node, links: list[re.Match[str]], urls: Mapping[str, str],
                     source_of) -> None:
    literal = _get(_lib.cmark_node_get_literal, node)
    if "\ue000" not in literal:
        return
    parent = _lib.cmark_node_parent(node)
    if _lib.cmark_node_get_type(parent) == _LINK:
        url = _get(_lib.cmark_node_get_url, parent)
        restored = source_of(literal)
        if url in (restored, "mailto:" + restored):
            # An autolink's text is its URL, as markdown-it left it.
            _lib.cmark_node_set_literal(node, restored.encode())
            return
    pos = 0
    for match in _PLACEHOLDER_RE.finditer(literal):
        index = int(match.group(1))
        if index >= len(links):
            continue
        if match.start() > pos:
            _insert_before(node, _TEXT, literal[pos:match.start()])
        title = links[index].group(1).strip()
        label = (links[index].group(2) or title).strip()
        _insert_before(node, _HTML_INLINE, _render_wikilink(title, label, urls))
        pos = match.end()
    if pos < len(literal):
        _insert_before(node, _TEXT, source_of(literal[pos:]))
    _lib.cmark_node_free(node)


# Built once: nh3.clean() would convert these settings for every call.
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
)
