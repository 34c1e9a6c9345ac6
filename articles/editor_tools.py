"""Editing tools on the public article page, for editors only.

``editor_tools`` decides, per request and never cached, what the signed-in
user may do from the page; readers get ``None`` and the templates then show
exactly what they always did. Missing titles become "create" links to the
admin add form (``?title=...&from=<pk>``: ``add_form_url``, the one builder
of that address, which the admin's "Create related article" link uses too)
that the admin prefills; a title that is missing for readers because its
article is still a draft links the editor to that draft's preview instead
(creating it again would only fail).

The page readers get is stored when written (``articles.rendered``); an
editor gets that same page with its missing titles rewritten
(``with_editor_links``), not a second build of it, and, with the permission
to change articles, an "edit" link beside each section's heading to the
section form (``articles/admin/section_edit.py``), at no extra query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.translation import gettext

from .lookups import resolve_titles
from .models import Article

PREVIEW_PERMISSION = "articles.view_article"
CREATE_PERMISSION = "articles.add_article"
CHANGE_PERMISSION = "articles.change_article"

# A section heading's own link exactly as templates/includes/article_body.html
# writes it; the editor's "edit" link goes right after it, inside the heading,
# as MediaWiki's [edit] does.
SECTION_ANCHOR_RE = re.compile(
    r'<a class="anchor" href="#([^"<>]+)" aria-label="Link to the section ([^"<>]*)">#</a>'
)

# A missing title as markdown.render stores it (after nh3, which escapes the
# title's & and " and the label's & < >), and as includes/title_link.html
# writes it in any interface language: the title, a colon, words without one.
MISSING_LINK_RE = re.compile(
    r'<span class="missing" title="([^"<>]*): [^"<>:]*">([^<>]*)</span>'
    r'( <span class="missing-note">[^<>]*</span>)?'
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
    # The section form's address with "{anchor}" for the section's id;
    # empty when the user may not change articles.
    section_url: str = ""

    def create_url(self, title: str) -> str:
        if not self.add_url or title in self.drafts:
            return ""
        return add_form_url(self.add_url, title=title, source_pk=self.source_pk)


def can_preview(user) -> bool:
    """Staff editors and superusers: they see drafts and the editing tools.
    Readers (anonymous users) are answered without a query."""
    return bool(user.is_active and user.is_staff and user.has_perm(PREVIEW_PERMISSION))


def editor_tools(user, article, body: str = "") -> EditorTools | None:
    """What ``user`` may do from ``article``'s page (``body``, the stored
    page, names the titles it shows as missing); None for readers."""
    if not can_preview(user):
        return None
    return EditorTools(
        edit_url=reverse("admin:articles_article_change", args=[article.pk]),
        add_url=reverse("admin:articles_article_add") if user.has_perm(CREATE_PERMISSION) else "",
        source_pk=article.pk,
        drafts=draft_urls(missing_titles(body)),
        # Permissions are read once per request (one query, already made
        # by can_preview), so this check costs none.
        section_url=section_url_template(article.pk) if user.has_perm(CHANGE_PERMISSION) else "",
    )


def section_url_template(pk: int) -> str:
    """The section form's address for article ``pk``, "{anchor}" standing
    for the section's id on the page (quoted when filled in)."""
    placeholder = "ANCHOR-PLACEHOLDER"
    url = reverse("admin:articles_article_section", args=[pk, placeholder])
    return url.replace(placeholder, "{anchor}")


def missing_titles(html: str) -> set[str]:
    """Titles the page shows readers as not written: See also rows, related
    communities, the infobox's related groups and [[links]] without an
    article, all marked up alike (MISSING_LINK_RE)."""
    return {unescape(match.group(1)) for match in MISSING_LINK_RE.finditer(html)}


def draft_urls(titles: set[str]) -> dict[str, str]:
    """Preview URLs of the drafts with these titles (or former titles): one
    or two queries, for editors only; none when there is no title."""
    if not titles:
        return {}
    drafts = resolve_titles(titles, status=Article.Status.DRAFT)
    return {title: article.get_absolute_url() for title, article in drafts.items()}


def with_editor_links(html: str, editor: EditorTools | None) -> str:
    """The stored page ``html`` (sanitised, as every reader gets it) with its
    missing titles turned into create links, or into links to the draft of
    that title, for an editor who may add articles or preview drafts;
    unchanged otherwise. As safe as its input: only our own markup is
    added, the titles escaped."""
    if not html or editor is None:
        return html
    if editor.section_url:
        html = with_section_links(html, editor.section_url)
    if not (editor.add_url or editor.drafts):
        return html

    def link(match: re.Match) -> str:
        title = unescape(match.group(1))
        label, note = match.group(2), match.group(3) or ""
        if title in editor.drafts:
            return (
                f'<a class="missing draft-link" href="{escape(editor.drafts[title])}"'
                f' title="{escape(gettext("%(title)s: a draft, not published yet") % {"title": title})}">'
                f'{label}</a>'
                + (f' <span class="missing-note">{escape(gettext("(draft)"))}</span>' if note else "")
            )
        if not editor.add_url:
            return match.group(0)
        return (
            f'<a class="missing create-link" href="{escape(editor.create_url(title))}"'
            f' title="{escape(gettext("%(title)s: no article yet; create it") % {"title": title})}">'
            f'{label}</a>{note}'
        )

    return MISSING_LINK_RE.sub(link, html)


def with_section_links(html: str, section_url: str) -> str:
    """The page with an "edit" link beside each section's heading, to the
    section form (articles/admin/section_edit.py). The anchor and heading
    come from the stored page, already escaped; the anchor is quoted again
    as a URL's path segment."""

    def link(match: re.Match) -> str:
        anchor, heading = unescape(match.group(1)), match.group(2)
        url = escape(section_url.format(anchor=quote(anchor, safe="")))
        return (
            f'{match.group(0)} <span class="section-edit">[<a href="{url}"'
            # The heading comes escaped from the stored page; the rest is ours.
            f' aria-label="{escape(gettext("Edit the section %(heading)s") % {"heading": unescape(heading)})}">'
            f'{escape(gettext("edit"))}</a>]</span>'
        )

    return SECTION_ANCHOR_RE.sub(link, html)
