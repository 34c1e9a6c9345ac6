"""The article's history in the admin: its revisions listed on the admin's
history page, a diff between any two, and revert to one of them.

The history page (``ArticleAdmin.history_view`` with ``history_context``)
is one table of revisions, newest first, a page of ``HISTORY_PER_PAGE`` at
a time: time to the second, author, edit summary, size change of the
wiki-text (``articles.revision_sizes``) and a link comparing each revision
with the one before it. Its queries do not grow with the revisions: one
count, one page of revisions with their authors, one for their versions.

``ArticleAdmin.get_urls`` routes ``<id>/history/compare/`` and
``<id>/history/<revision>/revert/`` to ``HistoryViews``; the states and diffs
of revisions are ``articles.revision_diff``, the revert ``article_revert``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from reversion.models import Revision, Version

from .. import revision_diff
from ..revision_sizes import signed_bytes, wikitext_sizes
from ..models import Article
from ..services import RevertRefused, article_revert

COMPARE_TEMPLATE = "admin/articles/article/revision_compare.html"
REVERT_TEMPLATE = "admin/articles/article/revision_revert.html"
HISTORY_PER_PAGE = 50


def revisions_of(article: Article) -> list[Revision]:
    """The article's revisions, newest first."""
    return [
        version.revision
        for version in Version.objects.get_for_object(article).select_related(
            "revision__user", "revision__origin"
        )
    ]


@dataclass(frozen=True)
class HistoryRow:
    """One revision as the history page's table shows it."""

    revision: Revision
    size: int | None  # bytes of wiki-text; None when the revision holds no article
    change: str  # "+120", "\u221235", "0", or "" when the size is unknown
    growth: str  # "grew", "shrank" or "same": the class of the change's cell
    previous: Revision | None  # the revision before it, to compare with


def history_context(request, article: Article) -> dict:
    """The history page's table of ``article``'s revisions, the page of them
    the request asks for (``?p=``, as the admin's own lists)."""
    versions = (
        Version.objects.get_for_object(article)
        .order_by("-revision__date_created", "-pk")
        .select_related("revision__user", "revision__origin")
    )
    paginator = Paginator(versions, HISTORY_PER_PAGE)
    page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
    # One revision past the page: the one the page's oldest row compares with.
    start = (page.number - 1) * HISTORY_PER_PAGE
    revisions = [v.revision for v in versions[start : start + HISTORY_PER_PAGE + 1]] if paginator.count else []
    sizes = wikitext_sizes(r.pk for r in revisions)
    rows = []
    for index, revision in enumerate(revisions[:HISTORY_PER_PAGE]):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        size = sizes.get(revision.pk)
        before = sizes.get(previous.pk) if previous else 0
        change = size - before if size is not None and before is not None else None
        rows.append(HistoryRow(
            revision=revision,
            size=size,
            change="" if change is None else signed_bytes(change),
            growth="" if change is None else "grew" if change > 0 else "shrank" if change < 0 else "same",
            previous=previous,
        ))
    return {
        "history_rows": rows,
        "history_page": page,
        "history_page_range": paginator.get_elided_page_range(page.number) if paginator.num_pages > 1 else [],
        "history_latest": rows[0].revision if rows and page.number == 1 else None,
        "page_var": PAGE_VAR,
    }


class HistoryViews:
    """The compare and revert views of one model admin of Article."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        try:
            old = self._revision_of(article, int(request.GET.get("a", "")))
            new = self._revision_of(article, int(request.GET.get("b", "")))
        except ValueError:
            raise Http404("Choose two revisions to compare.") from None
        if old.date_created > new.date_created or (old.date_created == new.date_created and old.pk > new.pk):
            old, new = new, old
        context = {
            **self._context(request, article, gettext("Changes to %(article)s") % {"article": article}),
            "old": old,
            "new": new,
            "changes": revision_diff.diff(revision_diff.state_of(old), revision_diff.state_of(new)),
        }
        return TemplateResponse(request, COMPARE_TEMPLATE, context)

    def revert_view(self, request, object_id, revision_id):
        model_admin = self.model_admin
        article = self._article_or_404(request, object_id)
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
        revision = self._revision_of(article, revision_id)
        error = ""
        if request.method == "POST":
            try:
                new = article_revert(article=article, revision=revision, user=request.user)
            except RevertRefused as refused:
                error = str(refused)
            else:
                article.refresh_from_db()
                model_admin.log_change(request, article, new.get_comment())
                messages.success(request, gettext("%(article)s was restored: %(comment)s.")
                                 % {"article": article, "comment": new.get_comment()})
                return HttpResponseRedirect(
                    reverse(f"admin:{article._meta.app_label}_{article._meta.model_name}_history",
                            args=[article.pk])
                )
        latest = revisions_of(article)[0]
        context = {
            **self._context(request, article, gettext("Revert %(article)s") % {"article": article}),
            "revision": revision,
            "changes": revision_diff.diff(revision_diff.state_of(latest), revision_diff.state_of(revision)),
            "error": error,
        }
        return TemplateResponse(request, REVERT_TEMPLATE, context)

    def _article_or_404(self, request, object_id) -> Article:
        article = self.model_admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.model_admin.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    @staticmethod
    def _revision_of(article: Article, revision_id) -> Revision:
        version = Version.objects.get_for_object(article).filter(revision_id=revision_id).first()
        if version is None:
            raise Http404("That is not a revision of this article.")
        return version.revision

    def _context(self, request, article: Article, title: str) -> dict:
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.model._meta,
            "original": article,
            "title": title,
        }
