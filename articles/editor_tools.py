"""Editing tools on the public article page, for editors only.

``editor_tools`` decides, per request and never cached, what the signed-in
user may do from the page; readers get ``None`` and the templates then show
exactly what they always did. Missing titles become "create" links to the
admin add form (``?title=...&from=<pk>``: ``add_form_url``, the one builder
of that address, which the admin's "Create related article" link uses too)
that the admin prefills; a title that is missing for readers because its
article is still a draft links the editor to that draft's preview instead
(creating it again would only fail).

The views call ``can_preview`` and ``editor_tools``; the template filters
(``templatetags/editing.py``) only read the ``EditorTools`` they are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import quote, urlencode

from django.urls import reverse

from .lookups import resolve_titles
from .models import Article

PREVIEW_PERMISSION = "articles.view_article"
CREATE_PERMISSION = "articles.add_article"

# A missing [[link]] exactly as markdown.render stores it (after nh3, which
# escapes the title's & and " and the label's & < >).
MISSING_LINK_RE = re.compile(
    r'<span class="missing" title="([^"<>]*): no article yet">([^<>]*)</span>'
)


def add_form_url(add_url: str, *, title: str = "", source_pk: int | None = None) -> str:
    """The admin add form at ``add_url`` prefilled for ``title``, created
    from the article ``source_pk``."""
    params = {}
    if title:
        params["title"] = title
    if source_pk is not None:
        params["from"] = source_pk
    return f"{add_url}?{urlencode(params, quote_via=quote)}" if params else add_url


@dataclass(frozen=True)
class EditorTools:
    edit_url: str  # the article's admin change page
    add_url: str  # the admin add form; empty when the user may not add articles
    source_pk: int
    drafts: dict[str, str] = field(default_factory=dict)  # missing title -> its draft's preview

    def create_url(self, title: str) -> str:
        if not self.add_url or title in self.drafts:
            return ""
        return add_form_url(self.add_url, title=title, source_pk=self.source_pk)


def can_preview(user) -> bool:
    """Staff editors and superusers: they see drafts and the editing tools.
    Readers (anonymous users) are answered without a query."""
    return bool(user.is_active and user.is_staff and user.has_perm(PREVIEW_PERMISSION))


def editor_tools(user, article, page=None) -> EditorTools | None:
    """What ``user`` may do from ``article``'s page (``page``, the
    selectors' ArticlePage, names the titles it shows as missing); None for
    readers."""
    if not can_preview(user):
        return None
    return EditorTools(
        edit_url=reverse("admin:articles_article_change", args=[article.pk]),
        add_url=reverse("admin:articles_article_add") if user.has_perm(CREATE_PERMISSION) else "",
        source_pk=article.pk,
        drafts=draft_urls(missing_titles(page)) if page is not None else {},
    )


def missing_titles(page) -> set[str]:
    """Titles the page shows readers as not written: See also rows, related
    communities and the infobox's related groups without an article, and
    missing [[links]]."""
    titles = {row.target_title for row in page.see_also if not row.target_id}
    titles |= {link.text for group in page.related for link in group.links if not link.url}
    titles |= {value.text for line in page.infobox for value in line.values if value.missing}
    for html in [page.article.lead_html, *(item.section.body_html for item in page.sections)]:
        titles |= {unescape(title) for title, _label in MISSING_LINK_RE.findall(html or "")}
    return titles


def draft_urls(titles: set[str]) -> dict[str, str]:
    """Preview URLs of the drafts with these titles (or former titles): one
    or two queries, for editors only."""
    drafts = resolve_titles(titles, status=Article.Status.DRAFT)
    return {title: article.get_absolute_url() for title, article in drafts.items()}
