"""Reads and rules the other services share: articles by title (former
titles included) and the "X in Y" community a title names."""

from __future__ import annotations

from ..models import Article, FormerName


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


def community_from_title(title: str) -> tuple[str, str] | None:
    """("Russians", "Afghanistan") from "Russians in Afghanistan"."""
    group, sep, country = title.partition(" in ")
    if not sep or not group.strip() or not country.strip():
        return None
    country = country.strip()
    return group.strip(), country.removeprefix("the ")
