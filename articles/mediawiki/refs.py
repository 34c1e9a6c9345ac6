"""References: ``<ref>``s (named, reused, defined later), citation
templates inside and outside them, and the References entries they make,
one per source (a source cited twice is one entry with a locator per use).
A mixin of the converter: it shares its state (``doc``, ``dropped``, the
keys given) and its walk of the tree."""

from __future__ import annotations

import dataclasses

from mwparserfromhell import nodes
from mwparserfromhell.wikicode import Wikicode

from articles.sources import identity_rule
from articles.wikitext.references import MAX_KEY_LENGTH, Marker

from . import cite
from .output import Plain, attribute, tag_name
from .text import clean_plain, slug, template_name


class References:
    def _collect_definitions(self, code: Wikicode) -> None:
        """Every named ref's content, so that a reuse before the defining
        ref finds it."""
        for tag in code.ifilter_tags(recursive=True):
            if tag_name(tag) != "ref" or tag.self_closing or tag.contents is None:
                continue
            name = attribute(tag, "name")
            if name and name not in self.definitions and str(tag.contents).strip():
                self.definitions[name] = tag.contents

    def _ref(self, tag: nodes.Tag) -> tuple[Marker, ...]:
        name = attribute(tag, "name")
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
                out = Plain()
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

    def _cited_value(self, template: nodes.Template, out: Plain) -> None:
        """A citation template written straight into an infobox value."""
        self.in_ref = True
        try:
            cited = self._cite(template)
        finally:
            self.in_ref = False
        out.markers((Marker(self._add(cited), cited.locator),))
