"""Bulk actions of the article change list: publish and unpublish the
selected articles, beside the admin's own delete.

Each article that changes is saved through ``article_edit``, the same
service path as an editor's save: one revision with its comment, its page
rendered again and every page that shows it purged, so that the change is
on the very next request. Articles already in the wanted status are left
alone (no empty revision).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy, ngettext

from ..models import Article
from ..services import article_edit

PUBLISHED_COMMENT = "Published"
UNPUBLISHED_COMMENT = "Unpublished"


def _set_status(model_admin, request: HttpRequest, queryset: QuerySet, status: str, comment: str) -> None:
    # The admin checks the action's permission once for the whole list;
    # this checks it again for each article (an admin may refuse some).
    changed, refused = [], []
    for article in queryset.exclude(status=status).order_by("title"):
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
        try:
            article_edit(article=article, changes={"status": status}, user=request.user, comment=comment)
        except ValidationError as exc:
            refused.append(f"{article.title}: {' '.join(exc.messages)}")
            continue
        model_admin.log_change(request, article, comment)
        changed.append(article.title)
    count = len(changed)
    # Whole sentences for each status, so that a translation can make the
    # words agree (Russian's "опубликована"/"опубликованы").
    if status == Article.Status.PUBLISHED:
        done = ngettext("%(count)d article published.", "%(count)d articles published.", count)
        none = gettext("No article was published: the selected ones already were.")
        refusal = gettext("Not published: %(problem)s")
    else:
        done = ngettext("%(count)d article draft.", "%(count)d articles draft.", count)
        none = gettext("No article was draft: the selected ones already were.")
        refusal = gettext("Not draft: %(problem)s")
    if count:
        model_admin.message_user(request, done % {"count": count}, messages.SUCCESS)
    else:
        model_admin.message_user(request, none, messages.INFO)
    for problem in refused:
        model_admin.message_user(request, refusal % {"problem": problem}, messages.ERROR)


@admin.action(description=gettext_lazy("Publish selected articles"), permissions=["change"])
def publish(model_admin, request: HttpRequest, queryset: QuerySet) -> None:
    _set_status(model_admin, request, queryset, Article.Status.PUBLISHED, PUBLISHED_COMMENT)


@admin.action(description=gettext_lazy("Unpublish selected articles (make them drafts)"), permissions=["change"])
def unpublish(model_admin, request: HttpRequest, queryset: QuerySet) -> None:
    _set_status(model_admin, request, queryset, Article.Status.DRAFT, UNPUBLISHED_COMMENT)


ACTIONS = [publish, unpublish]
