"""One MediaWiki page's markup as our wiki-text document.

``convert(text, title=...)`` parses the markup once with mwparserfromhell
and walks the tree once: text becomes our Markdown (``**bold**``,
``[[Title|label]]`` links, ``- `` lists, GFM tables), ``<ref>``s become
``[^key]`` markers and References entries, ``{{Infobox ethnic group}}`` the
infobox, categories tags, ``[[xx:Title]]`` interlanguage links. What has no
equivalent is dropped and counted by name in ``Converted.dropped``.

Its parts: ``guard`` (unclosed markup, before parsing), ``vocabulary`` (the
template, tag and namespace names it knows), ``output`` (the Markdown and
plain-text buffers it writes to), ``refs`` (references, a mixin of the
converter), ``infobox`` and ``cite`` (the templates), ``finish`` (the
document made to read back).

The promise, for every document returned: ``wikitext.parse(wikitext.dump(
doc)) == doc``, and no MediaWiki markup (``{{``, ``'''``, ``<ref``,
``|name=``, ``[[`` but our own links) in what a reader sees.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell import nodes
from mwparserfromhell.wikicode import Wikicode

from articles import wikitext
from articles.wikitext.blocks import INFOBOX_LINE, MAX_TEXT_LENGTH
from articles.wikitext.document import MAX_LINE_LENGTH, SEE_ALSO
from articles.wikitext.names import name_key, name_problem
from articles.wikitext.references import CITATION_NEEDED, REFERENCES, Marker

from . import cite
from .finish import cut_blocks, dedupe, finish_blocks, safety_net, without_emptied
from .guard import defuse
from .output import Markdown, Plain, attribute, tag_name
from .refs import References
from .vocabulary import (
    BLOCK_LISTS, BLOCK_TAGS, BOLD, CHARACTERS, CITATION_NEEDED_TEMPLATES, DROP_TAGS, FILE_PREFIXES,
    FLAGS, ITALIC, LANGUAGE_RE, LISTS, MAGIC_WORD_RE, OTHER_NAMESPACES, REFERENCE_LISTS,
    SCRIPT_LINK_RE, WRAPPERS,
)
from .infobox import build_infobox, is_infobox
from .text import (
    BREAK, BULLET, INDENT, NUMBER, SEP, clean_input, clean_name, clean_plain,
    escape_markdown, page_title, strip_forbidden, template_name,
)


class ConvertError(ValueError):
    """A page title that cannot be an article's title (the markup itself
    never raises: what cannot be converted is dropped)."""


@dataclass
class Converted:
    doc: wikitext.ArticleDoc
    tags: list[str] = field(default_factory=list)
    interlanguage: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    dropped: Counter[str] = field(default_factory=Counter)


def convert(text: str, *, title: str, language: str = wikitext.DEFAULT_LANGUAGE) -> Converted:
    """The page ``text`` (MediaWiki markup) titled ``title`` as our document,
    in ``language`` (BCP 47, as ``language.content_language`` makes the
    wiki's).

    Raises ConvertError only for a title our format cannot hold."""
    doc_title = _title(title)
    unclosed: Counter[str] = Counter()
    # Before mwparserfromhell, whose time grows with unclosed openers × length.
    converted = _Converter(doc_title).run(defuse(clean_input(text), unclosed))
    converted.dropped.update(unclosed)
    converted.doc.language = language
    return converted


def _title(title: str) -> str:
    value = page_title(title).strip("=").strip()
    if not value or name_problem(value):
        raise ConvertError(f"the page title {title!r} has no visible character")
    if len(value) > MAX_LINE_LENGTH:
        raise ConvertError(
            f"the page title is {len(value)} characters long; at most {MAX_LINE_LENGTH} "
            "are allowed"
        )
    return value


# --- the converter -------------------------------------------------------------------


class _Converter(References):
    def __init__(self, title: str) -> None:
        self.doc = wikitext.ArticleDoc(title=title)
        self.result = Converted(doc=self.doc)
        self.dropped = self.result.dropped
        self.has_infobox = False
        self.definitions: dict[str, Wikicode] = {}
        self.by_name: dict[str, tuple[Marker, ...]] = {}
        self.keys: set[str] = set()
        self.by_identity: dict[str, str] = {}  # identity_rule -> the first entry's key
        self.generated = 0
        self.in_ref = False

    def run(self, text: str) -> Converted:
        code = _parse(text, self.dropped)
        self._collect_definitions(code)
        segments: list[tuple[nodes.Heading | None, list[nodes.Node]]] = [(None, [])]
        for node in code.nodes:
            if isinstance(node, nodes.Heading):
                segments.append((node, []))
            else:
                segments[-1][1].append(node)
        sections: list[tuple[wikitext.Section, bool]] = []
        for heading, body in segments:
            if heading is None:
                self.doc.lead = self._block_text(body, lead=True)
                continue
            name = self._heading(heading)
            level = min(max(heading.level, 2), 3)
            if level == 2 and name.casefold() == SEE_ALSO.casefold():
                self._see_also(body)
                continue
            text = self._block_text(body)
            had_content = any(not _is_blank(node) for node in body)
            if level == 2 and name.casefold() == REFERENCES.casefold():
                name = "Notes"  # ours is the last section, made from the refs
            sections.append((wikitext.Section(name, level, text), had_content))
        self.doc.sections = without_emptied(sections)
        dedupe(self.result.tags)
        dedupe(self.result.interlanguage)
        dedupe(self.doc.see_also, key=name_key)
        safety_net(self.doc, self.dropped)
        return self.result

    # --- refs -------------------------------------------------------------------

    def _block_text(self, body: list[nodes.Node], lead: bool = False) -> str:
        out = Markdown()
        self._walk(body, out)
        text = finish_blocks(out.value())
        if lead and text.split("\n", 1)[0] == INFOBOX_LINE:
            text = "&#73;" + text[1:]  # our parser would read the line as the infobox
        if len(text) > MAX_TEXT_LENGTH:
            self.dropped["text too long"] += 1
            text = cut_blocks(text, MAX_TEXT_LENGTH)
        return text

    def _heading(self, heading: nodes.Heading) -> str:
        name = clean_name(self._plain_line(heading.title.nodes)).strip("=").strip()
        if len(name) > MAX_LINE_LENGTH:
            name = name[:MAX_LINE_LENGTH].rstrip()
        if not name or name_problem(name):
            self.dropped["heading"] += 1
            return "Section"
        return name

    def _see_also(self, body: list[nodes.Node]) -> None:
        for node in body:
            for link in _links(node):
                title = page_title(str(link.title).split("#", 1)[0])
                if self._link_kind(title) == "article" and _usable_title(title):
                    self.doc.see_also.append(title)
                elif self._link_kind(title) != "article":
                    self._special_link(link, Plain())

    def _plain_line(self, node_list: list[nodes.Node]) -> str:
        out = Plain()
        self._walk(node_list, out)
        return clean_plain(out.value())

    def _value(self, code: Wikicode) -> tuple[list[str], tuple[Marker, ...]]:
        """An infobox parameter: its items and the markers of its refs."""
        out = Plain()
        out.prefer_urls = True  # an infobox's "website" is its address, not its label
        self._walk(code.nodes, out)
        text = out.value().replace("\n", SEP)
        return [item for item in text.split(SEP) if item.strip()], tuple(out.found)

    # --- the walk ---------------------------------------------------------------

    def _walk(self, node_list: list[nodes.Node], out: Markdown | Plain) -> None:
        index = 0
        while index < len(node_list):
            node = node_list[index]
            if isinstance(node, nodes.Tag) and node.wiki_markup and tag_name(node) in ("li", "dt", "dd"):
                # "**", "#*", ":" at a line's start: one list item prefix.
                prefix = []
                while (
                    index < len(node_list)
                    and isinstance(node_list[index], nodes.Tag)
                    and node_list[index].wiki_markup
                    and tag_name(node_list[index]) in ("li", "dt", "dd")
                ):
                    prefix.append(str(node_list[index].wiki_markup))
                    index += 1
                self._list_prefix("".join(prefix), out)
                continue
            self._node(node, out)
            index += 1

    def _list_prefix(self, prefix: str, out: Markdown | Plain) -> None:
        if out.mode == "plain":
            out.separator()
            return
        newline = "" if out.at_line_start() else "\n"  # type: ignore[union-attr]
        if prefix[-1] not in "*#":  # ";" and ":" only indent: the text stays a line
            out.markup(newline)
            return
        indent = sum(2 if ch == "*" else 3 for ch in prefix[:-1] if ch in "*#")
        out.markup(newline + INDENT * indent + (BULLET if prefix[-1] == "*" else NUMBER))

    def _node(self, node: nodes.Node, out: Markdown | Plain) -> None:
        if isinstance(node, nodes.Text):
            self._text(node.value, out)
        elif isinstance(node, nodes.Wikilink):
            self._wikilink(node, out)
        elif isinstance(node, nodes.ExternalLink):
            self._external_link(node, out)
        elif isinstance(node, nodes.Template):
            self._template(node, out)
        elif isinstance(node, nodes.Tag):
            self._tag(node, out)
        elif isinstance(node, nodes.HTMLEntity):
            value = " " if node.value.casefold() in ("nbsp", "#160", "#xa0") else node.normalize()
            out.text(strip_forbidden(value))
        elif isinstance(node, nodes.Heading):  # inside a template or tag
            out.markup(BREAK)
            self._walk(node.title.nodes, out)
            out.markup(BREAK)
        elif isinstance(node, nodes.Argument):
            self.dropped["template parameter"] += 1
        # Comments are removed without a count: they were never shown.

    def _text(self, value: str, out: Markdown | Plain) -> None:
        if "__" in value:
            value = MAGIC_WORD_RE.sub(lambda m: self._magic(m.group(1)), value)
        if "[" in value:
            value = SCRIPT_LINK_RE.sub(self._script_link, value)
        out.text(value)

    def _magic(self, word: str) -> str:
        self.dropped[f"magic word {word}"] += 1
        return ""

    def _script_link(self, match: re.Match[str]) -> str:
        self.dropped["unsafe url"] += 1
        return match.group(1) or ""

    def _wikilink(self, link: nodes.Wikilink, out: Markdown | Plain) -> None:
        raw = str(link.title)
        leading_colon = raw.lstrip().startswith(":")
        target, _, _ = raw.strip().lstrip(":").partition("#")
        title = page_title(target)
        kind = self._link_kind(title)
        if kind == "file" and not leading_colon:
            self.dropped["file"] += 1
            return
        if kind == "category" and not leading_colon:
            tag = clean_name(title.split(":", 1)[1].replace("_", " "))
            if tag and not name_problem(tag) and len(tag) <= MAX_LINE_LENGTH:
                self.result.tags.append(tag)
            return
        if kind == "language" and not leading_colon:
            code, _, other = title.partition(":")
            other = clean_name(other.replace("_", " "))
            if other:
                self.result.interlanguage.append((code.strip().casefold(), other))
            return
        label = self._plain_line(link.text.nodes) if link.text is not None else ""
        if kind == "script":  # [[javascript:...|x]] is no article: its label only
            self.dropped["unsafe url"] += 1
            out.text(label)
            return
        if kind == "other" or not target.strip():
            # Another namespace, or "[[#Section|x]]" on this page: text only.
            out.text(label or clean_plain(raw.strip().lstrip(":").lstrip("#")))
            return
        if out.mode == "plain" or not _usable_title(title):
            out.text(label or clean_plain(target))
            return
        # MediaWiki shows "[[dari]]" as written: only the target is capitalised.
        label = _link_label(label or clean_plain(target.replace("_", " ")))
        out.markup(f"[[{title}|{label}]]" if label and label != title else f"[[{title}]]")

    def _link_kind(self, title: str) -> str:
        prefix, colon, _ = title.partition(":")
        if not colon:
            return "article"
        prefix = prefix.strip().casefold()
        if prefix in FILE_PREFIXES:
            return "file"
        if prefix == "category":
            return "category"
        if prefix in OTHER_NAMESPACES:
            return "other"
        if prefix in ("javascript", "data", "vbscript"):
            return "script"
        if LANGUAGE_RE.fullmatch(prefix):
            return "language"
        return "article"

    def _special_link(self, link: nodes.Wikilink, out: Plain) -> None:
        self._wikilink(link, out)

    def _external_link(self, link: nodes.ExternalLink, out: Markdown | Plain) -> None:
        url = str(link.url).strip()
        label = self._plain_line(link.title.nodes) if link.title is not None else ""
        if out.mode == "plain":
            out.urls.append(url)
            use_url = out.prefer_urls and cite.safe_url(url, Counter())
            out.text(label if link.brackets and label and not use_url else url)
            return
        if not link.brackets:
            out.text(url)  # a bare URL is kept as text
            return
        safe = url if url[:8].casefold().startswith(("http://", "https://")) else ""
        if url.startswith("//"):
            safe = "https:" + url
        if safe and wikitext.check_reference_url(safe) is None:
            out.markup(f"[{escape_markdown(label or safe)}]({_link_url(safe)})")
            return
        scheme = url.split(":", 1)[0].casefold() if ":" in url else ""
        self.dropped["unsafe url" if scheme in ("javascript", "data", "vbscript") else "external link"] += 1
        out.text(label)

    def _template(self, template: nodes.Template, out: Markdown | Plain) -> None:
        raw_name = str(template.name)
        name = template_name(raw_name)
        key = name.casefold()
        if "\n" in name.strip():
            name = name.split("\n", 1)[0]
        if key.startswith("#"):
            self.dropped[f"parser function {key.split(':', 1)[0]}"] += 1
            return
        if ":" in name and name.split(":", 1)[0].isupper():
            self.dropped[f"magic word {name.split(':', 1)[0]}"] += 1
            return
        if key in CITATION_NEEDED_TEMPLATES:
            out.markers((Marker(CITATION_NEEDED),))
            return
        if cite.cite_type(name):
            if out.mode == "plain" and not self.in_ref:
                self._cited_value(template, out)
            elif not self.in_ref:
                self._general_reference(template)
            return
        if key in REFERENCE_LISTS:
            return
        if key == "short description":
            if not self.result.description:
                self.result.description = self._param_text(template, "1")
            return
        if is_infobox(name) and out.mode == "markdown" and not self.has_infobox:
            self.has_infobox = True
            self.doc.infobox = build_infobox(template, self._value, self.dropped)
            return
        positional = [p for p in template.params if not p.showkey]
        if key == "lang" or key.startswith("lang-") or key in ("langx", "transl", "transliteration"):
            self.dropped["lang"] += 1
            index = 0 if key.startswith("lang-") else 1
            if len(positional) > index:
                self._walk(positional[index].value.nodes, out)
            return
        if key in FLAGS:
            if key not in ("flagicon", "flag icon", "flagdeco") and positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in ("circa", "c.", "ca", "c"):
            out.text("c. ")
            if positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in WRAPPERS:
            if positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in LISTS:
            for number, param in enumerate(positional):
                if number:
                    out.separator()
                self._walk(param.value.nodes, out)
            return
        if key in BLOCK_LISTS:
            if positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in CHARACTERS:
            out.text(CHARACTERS[key])
            return
        if key == "convert" and len(positional) >= 2:
            values = [self._plain_line(p.value.nodes) for p in positional[:4]]
            joined = values[:4] if len(values) >= 4 and values[1] in ("to", "-", "–", "and", "or") else values[:2]
            out.text(" ".join(joined))
            return
        if key == "as of" and positional:
            out.text("As of " + " ".join(self._plain_line(p.value.nodes) for p in positional[:3]))
            return
        self.dropped[f"template {name.strip()[:100]}"] += 1

    def _param_text(self, template: nodes.Template, name: str) -> str:
        if not template.has(name):
            return ""
        value = self._plain_line(template.get(name).value.nodes)
        return "" if value.casefold() == "none" else value

    def _tag(self, tag: nodes.Tag, out: Markdown | Plain) -> None:
        name = tag_name(tag)
        if name == "ref":
            if self.in_ref:
                self.dropped["ref inside a ref"] += 1
            else:
                out.markers(self._ref(tag))
            return
        if name == "references":
            return
        if name in DROP_TAGS:
            if DROP_TAGS[name]:
                self.dropped[DROP_TAGS[name]] += 1
            return
        if name == "br":
            out.separator() if out.mode == "plain" else out.text(" ")
            return
        if name == "hr":
            out.markup(BREAK)
            return
        if name == "table":
            self._table(tag, out)
            return
        if name in ("tr", "td", "th", "caption"):  # outside a table: its text
            out.markup(BREAK if out.mode == "markdown" else SEP)
            if tag.contents is not None:
                self._walk(tag.contents.nodes, out)
            return
        if tag.contents is None:
            return
        if name == "nowiki":
            out.text(str(tag.contents))
            return
        if name in BOLD or name in ITALIC:
            self._emphasis("**" if name in BOLD else "*", tag.contents, out)
            return
        if name in BLOCK_TAGS:
            out.markup(BREAK)
            self._walk(tag.contents.nodes, out)
            out.markup(BREAK)
            return
        self._walk(tag.contents.nodes, out)

    def _emphasis(self, mark: str, contents: Wikicode, out: Markdown | Plain) -> None:
        if out.mode == "plain":
            self._walk(contents.nodes, out)
            return
        inner = Markdown()
        self._walk(contents.nodes, inner)
        text = inner.value()
        if BREAK in text or "\n" in text:  # emphasis cannot span lines: text only
            out.markup(text)
            return
        stripped = text.strip()
        if not stripped:
            out.markup(text)
            return
        start = text[: len(text) - len(text.lstrip())]
        end = text[len(text.rstrip()) :]
        out.markup(f"{start}{mark}{stripped}{mark}{end}")

    def _table(self, table: nodes.Tag, out: Markdown | Plain) -> None:
        rows: list[list[str]] = []
        header = False
        caption = ""
        current: list[str] | None = None
        complex_table = False
        for node in table.contents.nodes if table.contents is not None else []:
            cells: list[nodes.Tag] = []
            if isinstance(node, nodes.Tag) and tag_name(node) == "tr":
                current = []
                rows.append(current)
                cells = [
                    n for n in (node.contents.nodes if node.contents is not None else [])
                    if isinstance(n, nodes.Tag) and tag_name(n) in ("td", "th")
                ]
            elif isinstance(node, nodes.Tag) and tag_name(node) in ("td", "th"):
                text = str(node.contents or "")
                if tag_name(node) == "td" and text.startswith("+") and not rows:
                    caption = self._plain_line(node.contents.nodes)[1:].strip()
                    continue
                if current is None:
                    current = []
                    rows.append(current)
                cells = [node]
            elif isinstance(node, nodes.Tag) and tag_name(node) == "caption":
                caption = self._plain_line(node.contents.nodes) if node.contents else ""
                continue
            else:
                continue
            for cell in cells:
                if any(attribute(cell, a) not in ("", "1") for a in ("rowspan", "colspan")):
                    complex_table = True
                if len(rows) == 1 and len(current) == 0:  # type: ignore[arg-type]
                    header = True
                if tag_name(cell) != "th" and len(rows) == 1:
                    header = False
                current.append(self._cell(cell))  # type: ignore[union-attr]
                if current[-1] is None:  # type: ignore[index]
                    complex_table = True
        rows = [row for row in rows if row]
        if out.mode == "plain" or complex_table or not rows:
            self.dropped["table"] += 1
            return
        width = max(len(row) for row in rows)
        lines = []
        if caption:
            lines.append(escape_markdown(caption))
            lines.append("")
        head = rows.pop(0) if header else [""] * width
        for line in (head, ["---"] * width, *rows):
            cells = [*line, *[""] * (width - len(line))]
            lines.append("| " + " | ".join(c or " " for c in cells) + " |")
        out.markup(BREAK + "\n".join(lines) + BREAK)

    def _cell(self, cell: nodes.Tag) -> str | None:
        inner = Markdown()
        if cell.contents is not None:
            self._walk(cell.contents.nodes, inner)
        text = inner.value()
        if any(mark in text for mark in (BULLET, NUMBER)) or "\n|" in text:
            return None  # a list or a table inside a cell
        text = text.replace(BREAK, " ").replace(INDENT, "").replace("\n", " ")
        return " ".join(text.split())


# --- helpers -----------------------------------------------------------------------


def _parse(text: str, dropped: Counter[str]) -> Wikicode:
    try:
        return mwparserfromhell.parse(text)
    except Exception:  # noqa: BLE001  (the tokenizer's own errors are not one class)
        dropped["unparsable markup"] += 1
        return mwparserfromhell.utils.parse_anything(nodes.Text(text))


def _is_blank(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Comment) or (isinstance(node, nodes.Text) and not node.value.strip())


def _links(node: nodes.Node):
    if isinstance(node, nodes.Wikilink):
        yield node
    elif isinstance(node, (nodes.Tag, nodes.Template)):
        yield from (n for n in mwparserfromhell.wikicode.Wikicode([node]).ifilter_wikilinks(recursive=True))


def _usable_title(title: str) -> bool:
    """A title our ``[[...]]`` links and our See also rows can hold."""
    return (
        bool(title)
        and not name_problem(title)
        and len(title) <= MAX_LINE_LENGTH
        and not any(ch in title for ch in "[]|\n{}<>")
        and not title.startswith(("^", "=", "-"))
        and not title.endswith("=")
        and "''" not in title
    )


def _link_label(label: str) -> str:
    return " ".join(label.replace("[", "(").replace("]", ")").split())


def _link_url(url: str) -> str:
    """A URL as a Markdown link destination: brackets, parentheses, pipes
    and apostrophes percent-encoded, so that none ends the link or reads as
    markup."""
    for ch, code in (("(", "%28"), (")", "%29"), ("[", "%5B"), ("]", "%5D"), ("|", "%7C"),
                     ("'", "%27"), ("{", "%7B"), ("}", "%7D"), ("*", "%2A"), ("_", "%5F")):
        url = url.replace(ch, code)
    return url
