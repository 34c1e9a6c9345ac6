"""The import preview's rendered new articles: each new article of a
wiki-text upload as its page will show it (infobox, lead, sections, See
also), rendered by the page's own code.

There is no second renderer to keep in step with the page: the new
articles are imported inside a transaction that is then rolled back, and
their bodies rendered in between from the rows the import wrote
(``selectors.article_page`` and ``includes/article_body.html``, sanitised
as the page is). Nothing stays in the database; the only lasting effect
is the page cache's purge of the pages that would have listed them, as any
write's (those pages are rendered again by their next reader).

The rendered bodies sit side by side on one admin page, so the ids of
each (the infobox's, the sections' anchors) get a prefix of their own.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from ..selectors import article_page
from ..services import ImportFailed, ImportPlan, articles_import

logger = logging.getLogger(__name__)

# A preview of a large upload renders the first new articles only, and no
# more text than this in all: each takes an import and a page's render
# inside the preview's request, which must stay well under the worker's
# timeout (the confirmed import of a large upload runs in the background).
RENDERED_MAX = 10
RENDERED_MAX_BYTES = 256 * 1024

_ID_ATTRIBUTE = re.compile(r'\b(id|for|aria-labelledby|aria-describedby|aria-controls)="([^"]+)"')
_FRAGMENT = re.compile(r'\bhref="#([^"]+)"')


class _RolledBack(Exception):
    pass


@dataclass(frozen=True)
class RenderedArticle:
    """A new article's body as its page shows it, and the language it is
    written in (the preview's section carries its lang/dir, as the page's
    ``<article>`` does)."""

    body: SafeString
    language: str


def rendered_new_articles(
    *, sources: list[tuple[str, bytes]], plan: ImportPlan, status: str
) -> dict[str, RenderedArticle]:
    """The article body of each new article of ``plan`` (up to
    RENDERED_MAX), by file name; {} if the dry run fails (the table of
    the preview still says what the import does)."""
    new = {item.name for item in plan.created[:RENDERED_MAX]}
    chosen, size = [], 0
    for name, data in sources:
        if name in new and size + len(data) <= RENDERED_MAX_BYTES:
            chosen.append((name, data))
            size += len(data)
    if not chosen:
        return {}
    bodies: dict[str, RenderedArticle] = {}
    try:
        with transaction.atomic():
            for number, result in enumerate(articles_import(sources=chosen, status=status)):
                article = Article.objects.for_page().get(pk=result.article_id)
                body = render_to_string("includes/article_body.html", {"page": article_page(article=article)})
                bodies[result.name] = RenderedArticle(
                    body=_prefixed(body, f"preview-{number + 1}-"), language=article.language
                )
            raise _RolledBack
    except _RolledBack:
        pass
    except ImportFailed:
        return {}
    except Exception:
        logger.exception("Rendering the import preview failed")
        return {}
    return bodies


def _prefixed(html: str, prefix: str) -> SafeString:
    """``html`` (rendered and sanitised by the page's code) with its ids and
    the references to them prefixed, so that several bodies can share a page."""
    html = _ID_ATTRIBUTE.sub(lambda m: f'{m[1]}="{" ".join(prefix + v for v in m[2].split())}"', html)
    return mark_safe(_FRAGMENT.sub(lambda m: f'href="#{prefix}{m[1]}"', html))
