"""One MediaWiki page's markup as our wiki-text document.

``convert(text, title=...)`` parses the markup once with mwparserfromhell
and walks the tree once: text becomes our Markdown (``**bold**``,
``[[Title|label]]`` links, ``- `` lists, GFM tables), ``<ref>``s become
``[^key]`` markers and References entries, ``{{Infobox ethnic group}}`` the
infobox, categories tags, ``[[xx:Title]]`` interlanguage links. What has no
equivalent is dropped and counted by name in ``Converted.dropped``.

The promise, for every document returned: ``wikitext.parse(wikitext.dump(
doc)) == doc``, and no MediaWiki markup (``{{``, ``'''``, ``<ref``,
``|name=``, ``[[`` but our own links) in what a reader sees.
"""

from __future__ import annotations

import dataclasses
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
from articles.sources import identity_rule
from articles.wikitext.references import CITATION_NEEDED, MAX_KEY_LENGTH, REFERENCES, Marker

from . import cite
from .guard import defuse
from .infobox import build_infobox, is_infobox
from .text import (
    BREAK, BULLET, INDENT, NUMBER, SEP, clean_input, clean_name, clean_plain,
    escape_line_start, escape_markdown, page_title, slug, strip_forbidden, template_name,
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


def convert(text: str, *, title: str) -> Converted:
    """The page ``text`` (MediaWiki markup) titled ``title`` as our document.

    Raises ConvertError only for a title our format cannot hold."""
    doc_title = _title(title)
    unclosed: Counter[str] = Counter()
    # Before mwparserfromhell, whose time grows with unclosed openers × length.
    converted = _Converter(doc_title).run(defuse(clean_input(text), unclosed))
    converted.dropped.update(unclosed)
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


# --- names -------------------------------------------------------------------------

_CITATION_NEEDED = frozenset({
    "citation needed", "cn", "fact", "citeneeded", "citation-needed", "cite needed",
    "needs citation", "unreferenced inline", "source needed", "refneeded",
})
_REFERENCE_LISTS = frozenset({
    "reflist", "references", "refbegin", "refend", "reflist-talk", "notelist", "notes",
    "reference list", "refs",
})
_FLAGS = frozenset({
    "flagcountry", "flag", "flagu", "flag country", "flagdeco", "flag icon", "flagicon",
    "flagcountry2",
})
_LISTS = frozenset({"ubl", "unbulleted list", "hlist", "bulleted list", "blist", "bull list"})
_BLOCK_LISTS = frozenset({"plainlist", "plain list", "flatlist", "flat list", "startflatlist"})
_WRAPPERS = frozenset({
    "nowrap", "nobr", "small", "smaller", "big", "larger", "abbr", "nihongo", "sic", "noitalic",
    "nobold", "nowrap begin", "center", "avoid wrap", "keep together",
})
_CHARACTERS = {
    "nbsp": " ", "ndash": "–", "mdash": "—", "snd": " – ", "spaced ndash": " – ", "'": "'",
    "'s": "'s", "dash": " – ", "·": " · ", "dot": " · ", "middot": "·", "-": "–",
}
_SECTION_NAMES_OF_LISTS = frozenset({"references", "notes", "footnotes", "citations"})
_DROP_TAGS = {
    "gallery": "gallery", "math": "math", "score": "score", "chem": "math", "ce": "math",
    "script": "tag script", "style": "tag style", "timeline": "tag timeline",
    "graph": "tag graph", "mapframe": "tag mapframe", "maplink": "tag maplink",
    "imagemap": "file", "templatedata": "tag templatedata", "templatestyles": "",
    "inputbox": "tag inputbox", "categorytree": "tag categorytree", "hiero": "tag hiero",
    "syntaxhighlight": "tag syntaxhighlight", "source": "tag source", "includeonly": "",
    "section": "", "indicator": "tag indicator",
}
_BLOCK_TAGS = frozenset({"p", "div", "blockquote", "center", "poem", "pre", "ul", "ol", "dl"})
_BOLD, _ITALIC = frozenset({"b", "strong"}), frozenset({"i", "em"})
_FILE_PREFIXES = ("file", "image", "media")
# Namespaces and sister projects: a link into one is its label as text.
_OTHER_NAMESPACES = frozenset({
    "wikipedia", "wp", "project", "help", "template", "user", "user talk", "talk", "portal",
    "module", "draft", "mediawiki", "special", "wikt", "wiktionary", "commons", "c", "w", "m",
    "meta", "s", "wikisource", "b", "wikibooks", "q", "wikiquote", "n", "wikinews", "v",
    "wikiversity", "voy", "wikivoyage", "d", "wikidata", "species", "mw", "foundation",
    "category talk", "file talk", "template talk", "wikipedia talk", "portal talk",
})
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,3}|simple")
_MAGIC_WORD_RE = re.compile(r"__([A-Z]{3,20})__")
# [javascript:alert(1) label]: not a link to mwparserfromhell, but meant as one.
_SCRIPT_LINK_RE = re.compile(
    r"\[\s{0,20}(?i:javascript|data|vbscript)\s{0,20}:[^\s\]]{0,2000}(?:[ \t]{1,20}([^\]\n]{0,500}))?\]"
)
_OUR_LINK_RE = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]+))?\]\]")


# --- output buffers ------------------------------------------------------------------


class _Markdown:
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


class _Plain:
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


# --- the converter -------------------------------------------------------------------


class _Converter:
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
        self.doc.sections = _without_emptied(sections)
        _dedupe(self.result.tags)
        _dedupe(self.result.interlanguage)
        _dedupe(self.doc.see_also, key=name_key)
        _safety_net(self.doc, self.dropped)
        return self.result

    # --- refs -------------------------------------------------------------------

    def _collect_definitions(self, code: Wikicode) -> None:
        """Every named ref's content, so that a reuse before the defining
        ref finds it."""
        for tag in code.ifilter_tags(recursive=True):
            if _tag_name(tag) != "ref" or tag.self_closing or tag.contents is None:
                continue
            name = _attribute(tag, "name")
            if name and name not in self.definitions and str(tag.contents).strip():
                self.definitions[name] = tag.contents

    def _ref(self, tag: nodes.Tag) -> tuple[Marker, ...]:
        name = _attribute(tag, "name")
        if name and name in self.by_name:
            return self.by_name[name]
        contents = None if tag.self_closing else tag.contents
        if (contents is None or not str(contents).strip()) and name:
            contents = self.definitions.get(name)
        if contents is None or not str(contents).strip():
            self.dropped["ref without content"] += 1
            return ()
        if name:
            self.by_name[name] = ()  # a ref that names itself inside stays empty
        markers = self._reference(contents, name)
        if name:
            self.by_name[name] = markers
        return markers

    def _reference(self, contents: Wikicode, name: str) -> tuple[Marker, ...]:
        citations = [
            n for n in contents.nodes
            if isinstance(n, nodes.Template) and cite.cite_type(template_name(str(n.name)))
        ]
        self.in_ref = True
        try:
            if citations:
                read = [self._cite(n) for n in citations]
                rest = self._plain_line(
                    [n for n in contents.nodes if not any(n is c for c in citations)]
                )
                if rest:  # text next to the template: a note on the first source
                    first = read[0].fields
                    extras = [*first.get("extras", ()), ("Note", rest)]  # type: ignore[misc]
                    first["extras"] = tuple(cite.keep_extras(extras, self.dropped))
            else:
                out = _Plain()
                self._walk(contents.nodes, out)
                text = clean_plain(out.value())
                if not text:
                    self.dropped["ref without content"] += 1
                    return ()
                url = next((u for u in (cite.safe_url(u, self.dropped) for u in out.urls) if u), "")
                read = [cite.plain_reference(text, url, self.dropped)]
        finally:
            self.in_ref = False
        markers = []
        for number, cited in enumerate(read):
            markers.append(Marker(self._add(cited, name, number), cited.locator))
        return tuple(markers)

    def _add(self, cited: cite.Cited, name: str = "", number: int = 0) -> str:
        """The key citing ``cited``: a new entry's, or the entry of the same
        source cited before (wikis cite one book in several refs, a page
        each; our references are one entry per source, the pages being
        locators). Details the first entry lacks are taken from the later."""
        entry = cited.reference("")
        rule = identity_rule(
            doi=entry.doi, isbn=entry.isbn, url=entry.url, title=entry.title,
            work=entry.work, publisher=entry.publisher, date=entry.date,
        )
        key = self.by_identity.get(rule)
        if key is None:
            key = self._key(name, number)
            self.by_identity[rule] = key
            self.doc.references.append(dataclasses.replace(entry, key=key))
            return key
        index = next(i for i, r in enumerate(self.doc.references) if r.key == key)
        first = self.doc.references[index]
        merged = {
            f.name: getattr(entry, f.name)
            for f in dataclasses.fields(first)
            if f.name not in ("key", "extras") and not getattr(first, f.name) and getattr(entry, f.name)
        }
        if any(
            getattr(first, f.name) and getattr(entry, f.name) and getattr(first, f.name) != getattr(entry, f.name)
            for f in dataclasses.fields(first) if f.name not in ("key", "extras")
        ):
            self.dropped["details of a source cited twice"] += 1
        if merged:
            self.doc.references[index] = dataclasses.replace(first, **merged)
        return key

    def _cite(self, template: nodes.Template) -> cite.Cited:
        kind = cite.cite_type(template_name(str(template.name))) or "web"
        params: dict[str, str] = {}
        for param in template.params:
            params[clean_plain(str(param.name)).casefold()] = self._plain_line(param.value.nodes)
        return cite.read_cite(kind, params, self.dropped)

    def _general_reference(self, template: nodes.Template) -> None:
        """A citation template outside a ref: an entry no marker cites."""
        self.in_ref = True
        try:
            cited = self._cite(template)
        finally:
            self.in_ref = False
        self._add(cited)

    def _key(self, name: str, number: int) -> str:
        base = slug(name, MAX_KEY_LENGTH - 4) if name else ""
        if base:
            key = base if number == 0 else f"{base}-{number + 1}"
            suffix = 2
            while key in self.keys:
                key = f"{base}-{suffix}"
                suffix += 1
        else:
            self.generated += 1
            key = f"ref-{self.generated}"
            while key in self.keys:
                self.generated += 1
                key = f"ref-{self.generated}"
        self.keys.add(key)
        return key

    # --- blocks -----------------------------------------------------------------

    def _block_text(self, body: list[nodes.Node], lead: bool = False) -> str:
        out = _Markdown()
        self._walk(body, out)
        text = _finish_blocks(out.value())
        if lead and text.split("\n", 1)[0] == INFOBOX_LINE:
            text = "&#73;" + text[1:]  # our parser would read the line as the infobox
        if len(text) > MAX_TEXT_LENGTH:
            self.dropped["text too long"] += 1
            text = _cut_blocks(text, MAX_TEXT_LENGTH)
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
                    self._special_link(link, _Plain())

    def _plain_line(self, node_list: list[nodes.Node]) -> str:
        out = _Plain()
        self._walk(node_list, out)
        return clean_plain(out.value())

    def _value(self, code: Wikicode) -> tuple[list[str], tuple[Marker, ...]]:
        """An infobox parameter: its items and the markers of its refs."""
        out = _Plain()
        out.prefer_urls = True  # an infobox's "website" is its address, not its label
        self._walk(code.nodes, out)
        text = out.value().replace("\n", SEP)
        return [item for item in text.split(SEP) if item.strip()], tuple(out.found)

    # --- the walk ---------------------------------------------------------------

    def _walk(self, node_list: list[nodes.Node], out: _Markdown | _Plain) -> None:
        index = 0
        while index < len(node_list):
            node = node_list[index]
            if isinstance(node, nodes.Tag) and node.wiki_markup and _tag_name(node) in ("li", "dt", "dd"):
                # "**", "#*", ":" at a line's start: one list item prefix.
                prefix = []
                while (
                    index < len(node_list)
                    and isinstance(node_list[index], nodes.Tag)
                    and node_list[index].wiki_markup
                    and _tag_name(node_list[index]) in ("li", "dt", "dd")
                ):
                    prefix.append(str(node_list[index].wiki_markup))
                    index += 1
                self._list_prefix("".join(prefix), out)
                continue
            self._node(node, out)
            index += 1

    def _list_prefix(self, prefix: str, out: _Markdown | _Plain) -> None:
        if out.mode == "plain":
            out.separator()
            return
        newline = "" if out.at_line_start() else "\n"  # type: ignore[union-attr]
        if prefix[-1] not in "*#":  # ";" and ":" only indent: the text stays a line
            out.markup(newline)
            return
        indent = sum(2 if ch == "*" else 3 for ch in prefix[:-1] if ch in "*#")
        out.markup(newline + INDENT * indent + (BULLET if prefix[-1] == "*" else NUMBER))

    def _node(self, node: nodes.Node, out: _Markdown | _Plain) -> None:
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

    def _text(self, value: str, out: _Markdown | _Plain) -> None:
        if "__" in value:
            value = _MAGIC_WORD_RE.sub(lambda m: self._magic(m.group(1)), value)
        if "[" in value:
            value = _SCRIPT_LINK_RE.sub(self._script_link, value)
        out.text(value)

    def _magic(self, word: str) -> str:
        self.dropped[f"magic word {word}"] += 1
        return ""

    def _script_link(self, match: re.Match[str]) -> str:
        self.dropped["unsafe url"] += 1
        return match.group(1) or ""

    def _wikilink(self, link: nodes.Wikilink, out: _Markdown | _Plain) -> None:
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
        if prefix in _FILE_PREFIXES:
            return "file"
        if prefix == "category":
            return "category"
        if prefix in _OTHER_NAMESPACES:
            return "other"
        if prefix in ("javascript", "data", "vbscript"):
            return "script"
        if _LANGUAGE_RE.fullmatch(prefix):
            return "language"
        return "article"

    def _special_link(self, link: nodes.Wikilink, out: _Plain) -> None:
        self._wikilink(link, out)

    def _external_link(self, link: nodes.ExternalLink, out: _Markdown | _Plain) -> None:
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

    def _template(self, template: nodes.Template, out: _Markdown | _Plain) -> None:
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
        if key in _CITATION_NEEDED:
            out.markers((Marker(CITATION_NEEDED),))
            return
        if cite.cite_type(name):
            if out.mode == "plain" and not self.in_ref:
                self._cited_value(template, out)
            elif not self.in_ref:
                self._general_reference(template)
            return
        if key in _REFERENCE_LISTS:
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
        if key in _FLAGS:
            if key not in ("flagicon", "flag icon", "flagdeco") and positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in ("circa", "c.", "ca", "c"):
            out.text("c. ")
            if positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in _WRAPPERS:
            if positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in _LISTS:
            for number, param in enumerate(positional):
                if number:
                    out.separator()
                self._walk(param.value.nodes, out)
            return
        if key in _BLOCK_LISTS:
            if positional:
                self._walk(positional[0].value.nodes, out)
            return
        if key in _CHARACTERS:
            out.text(_CHARACTERS[key])
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

    def _cited_value(self, template: nodes.Template, out: _Plain) -> None:
        """A citation template written straight into an infobox value."""
        self.in_ref = True
        try:
            cited = self._cite(template)
        finally:
            self.in_ref = False
        out.markers((Marker(self._add(cited), cited.locator),))

    def _param_text(self, template: nodes.Template, name: str) -> str:
        if not template.has(name):
            return ""
        value = self._plain_line(template.get(name).value.nodes)
        return "" if value.casefold() == "none" else value

    def _tag(self, tag: nodes.Tag, out: _Markdown | _Plain) -> None:
        name = _tag_name(tag)
        if name == "ref":
            if self.in_ref:
                self.dropped["ref inside a ref"] += 1
            else:
                out.markers(self._ref(tag))
            return
        if name == "references":
            return
        if name in _DROP_TAGS:
            if _DROP_TAGS[name]:
                self.dropped[_DROP_TAGS[name]] += 1
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
        if name in _BOLD or name in _ITALIC:
            self._emphasis("**" if name in _BOLD else "*", tag.contents, out)
            return
        if name in _BLOCK_TAGS:
            out.markup(BREAK)
            self._walk(tag.contents.nodes, out)
            out.markup(BREAK)
            return
        self._walk(tag.contents.nodes, out)

    def _emphasis(self, mark: str, contents: Wikicode, out: _Markdown | _Plain) -> None:
        if out.mode == "plain":
            self._walk(contents.nodes, out)
            return
        inner = _Markdown()
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

    def _table(self, table: nodes.Tag, out: _Markdown | _Plain) -> None:
        rows: list[list[str]] = []
        header = False
        caption = ""
        current: list[str] | None = None
        complex_table = False
        for node in table.contents.nodes if table.contents is not None else []:
            cells: list[nodes.Tag] = []
            if isinstance(node, nodes.Tag) and _tag_name(node) == "tr":
                current = []
                rows.append(current)
                cells = [
                    n for n in (node.contents.nodes if node.contents is not None else [])
                    if isinstance(n, nodes.Tag) and _tag_name(n) in ("td", "th")
                ]
            elif isinstance(node, nodes.Tag) and _tag_name(node) in ("td", "th"):
                text = str(node.contents or "")
                if _tag_name(node) == "td" and text.startswith("+") and not rows:
                    caption = self._plain_line(node.contents.nodes)[1:].strip()
                    continue
                if current is None:
                    current = []
                    rows.append(current)
                cells = [node]
            elif isinstance(node, nodes.Tag) and _tag_name(node) == "caption":
                caption = self._plain_line(node.contents.nodes) if node.contents else ""
                continue
            else:
                continue
            for cell in cells:
                if any(_attribute(cell, a) not in ("", "1") for a in ("rowspan", "colspan")):
                    complex_table = True
                if len(rows) == 1 and len(current) == 0:  # type: ignore[arg-type]
                    header = True
                if _tag_name(cell) != "th" and len(rows) == 1:
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
        inner = _Markdown()
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


def _tag_name(tag: nodes.Tag) -> str:
    return str(tag.tag).strip().casefold()


def _attribute(tag: nodes.Tag, name: str) -> str:
    for attribute in tag.attributes:
        if str(attribute.name).strip().casefold() == name:
            return clean_plain(str(attribute.value or "").strip().strip("\"'"))
    return ""


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


def _finish_blocks(text: str) -> str:
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


def _cut_blocks(text: str, limit: int) -> str:
    kept: list[str] = []
    size = 0
    for block in text.split("\n\n"):
        if size + len(block) + 2 > limit:
            break
        kept.append(block)
        size += len(block) + 2
    return "\n\n".join(kept)


def _without_emptied(sections: list[tuple[wikitext.Section, bool]]) -> list[wikitext.Section]:
    """The sections but those whose content was all dropped (a References
    section holding only the list, a gallery), unless subsections follow."""
    kept = []
    for index, (section, had_content) in enumerate(sections):
        following = sections[index + 1][0] if index + 1 < len(sections) else None
        emptied = not section.body and had_content
        if emptied and not (following is not None and following.level > section.level):
            continue
        if not section.body and section.heading.casefold() in _SECTION_NAMES_OF_LISTS and not (
            following is not None and following.level > section.level
        ):
            continue
        kept.append(section)
    return kept


def _dedupe(items: list, key=lambda item: item) -> None:
    seen = set()
    unique = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            unique.append(item)
    items[:] = unique


def _safety_net(doc: wikitext.ArticleDoc, dropped: Counter[str]) -> None:
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
