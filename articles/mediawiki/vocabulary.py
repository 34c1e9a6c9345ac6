"""The names the converter knows: templates by what they do, tags it drops
or reads as blocks, namespaces whose links are text, and the patterns of
language prefixes, magic words and links."""

from __future__ import annotations

import re

CITATION_NEEDED_TEMPLATES = frozenset({
    "citation needed", "cn", "fact", "citeneeded", "citation-needed", "cite needed",
    "needs citation", "unreferenced inline", "source needed", "refneeded",
})
REFERENCE_LISTS = frozenset({
    "reflist", "references", "refbegin", "refend", "reflist-talk", "notelist", "notes",
    "reference list", "refs",
})
FLAGS = frozenset({
    "flagcountry", "flag", "flagu", "flag country", "flagdeco", "flag icon", "flagicon",
    "flagcountry2",
})
LISTS = frozenset({"ubl", "unbulleted list", "hlist", "bulleted list", "blist", "bull list"})
BLOCK_LISTS = frozenset({"plainlist", "plain list", "flatlist", "flat list", "startflatlist"})
WRAPPERS = frozenset({
    "nowrap", "nobr", "small", "smaller", "big", "larger", "abbr", "nihongo", "sic", "noitalic",
    "nobold", "nowrap begin", "center", "avoid wrap", "keep together",
})
CHARACTERS = {
    "nbsp": " ", "ndash": "–", "mdash": "—", "snd": " – ", "spaced ndash": " – ", "'": "'",
    "'s": "'s", "dash": " – ", "·": " · ", "dot": " · ", "middot": "·", "-": "–",
}
SECTION_NAMES_OF_LISTS = frozenset({"references", "notes", "footnotes", "citations"})
DROP_TAGS = {
    "gallery": "gallery", "math": "math", "score": "score", "chem": "math", "ce": "math",
    "script": "tag script", "style": "tag style", "timeline": "tag timeline",
    "graph": "tag graph", "mapframe": "tag mapframe", "maplink": "tag maplink",
    "imagemap": "file", "templatedata": "tag templatedata", "templatestyles": "",
    "inputbox": "tag inputbox", "categorytree": "tag categorytree", "hiero": "tag hiero",
    "syntaxhighlight": "tag syntaxhighlight", "source": "tag source", "includeonly": "",
    "section": "", "indicator": "tag indicator",
}
BLOCK_TAGS = frozenset({"p", "div", "blockquote", "center", "poem", "pre", "ul", "ol", "dl"})
BOLD, ITALIC = frozenset({"b", "strong"}), frozenset({"i", "em"})
FILE_PREFIXES = ("file", "image", "media")
# Namespaces and sister projects: a link into one is its label as text.
OTHER_NAMESPACES = frozenset({
    "wikipedia", "wp", "project", "help", "template", "user", "user talk", "talk", "portal",
    "module", "draft", "mediawiki", "special", "wikt", "wiktionary", "commons", "c", "w", "m",
    "meta", "s", "wikisource", "b", "wikibooks", "q", "wikiquote", "n", "wikinews", "v",
    "wikiversity", "voy", "wikivoyage", "d", "wikidata", "species", "mw", "foundation",
    "category talk", "file talk", "template talk", "wikipedia talk", "portal talk",
})
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,3}|simple")
MAGIC_WORD_RE = re.compile(r"__([A-Z]{3,20})__")
# [javascript:alert(1) label]: not a link to mwparserfromhell, but meant as one.
SCRIPT_LINK_RE = re.compile(
    r"\[\s{0,20}(?i:javascript|data|vbscript)\s{0,20}:[^\s\]]{0,2000}(?:[ \t]{1,20}([^\]\n]{0,500}))?\]"
)
