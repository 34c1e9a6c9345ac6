"""An editor's save of an article: what derives from it brought up to date
and one revision recorded, inside one ``content_change`` (the pages it
changes evicted, its own page rendered again in the writing transaction).

The admin's change form saves the article and its rows through its forms
(``articles.admin.change_form.article_saved`` then calls ``article_saved``,
inside the ``content_change`` that ``articles.admin.keyed`` opens);
``article_edit`` is the same save for a change of the article's own fields
made by code (a script, a bot, the benchmarks' editor).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from reversion.models import Revision

from ..dependencies import content_change
from ..models import Article
from ..translations import translation_joined
from .refresh import article_refresh
from .revisions import article_revision_save

# The fields whose change moves the [[links]] to the article elsewhere.
LINKED_BY = ("title", "slug", "status")


def article_saved(
    *,
    article: Article,
    user=None,
    comment: str,
    former: tuple[str, str] | None = None,
    relink: bool = True,
) -> Revision:
    """After ``article`` (or any of its rows) was saved by an editor: refresh
    what derives from it and record the revision. ``former``: its (title,
    slug) before the save, if it existed; ``relink=False`` when its title,
    slug and status did not change (see ``article_refresh``). An article
    saying what it was translated from joins that article's translation
    group (``translation_joined``: ``ValidationError`` for a translation of
    itself or from its own language, which the admin's form refuses first)."""
    article_refresh(article=article, former=former, relink=relink)
    translation_joined(article=article)
    return article_revision_save(article=article, user=user, comment=comment)


def article_edit(
    *, article: Article, changes: dict[str, Any], user=None, comment: str = "Saved."
) -> Revision:
    """Set some of ``article``'s own fields, validated as the admin's form
    validates them, and save them as an editor's save. Raises
    ``ValidationError`` (and writes nothing) on a value the form refuses."""
    former = (article.title, article.slug)
    relink = any(changes.get(name, getattr(article, name)) != getattr(article, name)
                 for name in LINKED_BY)
    with content_change() as change, transaction.atomic():
        change.articles([article.pk])
        change.render([article.pk])
        for name, value in changes.items():
            setattr(article, name, value)
        article.full_clean()
        article.save()
        return article_saved(article=article, user=user, comment=comment, former=former,
                             relink=relink)
