"""Revisions of an article as readable states, and diffs between them."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision

from people.models import Person, Place

from . import wikitext
from .models import Language, Religion

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class ArticleState:
    """One revision of an article, as editors read it."""

    fields: dict[str, str] = field(default_factory=dict)
    infobox: str = ""
    sections: dict[str, tuple[str, str]] = field(default_factory=dict)  # pk -> (heading, body)
    see_also: str = ""
    population_history: str = ""
    mentions: str = ""


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
    population = None
    if article.get("population") is not None or article.get("population_note"):
        population = wikitext.Population(article.get("population"), article.get("population_note", ""))
    infobox = wikitext.Infobox(
        group=article.get("group_name", ""),
        population=population,
        places=[names["place"].get(r["place_id"], "?") for r in ordered("populationplace")],
        languages=[names["language"].get(r["language_id"], "?") for r in ordered("articlelanguage")],
        religions=[names["religion"].get(r["religion_id"], "?") for r in ordered("articlereligion")],
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
    return state


def _names(by_model: dict[str, list[dict]]) -> dict[str, dict[int, str]]:
    place_ids = {r["place_id"] for m in ("populationplace", "placemention") for r in by_model[m]}
    return {
        "place": dict(Place.objects.filter(pk__in=place_ids).values_list("pk", "name")),
        "person": dict(
            Person.objects.filter(pk__in={r["person_id"] for r in by_model["personmention"]})
            .values_list("pk", "name")
        ),
        "language": dict(
            Language.objects.filter(pk__in={r["language_id"] for r in by_model["articlelanguage"]})
            .values_list("pk", "name")
        ),
        "religion": dict(
            Religion.objects.filter(pk__in={r["religion_id"] for r in by_model["articlereligion"]})
            .values_list("pk", "name")
        ),
    }


def diff(old: ArticleState, new: ArticleState) -> list[Change]:
    """What changed from ``old`` to ``new``, field by field and section by
    section, with removed text in <del> and added text in <ins>."""
    changes: list[Change] = []
    for name, label in FIELDS:
        _compare(changes, label, old.fields.get(name, ""), new.fields.get(name, ""))
    _compare(changes, "Infobox", old.infobox, new.infobox)
    for pk in [*old.sections, *(pk for pk in new.sections if pk not in old.sections)]:
        before, after = old.sections.get(pk), new.sections.get(pk)
        label = f"Section {(after or before)[0]}"
        _compare(changes, label, "\n".join(before) if before else "", "\n".join(after) if after else "")
    _compare(changes, "See also", old.see_also, new.see_also)
    _compare(changes, "Population history", old.population_history, new.population_history)
    _compare(changes, "Mentions", old.mentions, new.mentions)
    return changes


def _compare(changes: list[Change], label: str, old: str, new: str) -> None:
    if old == new:
        return
    kind = "added" if not old else "removed" if not new else "changed"
    changes.append(Change(label, kind, inline_diff(old, new)))


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff of two texts as HTML: every piece of text escaped."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))
