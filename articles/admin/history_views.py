"""The article's history in the admin: its revisions listed on the admin's
history page, a diff between any two, and revert to one of them.

``ArticleAdmin.get_urls`` routes ``<id>/history/compare/`` and
``<id>/history/<revision>/revert/`` to ``HistoryViews``; the states and diffs
of revisions are ``articles.revision_diff``, the revert ``article_revert``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Revision, Version

from .. import revision_diff
from ..models import Article
from ..services import RevertRefused, article_revert

COMPARE_TEMPLATE = "admin/articles/article/revision_compare.html"
REVERT_TEMPLATE = "admin/articles/article/revision_revert.html"


def revisions_of(article: Article) -> list[Revision]:
    """The article's revisions, newest first."""
    return [
        version.revision
        for version in Version.objects.get_for_object(article).select_related(
            "revision__user", "revision__origin"
        )
    ]


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
            **self._context(request, article, f"Changes to {article}"),
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
                messages.success(request, f"{article} was restored: {new.get_comment()}.")
                return HttpResponseRedirect(
                    reverse(f"admin:{article._meta.app_label}_{article._meta.model_name}_history",
                            args=[article.pk])
                )
        latest = revisions_of(article)[0]
        context = {
            **self._context(request, article, f"Revert {article}"),
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
