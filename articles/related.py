"""Read side: the links a page shows (``Link``) and the related
communities block: the same group in other countries, other groups in the
same country and the reverse community, without what See also already
shows. ``selectors.article_page`` builds them; split from selectors.py to
keep each module to one subject."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext

from people.models import Place

from .communities import community_from_title, reverse_community_title
from .models import Article, SeeAlso


@dataclass(frozen=True)
class Link:
    text: str
    url: str = ""  # empty: no page (yet)
    missing: bool = False  # an article title without a published article: the missing style


@dataclass(frozen=True)
class RelatedGroup:
    label: str
    links: list[Link]


def see_also_titles(rows: list[SeeAlso]) -> set[str]:
    """The titles See also shows: a linked row shows its target's title."""
    return {row.target.title if row.target_id else row.target_title for row in rows} | {
        row.target_title for row in rows}


def without_titles(groups: list[RelatedGroup], titles: set[str]) -> list[RelatedGroup]:
    """``groups`` without the links to ``titles`` (what See also already
    shows: a reader should not meet the same title twice), and without the
    groups left empty, so that the block goes when See also holds it all."""
    kept = [
        RelatedGroup(group.label, [link for link in group.links if link.text not in titles])
        for group in groups
    ]
    return [group for group in kept if group.links]


def related_articles(article: Article) -> list[RelatedGroup]:
    """Communities related by data alone: the same group in other countries,
    other groups in the same country, and the reverse community. Titles come
    from published articles and from See also rows naming missing ones."""
    group = article.origin_group
    host: Place | None = article.host_country
    origin: Place | None = article.origin_country
    if not group and host is None:
        return []
    reverse_title = reverse_community_title(host=host, origin=origin)
    # One SELECT a condition, joined by UNION (which also drops repeats): an
    # OR of them leads SQLite's planner, which has no statistics, to read
    # every published article or every unlinked row instead of the indexes
    # (Article's article_group_status, article_host_status and unique title;
    # SeeAlso's seealso_group_unlinked, _host_unlinked, _title_unlinked).
    wanted: list[Q] = []
    missing: list[Q] = []
    if group:
        wanted.append(Q(origin_group=group))
        missing.append(Q(target_group=group))
    if host is not None:
        wanted.append(Q(host_country=host))
        missing.append(Q(target_host=host.name))
    if reverse_title:
        wanted.append(Q(title=reverse_title))
        missing.append(Q(target_title=reverse_title))
    text = CharField()
    existing = [
        Article.objects.published()
        .filter(condition)
        .exclude(pk=article.pk)
        .annotate(group=F("origin_group"), host=F("host_country__name"))
        .values_list("title", "slug", "group", "host")
        .order_by()
        for condition in wanted
    ]
    unwritten = [
        # Only what published articles list: a draft's See also is not public.
        SeeAlso.objects.filter(
            condition, target__isnull=True, article__status=Article.Status.PUBLISHED
        )
        .exclude(target_title=article.title)
        .annotate(slug=Value("", text), group=Value("", text), host=Value("", text))
        .values_list("target_title", "slug", "group", "host")
        .order_by()
        for condition in missing
    ]
    first, *others = [*existing, *unwritten]
    found: dict[str, tuple[str, str, str]] = {}
    for title, slug, row_group, row_host in first.union(*others).order_by("title")[:200]:
        if not slug:
            parsed = community_from_title(title)
            if parsed is None or title in found:
                continue
            row_group, row_host = parsed
        url = reverse("article-detail", kwargs={"slug": slug}) if slug else ""
        if title not in found or url:
            found[title] = (url, row_group or "", row_host or "")
    if reverse_title and reverse_title not in found:
        found[reverse_title] = ("", host.demonym, origin.name)

    here = host.name if host else ""
    groups = [
        RelatedGroup(gettext("%(group)s in other countries") % {"group": group}, [
            Link(title, url) for title, (url, g, h) in found.items()
            if group and g == group and h != here and title != reverse_title
        ]),
        RelatedGroup(gettext("Other communities in %(place)s") % {"place": here}, [
            Link(title, url) for title, (url, g, h) in found.items()
            if here and h == here and g != group and title != reverse_title
        ]),
        RelatedGroup(gettext("The reverse community"), [
            Link(title, url) for title, (url, _g, _h) in found.items() if title == reverse_title
        ]),
    ]
    return [g for g in groups if g.links]


