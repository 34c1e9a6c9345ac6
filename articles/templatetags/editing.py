"""Editing tools on the public article page, for editors only.

``editor_tools`` decides, per request and never cached, what the signed-in
user may do from the page; readers get ``None`` and the templates then show
exactly what they always did. The filters turn missing titles into "create"
links to the admin add form (``?title=...&from=<pk>``), which
``articles.admin_create.CreateRelatedMixin`` prefills; a title that is
missing for readers because its article is still a draft links the editor to
that draft's preview instead (creating it again would only fail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import quote, urlencode

from django import template
from django.urls import reverse

from ..models import Article
from ..services import resolve_titles

register = template.Library()

PREVIEW_PERMISSION = "articles.view_article"
CREATE_PERMISSION = "articles.add_article"


@dataclass(frozen=True)
class EditorTools:
    edit_url: str  # the article's admin change page
    add_url: str  # the admin add form; empty when the user may not add articles
    source_pk: int
    drafts: dict[str, str] = field(default_factory=dict)  # missing title -> its draft's preview

    def create_url(self, title: str) -> str:
        if not self.add_url or title in self.drafts:
            return ""
        query = urlencode({"title": title, "from": self.source_pk}, quote_via=quote)
        return f"{self.add_url}?{query}"


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
    """Titles the page shows readers as not written: See also rows and
    related communities without an article, and missing [[links]]."""
    titles = {row.target_title for row in page.see_also if not row.target_id}
    titles |= {link.text for group in page.related for link in group.links if not link.url}
    for html in [page.article.lead_html, *(item.section.body_html for item in page.sections)]:
        titles |= {unescape(title) for title, _label in _MISSING_LINK_RE.findall(html or "")}
    return titles


def draft_urls(titles: set[str]) -> dict[str, str]:
    """Preview URLs of the drafts with these titles (or former titles): one
    or two queries, for editors only."""
    drafts = resolve_titles(titles, status=Article.Status.DRAFT)
    return {title: article.get_absolute_url() for title, article in drafts.items()}


@register.filter
def create_url(title: str, editor: EditorTools | None) -> str:
    """``{{ title|create_url:editor }}``: the add form for ``title``, or ""
    (also when ``title`` is a draft: see ``draft_url``)."""
    return editor.create_url(title) if editor else ""


@register.filter
def draft_url(title: str, editor: EditorTools | None) -> str:
    """``{{ title|draft_url:editor }}``: the preview of the draft with
    ``title``, or "" when there is none (or for readers)."""
    return editor.drafts.get(title, "") if editor else ""


# A missing [[link]] exactly as markdown.render stores it (after nh3, which
# escapes the title's & and " and the label's & < >).
_MISSING_LINK_RE = re.compile(
    r'<span class="missing" title="([^"<>]*): no article yet">([^<>]*)</span>'
)


@register.filter
def create_links(html: str, editor: EditorTools | None) -> str:
    """Rewrite the missing [[links]] of stored, sanitised HTML (``lead_html``,
    ``body_html``) into create links for an editor who may add articles;
    anything else, and everything for readers, is returned unchanged. The
    result is as safe as the input: the caller still marks it ``|safe``."""
    if not html or editor is None or not (editor.add_url or editor.drafts):
        return html

    def link(match: re.Match) -> str:
        title = unescape(match.group(1))
        if title in editor.drafts:
            return (
                f'<a class="missing draft-link" href="{escape(editor.drafts[title])}"'
                f' title="{escape(title)}: a draft, not published yet">{match.group(2)}</a>'
            )
        if not editor.add_url:
            return match.group(0)
        return (
            f'<a class="missing create-link" href="{escape(editor.create_url(title))}"'
            f' title="{escape(title)}: no article yet; create it">{match.group(2)}</a>'
        )

    return _MISSING_LINK_RE.sub(link, str(html))
