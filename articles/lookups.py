"""Read side: articles by the names and addresses they have or had. The
services (links, See also, imports), the editor tools and the views share
these reads; none of them writes."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import CharField, F, IntegerField, Value
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from people.models import Alias, Person, Place

from .models import Article, FormerName
from .wikitext.names import name_key, normalize_name


def resolve_titles(
    titles: set[str] | list[str], *, status: str = Article.Status.PUBLISHED
) -> dict[str, Article]:
    """Articles of ``status`` (published by default) by title, including
    titles they had before a rename: one query, two if some are not current."""
    titles = set(titles)
    if not titles:
        return {}
    found = {
        a.title: a
        for a in Article.objects.filter(status=status, title__in=titles).only("id", "title", "slug")
    }
    rest = titles - found.keys()
    if rest:
        former = FormerName.objects.filter(
            title__in=rest, article__status=status
        ).select_related("article").order_by("-renamed", "-id")
        for name in former:
            found.setdefault(name.title, name.article)
    return found


def former_slug_redirect(
    slug: str,
    *,
    drafts: bool = False,
    url: Callable[[Article], str] = Article.get_absolute_url,
) -> HttpResponseRedirect | None:
    """The redirect from ``slug``, an address an article had before a
    rename, to ``url(article)`` (its page by default); None when no article
    had it. One query. Only published articles unless ``drafts`` (editors
    previewing); permanent for a published article, temporary for a draft,
    whose address may change again before readers ever see it."""
    former = FormerName.objects.filter(slug=slug)
    if not drafts:
        former = former.filter(article__status=Article.Status.PUBLISHED)
    former = former.select_related("article").first()
    if former is None:
        return None
    article = former.article
    return redirect(url(article), permanent=article.status == Article.Status.PUBLISHED)


def name_targets(titles: set[str] | list[str]) -> dict[str, str]:
    """The page each of ``titles`` names when no article has it: a place
    by its name (any case or Unicode form, as places are unique by
    ``name_key``), else a person by name, else by alias (the person with
    the lowest id when several share it). Title -> URL, for the titles
    found; one query, none for no titles. ``[[links]]``, See also and the
    infobox's titles go to an article first (``resolve_titles``), then
    here, and only then are shown missing."""
    by_title = {title: normalize_name(title) for title in titles}
    if not by_title:
        return {}
    names = sorted(set(by_title.values()))
    keys = sorted({name_key(name) for name in names})
    text = CharField()
    rank = IntegerField()
    fields = ("rank", "target_kind", "matched", "target_slug", "target_id")
    rows = (
        Place.objects.filter(name_key__in=keys)
        .annotate(rank=Value(0, rank), target_kind=Value("place", text), matched=F("name_key"),
                  target_slug=F("slug"), target_id=F("id"))
        .values_list(*fields).order_by()
        .union(
            Person.objects.filter(name__in=names)
            .annotate(rank=Value(1, rank), target_kind=Value("person", text), matched=F("name"),
                      target_slug=F("slug"), target_id=F("id"))
            .values_list(*fields).order_by(),
            Alias.objects.filter(name__in=names)
            .annotate(rank=Value(2, rank), target_kind=Value("person", text), matched=F("name"),
                      target_slug=F("person__slug"), target_id=F("person_id"))
            .values_list(*fields).order_by(),
            all=True,
        )
        .order_by("rank", "target_id")
    )
    places: dict[str, str] = {}  # name_key -> URL
    people: dict[str, str] = {}  # name or alias -> URL, by name before by alias
    for _rank, kind, match, slug, _id in rows:
        found = places if kind == "place" else people
        found.setdefault(match, reverse(f"{kind}-detail", kwargs={"slug": slug}))
    urls = {}
    for title, name in by_title.items():
        url = places.get(name_key(name)) or people.get(name)
        if url:
            urls[title] = url
    return urls
