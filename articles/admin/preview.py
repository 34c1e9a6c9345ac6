"""Preview before saving, as MediaWiki's "Show preview" and "Show changes":
the change form (or a section form) posted to these views is shown again,
bound to what was typed, with the lead and sections rendered as the page
will render them, or with the diff against the stored article, above it.
Nothing is written: the change form goes through the admin's own view with
a form that never counts as valid (``change_form.form_with_conflicts``
reads the request's mark), so no save hook runs.

One renderer: the page's own (``services.render_text``: Markdown, nh3,
``[[links]]`` resolved as a save resolves them, citation markers numbered
as the page numbers them); one diff: ``articles.revision_diff``. With
script, ``static/js/edit-preview.js`` posts the same form here and puts the
answer (``FRAGMENT_HEADER``: the preview alone) in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from .. import markdown, revision_diff, wikitext
from ..citations import lenient_markers
from ..lookups import name_targets, resolve_titles
from ..models import Article, Section
from ..services.refresh import infobox_markers, render_text
from .change_form import PREVIEW_ATTRIBUTE

SECTIONS = "sections"
FRAGMENT_HEADER = "X-Edit-Preview"  # sent by edit-preview.js: answer the preview alone
FRAGMENT_TEMPLATE = "admin/articles/article/includes/edit_preview.html"
# The title and texts a preview shows the changes of; the infobox and the
# other inlines keep the stored version's values in "Show changes".
POSTED_FIELDS = ("title", "slug", "status", "lead")


@dataclass(frozen=True)
class PostedSection:
    key: str  # the row's id, or "new-<index>" for a row not saved yet
    heading: str
    level: int
    body: str


@dataclass(frozen=True)
class RenderedSection:
    heading: str
    level: int
    html: SafeString


@dataclass(frozen=True)
class EditPreview:
    mode: str  # "preview" or "changes"
    lead_html: SafeString | None = None  # None: only sections are shown (a section form)
    sections: tuple[RenderedSection, ...] = ()
    changes: tuple[revision_diff.Change, ...] = ()


def _level(value: str) -> int:
    return int(value) if value in ("2", "3") else Section.Level.SECTION


def _position(value: str, index: int) -> tuple[int, int]:
    try:
        return int(value), index
    except (TypeError, ValueError):
        return 1 << 30, index  # a row without a position goes last, as a save puts it


def posted_sections(data: QueryDict) -> list[PostedSection]:
    """The sections of a posted change form, in the order a save keeps
    them (by position), without those marked for deletion or left empty."""
    try:
        total = min(int(data.get(f"{SECTIONS}-TOTAL_FORMS", "0")), 1000)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        get = lambda name: data.get(f"{SECTIONS}-{index}-{name}", "")  # noqa: E731
        heading, body = get("heading").strip(), wikitext.normalize_text(get("body"))
        if get("DELETE") or not (heading or body):
            continue
        key = get("id") or f"new-{index}"
        rows.append((_position(get("position"), index),
                     PostedSection(key, heading, _level(get("level")), body)))
    return [section for _, section in sorted(rows, key=lambda row: row[0])]


def rendered(article: Article, lead: str, sections: list[PostedSection]) -> tuple[str, list[str]]:
    """The HTML of ``lead`` and ``sections`` as the page will show them:
    what a save renders (``article_render``), the markers numbered in order
    of first use after the article's infobox citations."""
    texts = [lead, *(section.body for section in sections)]
    titles = {title for text in texts for title in markdown.link_titles(text)}
    urls = {title: found.get_absolute_url() for title, found in resolve_titles(titles).items()}
    infobox = infobox_markers(article.citations.select_related("reference"))
    known = set(article.references.values_list("key", flat=True))
    used = [m.key for row in infobox for m in row] + [m.key for t in texts for m in lenient_markers(t)]
    order = [key for key in dict.fromkeys(used) if key in known]
    lead_html, bodies = render_text(lead, [s.body for s in sections], urls, order=order,
                                    infobox=infobox)
    # Then, as the page build does (selectors._link_names), the titles no
    # article has go to the place or person of that name, if any.
    missing = set().union(*(markdown.missing_link_titles(h) for h in [lead_html, *bodies]))
    names = name_targets(missing) if missing else {}
    if not names:
        return lead_html, bodies
    return markdown.link_missing(lead_html, names), [markdown.link_missing(h, names) for h in bodies]


def stored_state(article: Article) -> revision_diff.ArticleState:
    """The article as it is stored: its latest revision, or its rows when
    it has none yet (an article made by code)."""
    version = Version.objects.get_for_object(article).select_related("revision").first()
    if version is not None:
        return revision_diff.state_of(version.revision)
    fields = {name: str(getattr(article, name, "") or "") for name, _ in revision_diff.FIELDS}
    return revision_diff.ArticleState(fields=fields, sections={
        str(s.pk): ("=" * s.level + s.heading + "=" * s.level, s.body) for s in article.sections.all()
    })


def posted_state(old: revision_diff.ArticleState, data: QueryDict,
                 sections: list[PostedSection]) -> revision_diff.ArticleState:
    fields = {**old.fields, **{name: data[name].strip() for name in POSTED_FIELDS if name in data}}
    fields["lead"] = wikitext.normalize_text(fields["lead"])
    return replace(old, fields=fields, sections={
        s.key: ("=" * s.level + s.heading + "=" * s.level, s.body) for s in sections
    })


def article_preview(article: Article, data: QueryDict, mode: str) -> EditPreview:
    """The preview (or the changes) of the change form posted as ``data``."""
    sections = posted_sections(data)
    if mode == "changes":
        old = stored_state(article)
        return EditPreview("changes", changes=tuple(
            revision_diff.diff(old, posted_state(old, data, sections))))
    lead = wikitext.normalize_text(data.get("lead", ""))
    lead_html, bodies = rendered(article, lead, sections)
    return EditPreview("preview", lead_html=mark_safe(lead_html), sections=tuple(
        RenderedSection(s.heading, s.level, mark_safe(html)) for s, html in zip(sections, bodies)))


def section_preview(article: Article, section: Section, heading: str, body: str,
                    mode: str) -> EditPreview:
    """One section's preview, numbered as it will be among the others, or
    its changes against the stored section."""
    if mode == "changes":
        before = "=" * section.level + section.heading + "=" * section.level + "\n" + section.body
        after = "=" * section.level + heading + "=" * section.level + "\n" + body
        if before == after:
            return EditPreview("changes")
        return EditPreview("changes", changes=(revision_diff.Change(
            f"Section {heading}", "changed", revision_diff.inline_diff(before, after)),))
    others = list(article.sections.all())
    rows = [PostedSection(str(s.pk), heading if s.pk == section.pk else s.heading, s.level,
                          body if s.pk == section.pk else s.body) for s in others]
    _lead, bodies = rendered(article, article.lead, rows)
    html = next(h for s, h in zip(others, bodies) if s.pk == section.pk)
    return EditPreview("preview", sections=(RenderedSection(heading, section.level, mark_safe(html)),))


def fragment(request: HttpRequest, preview: EditPreview) -> HttpResponse:
    """The preview alone, for edit-preview.js to put in place."""
    html = render_to_string(FRAGMENT_TEMPLATE, {"edit_preview": preview, "fragment": True}, request)
    return HttpResponse(html)  # never cached: admin_view's never_cache


def wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "fragment"


def preview_mode(request: HttpRequest) -> str:
    return "changes" if request.POST.get("_preview") == "changes" else "preview"


class PreviewViews:
    """The change form's preview (listed in ``ArticleAdmin.get_urls``)."""

    def __init__(self, model_admin) -> None:
        self.model_admin = model_admin

    def change_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        model_admin = self.model_admin
        change_url = reverse("admin:articles_article_change", args=[unquote(object_id)])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        article = model_admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article with this id.")
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
        preview = article_preview(article, request.POST, preview_mode(request))
        if wants_fragment(request):
            return fragment(request, preview)
        setattr(request, PREVIEW_ATTRIBUTE, True)
        # The admin's own change view, bound to the POST, minus its save:
        # not ArticleAdmin's, whose merge would sign the form as having seen
        # what others saved meanwhile. Its form posts to the change form.
        return admin.ModelAdmin.changeform_view(
            model_admin, request, object_id, form_url=change_url,
            extra_context={"edit_preview": preview},
        )
