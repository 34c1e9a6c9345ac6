"""The size of an article's wiki-text as each of its revisions recorded it,
for the history page's "size change" column (as MediaWiki's +120 / −35).

The sizes of any number of revisions are read in a fixed number of
queries: one for all their versions, and one per model of named terms
(languages, religions, places) the infobox lists point at. A revision's
text is written by ``wikitext.dump``, the writer an export uses, from its
title, infobox, lead, sections and See also; its references are left out
(their sources are rows of their own, not of the revision), so an edit of
a reference alone counts 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from reversion.models import Version

from . import wikitext
from .infobox import ROW_STORAGE, infobox_from

_Rows = dict[str, list[dict]]  # model name: field dicts of the revision's versions


def wikitext_sizes(revision_ids: Iterable[int]) -> dict[int, int]:
    """UTF-8 bytes of the article's wiki-text at each revision, by revision
    id (a revision without an article version is left out)."""
    by_revision: dict[int, _Rows] = defaultdict(lambda: defaultdict(list))
    for version in Version.objects.filter(revision_id__in=list(revision_ids)).select_related(
        "content_type"
    ):
        by_revision[version.revision_id][version.content_type.model].append(version.field_dict)
    names = _names(by_revision.values())
    return {
        revision_id: len(_text(rows, names).encode("utf-8"))
        for revision_id, rows in by_revision.items()
        if rows.get("article")
    }


def _names(revisions: Iterable[_Rows]) -> dict[str, dict[int, str]]:
    """Names of the terms the revisions' list rows point at: one query per
    model, for all the revisions at once."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for rows in revisions:
        for storage in ROW_STORAGE:
            if storage.is_foreign_key:
                field = f"{storage.value}_id"
                wanted[storage.target] |= {r[field] for r in rows.get(storage.model._meta.model_name, ())}
    return {
        model._meta.model_name: dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
        for model, ids in wanted.items()
        if ids
    }


def _text(rows: _Rows, names: dict[str, dict[int, str]]) -> str:
    [article] = rows["article"][:1]

    def ordered(model: str) -> list[dict]:
        return sorted(rows.get(model, ()), key=lambda row: (row.get("position", 0), row.get("id", 0)))

    def row_names(storage) -> list[str]:
        listed = ordered(storage.model._meta.model_name)
        if not storage.is_foreign_key:
            return [r[storage.value] for r in listed]
        named = names.get(storage.target._meta.model_name, {})
        return [named.get(r[f"{storage.value}_id"], "?") for r in listed]

    infobox = infobox_from(
        column=article.get,
        names=row_names,
        extras=[wikitext.ExtraRow(r["key"], r["value"], r["position"]) for r in ordered("infoboxrow")],
    )
    doc = wikitext.ArticleDoc(
        title=str(article.get("title") or ""),
        infobox=infobox,
        lead=str(article.get("lead") or ""),
        sections=[
            wikitext.Section(heading=r["heading"], level=r["level"], body=r["body"])
            for r in ordered("section")
        ],
        see_also=[r["target_title"] for r in ordered("seealso")],
    )
    return wikitext.dump(doc)


def signed_bytes(change: int) -> str:
    """"+120", "−35" (a minus sign, as MediaWiki writes it), "0"."""
    if change > 0:
        return f"+{change:,}"
    if change < 0:
        return f"\u2212{-change:,}"
    return "0"
