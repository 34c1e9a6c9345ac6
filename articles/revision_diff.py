"""Revisions of an article as readable states, and diffs between them."""

from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision

from people.models import Person, Place

from . import wikitext
from .citations import is_infobox_place, text_citations
from .infobox import INFOBOX_EXTRA_PLACE, INFOBOX_PLACE, ROW_STORAGE, infobox_from
from .models import Source

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class ArticleState:
    """One revision of an article, as editors read it."""

    fields: dict[str, str] = field(default_factory=dict)
    infobox: str = ""
    sections: dict[str, tuple[str, str]] = field(default_factory=dict)  # pk -> (heading, body), in order
    see_also: str = ""
    population_history: str = ""
    mentions: str = ""
    references: str = ""  # "[^smith] The Railway and the Steppe (book)", in order
    citations: str = ""  # "[^smith|p. 42] in History", in order


@dataclass(frozen=True)
class Change:
    label: str
    kind: str  # "added", "removed" or "changed"
    html: SafeString


FIELDS = [
    ("title", "Title"),
    ("slug", "Slug"),
    ("status", "Status"),
    ("lead", "Lead"),
    ("origin_group", "Origin group"),
]


def state_of(revision: Revision) -> ArticleState:
    """The article and its rows as ``revision`` recorded them."""
    by_model: dict[str, list[dict]] = defaultdict(list)
    for version in revision.version_set.select_related("content_type"):
        by_model[version.content_type.model].append(version.field_dict)
    [article] = by_model["article"] or [{}]
    state = ArticleState(fields={name: str(article.get(name, "") or "") for name, _ in FIELDS})

    def ordered(model: str) -> list[dict]:
        return sorted(by_model[model], key=lambda row: (row.get("position", 0), row.get("id", 0)))

    names = _names(by_model)

    def row_names(storage) -> list[str]:
        rows = ordered(storage.model._meta.model_name)
        if not storage.is_foreign_key:
            return [r[storage.value] for r in rows]
        named = names[storage.target._meta.model_name]
        return [named.get(r[f"{storage.value}_id"], "?") for r in rows]

    infobox = infobox_from(
        column=article.get,
        names=row_names,
        extras=[wikitext.ExtraRow(r["key"], r["value"], r["position"]) for r in ordered("infoboxrow")],
    )
    state.infobox = "\n".join(f"{k}: {v}" for k, v in wikitext.infobox_rows(infobox))
    for row in ordered("section"):
        marks = "=" * row["level"]
        state.sections[str(row["id"])] = (f"{marks}{row['heading']}{marks}", row["body"])
    state.see_also = "\n".join(r["target_title"] for r in ordered("seealso"))
    state.population_history = "\n".join(
        f"{r['period'] or r['year']}: {r['count']:,}{' (' + r['note'] + ')' if r['note'] else ''}"
        for r in sorted(by_model["populationfigure"], key=lambda r: (r["year"], r["id"]))
    )
    mentions = [
        f"{names['person'].get(r['person_id'], '?')} ({r['state']})" for r in by_model["personmention"]
    ] + [f"{names['place'].get(r['place_id'], '?')} ({r['state']})" for r in by_model["placemention"]]
    state.mentions = "\n".join(sorted(mentions))
    _references_and_citations(state, ordered)
    return state


def _references_and_citations(state: ArticleState, ordered) -> None:
    """The revision's references, by their sources' titles as they are now
    (one query), and each use of them, by where it stands."""
    references = ordered("articlereference")
    sources = dict(
        (pk, (title, type_))
        for pk, title, type_ in Source.objects.filter(
            pk__in={r["source_id"] for r in references}
        ).values_list("pk", "title", "type")
    )
    lines = []
    for r in references:
        title, type_ = sources.get(r["source_id"], ("?", "?"))
        details = "".join(
            f", {label} {value}" for label, value in (("accessed", r["accessed"]), ("quote", r["quote"]))
            if value
        ) + "".join(f"; {name}: {value}" for name, value in r["extras"] or ())
        lines.append(f"[^{r['key']}] {title} ({type_}){details}")
    state.references = "\n".join(lines)
    keys = {r["id"]: r["key"] for r in references}
    headings = {str(r["position"]): r["heading"] for r in ordered("section")}
    extras = {str(r["position"]): r["key"] for r in ordered("infoboxrow")}

    def where(place: str) -> str:
        if place == "lead":
            return "the lead"
        if place.startswith("section:"):
            return headings.get(place.removeprefix("section:"), place)
        if place.startswith(INFOBOX_PLACE):
            return f"the infobox ({place.removeprefix(INFOBOX_PLACE)})"
        if place.startswith(INFOBOX_EXTRA_PLACE):
            position = place.removeprefix(INFOBOX_EXTRA_PLACE)
            return f"the infobox ({extras.get(position, position)})"
        return place

    # The infobox's citations are rows of the revision; the text's are read
    # from its lead and sections (older revisions also hold them as rows).
    uses = []
    for c in ordered("citation"):
        if is_infobox_place(c["place"]):
            key = wikitext.CITATION_NEEDED if c["reference_id"] is None else keys.get(c["reference_id"], "?")
            uses.append(f"{wikitext.Marker(key, c['locator'])} in {where(c['place'])}")
    known = set(keys.values())
    for place, marker in text_citations(
        state.fields.get("lead", ""), ((r["position"], r["body"]) for r in ordered("section"))
    ):
        if marker.needed or marker.key in known:
            uses.append(f"{marker} in {where(place)}")
    state.citations = "\n".join(uses)


def _names(by_model: dict[str, list[dict]]) -> dict[str, dict[int, str]]:
    """Names of the people, places and terms the rows point at, by model
    name and pk: one query per model."""
    wanted: dict[type, set[int]] = defaultdict(set)
    wanted[Person] = {r["person_id"] for r in by_model["personmention"]}
    wanted[Place] = {r["place_id"] for r in by_model["placemention"]}
    for storage in ROW_STORAGE:
        if storage.is_foreign_key:
            field = f"{storage.value}_id"
            wanted[storage.target] |= {r[field] for r in by_model[storage.model._meta.model_name]}
    return {
        model._meta.model_name: dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
        for model, ids in wanted.items()
    }


def diff(old: ArticleState, new: ArticleState) -> list[Change]:
    """What changed from ``old`` to ``new``, field by field and section by
    section, with removed text in <del> and added text in <ins>. One
    deadline for the whole comparison: an article of many rewritten sections
    costs no more than one."""
    deadline = time.time() + DIFF_TIMEOUT_SECONDS
    changes: list[Change] = []

    def _compare(label: str, old_text: str, new_text: str) -> None:
        if old_text == new_text:
            return
        kind = "added" if not old_text else "removed" if not new_text else "changed"
        changes.append(Change(label, kind, inline_diff(old_text, new_text, deadline=deadline)))

    for name, label in FIELDS:
        _compare(label, old.fields.get(name, ""), new.fields.get(name, ""))
    _compare("Infobox", old.infobox, new.infobox)
    # A section moved is a change of the article as readers see it, though
    # neither its heading nor its body changed: compare the order of the
    # sections both revisions have (added and removed ones are shown below).
    kept_before = [pk for pk in old.sections if pk in new.sections]
    kept_after = [pk for pk in new.sections if pk in old.sections]
    if kept_before != kept_after:
        changes.append(Change("Section order", "changed", format_html(
            "<del>{}</del>\n<ins>{}</ins>", _numbered(old.sections), _numbered(new.sections)
        )))
    for pk in [*old.sections, *(pk for pk in new.sections if pk not in old.sections)]:
        before, after = old.sections.get(pk), new.sections.get(pk)
        label = f"Section {(after or before)[0]}"
        _compare(label, "\n".join(before) if before else "", "\n".join(after) if after else "")
    _compare("See also", old.see_also, new.see_also)
    _compare("Population history", old.population_history, new.population_history)
    _compare("Mentions", old.mentions, new.mentions)
    _compare("References", old.references, new.references)
    _compare("Citations", old.citations, new.citations)
    return changes


def _numbered(sections: dict[str, tuple[str, str]]) -> str:
    return "\n".join(f"{n}. {heading}" for n, (heading, _body) in enumerate(sections.values(), 1))


def inline_diff(old: str, new: str, *, deadline: float | None = None) -> SafeString:
    """Word-level diff of two texts as HTML: every piece of text escaped.

    Lines are diffed first and words only within the runs of changed lines,
    so an edit costs time in proportion to the paragraphs it touches, not to
    the square of the section's length. Past ``deadline`` (``time.time()``;
    by default DIFF_TIMEOUT_SECONDS from now) the rest comes out coarser."""
    if deadline is None:
        deadline = time.time() + DIFF_TIMEOUT_SECONDS
    parts: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def changed_lines() -> None:
        if deleted or inserted:
            words = _token_diff(_TOKEN.findall("".join(deleted)), _TOKEN.findall("".join(inserted)),
                                deadline=deadline, semantic=True)
            parts.extend(_html(op, tokens) for op, tokens in words)
            deleted.clear()
            inserted.clear()

    lines = _token_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                        deadline=deadline, semantic=False)
    for op, tokens in lines:
        if op == diff_match_patch.DIFF_EQUAL:
            changed_lines()
            parts.append(_html(op, tokens))
        else:
            (deleted if op == diff_match_patch.DIFF_DELETE else inserted).extend(tokens)
    changed_lines()
    return mark_safe("".join(parts))


def _html(op: int, tokens: list[str]) -> str:
    text = escape("".join(tokens))
    if op == diff_match_patch.DIFF_DELETE:
        return f"<del>{text}</del>"
    if op == diff_match_patch.DIFF_INSERT:
        return f"<ins>{text}</ins>"
    return text


# diff-match-patch (Myers' O(ND) diff, after trimming the common prefix and
# suffix) is near-linear for the usual edit of a few words in a long section,
# where difflib's SequenceMatcher is quadratic (52 s for one changed word in
# 128 KB). Past the deadline it returns a coarser but still correct diff (the
# rest of a run as one deletion and one insertion), so pathological texts cost
# a bounded time per comparison of two revisions, not a stalled page.
DIFF_TIMEOUT_SECONDS = 0.25
# Tokens are diffed as one character each (diff-match-patch's line-mode
# trick, also used for words). Code points start past ASCII so the semantic
# clean-up never reads a token as a line break; surrogates are skipped.
_FIRST_CODE = 0x100
_SURROGATES = range(0xD800, 0xE000)
_MAX_TOKENS = sys.maxunicode + 1 - _FIRST_CODE - len(_SURROGATES)


def _token_diff(
    a: list[str], b: list[str], *, deadline: float, semantic: bool
) -> list[tuple[int, list[str]]]:
    """(op, tokens) runs turning token list ``a`` into ``b``."""
    vocabulary: dict[str, str] = {}
    tokens: list[str] = []

    def encode(words: list[str]) -> str | None:
        chars = []
        for word in words:
            char = vocabulary.get(word)
            if char is None:
                if len(tokens) >= _MAX_TOKENS:
                    return None
                code = _FIRST_CODE + len(tokens)
                char = chr(code if code < _SURROGATES.start else code + len(_SURROGATES))
                vocabulary[word] = char
                tokens.append(word)
            chars.append(char)
        return "".join(chars)

    encoded_a, encoded_b = encode(a), encode(b)
    if encoded_a is None or encoded_b is None:  # over a million distinct tokens
        return [(op, t) for op, t in ((diff_match_patch.DIFF_DELETE, a),
                                      (diff_match_patch.DIFF_INSERT, b)) if t]
    matcher = diff_match_patch()
    matcher.Diff_Timeout = DIFF_TIMEOUT_SECONDS
    diffs = matcher.diff_main(encoded_a, encoded_b, checklines=False, deadline=deadline)
    if semantic:
        # Merge the small equalities between edits ("the", a space) that
        # make a rewritten sentence read as confetti.
        matcher.diff_cleanupSemantic(diffs)
    by_char = {char: word for word, char in vocabulary.items()}
    return [(op, [by_char[c] for c in chars]) for op, chars in diffs if chars]
