"""Read side: articles by the names and addresses they have or had. The
services (links, See also, imports), the editor tools and the views share
these reads; none of them writes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from .models import Article, FormerName


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
