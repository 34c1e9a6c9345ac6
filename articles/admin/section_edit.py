"""Edit one section at a time, as on MediaWiki: the "edit" link beside a
section's heading on the public page (``articles.editor_tools``) opens a
form with that section's heading and body only.

The section form is a front for the article's change form, not a second way
to save: it carries, signed, the whole change form as it stood when the
section was opened (the same base the change form carries), and a save posts
that whole form, with this one section replaced, to ``ArticleAdmin``'s own
``change_view``. So the row lock, the three-way merge (``articles.merge``),
the validation of every marker, the refresh, the revision with its edit
summary and the evicted pages are exactly the change form's. Someone who
saved another section (or the lead, or the infobox) since is merged in; a
stale edit of this same section is the change form's conflict, shown here.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from .. import merge
from ..models import Article, Section
from ..selectors import anchored_sections
from .change_form import SUMMARY_FIELD, WikiTextFormField, current_state, summary_field
from .preview import fragment, preview_mode, section_preview, wants_fragment

SECTIONS = "sections"  # the prefix of the change form's Section inline
_HEADING = Section._meta.get_field("heading")


class SectionEditForm(forms.Form):
    # dir="auto": a heading or text in Arabic script reads right to left.
    heading = forms.CharField(label=_("Heading"), max_length=_HEADING.max_length,
                              widget=forms.TextInput(attrs={"dir": "auto", "size": 60}))
    body = WikiTextFormField(label=_("Text"), required=False,
                             widget=forms.Textarea(attrs={"rows": 20, "cols": 90, "dir": "auto"}))
    edit_summary = summary_field()
    # The section edited (its row in the base) and the change form's base.
    section = forms.IntegerField(widget=forms.HiddenInput)
    base_state = forms.CharField(widget=forms.HiddenInput)


def section_by_anchor(article: Article, anchor: str) -> Section | None:
    """The section whose heading has ``anchor`` as its id on the page: the
    ids are the page's own (``selectors.anchored_sections``)."""
    for item in anchored_sections(list(article.sections.all())):
        if item.anchor == anchor:
            return item.section
    return None


def full_form_data(model_admin, request, article: Article, state: merge.FormState) -> QueryDict:
    """What the change form showing ``state`` posts, unchanged: its fields,
    then every inline's rows with their ids, parent keys and management form."""
    data = QueryDict(mutable=True)
    for name, value in state.fields.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    for FormSet, _inline in model_admin.get_formsets_with_inlines(request, article):
        prefix = FormSet.get_default_prefix()
        rows = state.rows.get(prefix, {})
        for index, (pk, row) in enumerate(rows.items()):
            for name, value in row.items():
                data.setlist(f"{prefix}-{index}-{name}", value if isinstance(value, list) else [value])
            data[f"{prefix}-{index}-{FormSet.model._meta.pk.name}"] = pk
            data[f"{prefix}-{index}-{FormSet.fk.name}"] = str(article.pk)
        for key, value in (("TOTAL_FORMS", len(rows)), ("INITIAL_FORMS", len(rows)),
                           ("MIN_NUM_FORMS", 0), ("MAX_NUM_FORMS", 1000)):
            data[f"{prefix}-{key}"] = str(value)
    return data


def _row_index(state: merge.FormState, pk: int) -> int | None:
    for index, row_pk in enumerate(state.rows.get(SECTIONS, {})):
        if row_pk == str(pk):
            return index
    return None


def _errors_of(response: TemplateResponse, index: int) -> list[str]:
    """The change form's errors, as lines for the section form: its own
    (a conflict), this section's row's, and any other field's by label."""
    context = response.context_data
    form = context["adminform"].form
    found = [str(e) for e in form.non_field_errors()]
    found += [f"{form.fields[name].label}: {e}" for name, errs in form.errors.items()
              if name != "__all__" for e in errs]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        found += [f"{inline.opts.verbose_name_plural.capitalize()}: {e}"
                  for e in formset.non_form_errors()]
        for row_index, row_form in enumerate(formset.forms):
            for name, errs in row_form.errors.items():
                where = "" if formset.prefix == SECTIONS and row_index == index else (
                    f"{inline.opts.verbose_name_plural.capitalize()}, row {row_index + 1}: ")
                label = row_form.fields[name].label if name in row_form.fields else ""
                found += [f"{where}{label + ': ' if label else ''}{e}" for e in errs]
    return found


class SectionEditViews:
    """The section form of ``ArticleAdmin`` (listed in its ``get_urls``)."""

    def __init__(self, model_admin) -> None:
        self.model_admin = model_admin

    def view(self, request: HttpRequest, object_id: str, anchor: str) -> HttpResponse:
        admin = self.model_admin
        article = admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article with this id.")
        if not admin.has_change_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            return self._save(request, article, anchor)
        section = section_by_anchor(article, anchor)
        if section is None:
            return self._gone(request, article)
        form = SectionEditForm(initial={
            "heading": section.heading, "body": section.body, "section": section.pk,
            "base_state": merge.sign(current_state(admin, request, article)),
        })
        return self._render(request, article, anchor, form)

    def preview_view(self, request: HttpRequest, object_id: str, anchor: str) -> HttpResponse:
        """The section form shown again with the section's preview or its
        changes above it (articles/admin/preview.py); nothing is saved."""
        admin = self.model_admin
        article = admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article with this id.")
        if not admin.has_change_permission(request, article):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_article_section",
                                                args=[article.pk, anchor]))
        form = SectionEditForm(request.POST)
        section = None
        if form.is_valid():
            section = article.sections.filter(pk=form.cleaned_data["section"]).first()
            if section is None:
                form.add_error(None, "That section is no longer in the article; edit it from "
                                     "the whole article's form.")
        preview = None if section is None else section_preview(
            article, section, form.cleaned_data["heading"], form.cleaned_data["body"],
            preview_mode(request))
        if wants_fragment(request) and preview is not None:
            return fragment(request, preview)
        return self._render(request, article, anchor, form, edit_preview=preview)

    def _save(self, request, article: Article, anchor: str) -> HttpResponse:
        admin = self.model_admin
        form = SectionEditForm(request.POST)
        if not form.is_valid():
            return self._render(request, article, anchor, form)
        base = merge.unsign(form.cleaned_data["base_state"])
        index = None if base is None else _row_index(base, form.cleaned_data["section"])
        if base is None or index is None:
            # A forged or garbled form: nothing to merge onto.
            form.add_error(None, "This form could not be read; open the section again from the article.")
            return self._render(request, article, anchor, form)
        data = full_form_data(admin, request, article, base)
        data[f"{SECTIONS}-{index}-heading"] = form.cleaned_data["heading"]
        data[f"{SECTIONS}-{index}-body"] = form.cleaned_data["body"]
        data[SUMMARY_FIELD] = form.cleaned_data[SUMMARY_FIELD]
        data[merge.BASE_FIELD] = form.cleaned_data["base_state"]
        data["csrfmiddlewaretoken"] = request.POST.get("csrfmiddlewaretoken", "")
        data["_save"] = "Save"
        posted = request.POST
        request.POST = data
        response = admin.change_view(request, str(article.pk))
        merged, request.POST = request.POST, posted
        if isinstance(response, HttpResponseRedirect):
            return HttpResponseRedirect(self._page_url(article, form.cleaned_data["heading"]))
        if not isinstance(response, TemplateResponse) or "adminform" not in response.context_data:
            return response
        # The change form refused it: a conflict, or a value it rejects.
        # The editor's text stays; after a conflict the base is what was
        # merged onto, so saving again means "I have seen their change".
        bound = SectionEditForm({**posted.dict(), "base_state": merged.get(merge.BASE_FIELD, "")})
        bound.is_valid()
        for error in _errors_of(response, index):
            bound.add_error(None, error)
        return self._render(request, article, anchor, bound,
                            edit_conflict=response.context_data.get("edit_conflict"))

    def _page_url(self, article: Article, heading: str) -> str:
        # Back to the section on the page, under its (maybe new) heading.
        article.refresh_from_db(fields=["slug", "status"])
        items = anchored_sections(list(article.sections.defer("body")))
        anchor = next((item.anchor for item in items if item.section.heading == heading), "")
        return article.get_absolute_url() + (f"#{anchor}" if anchor else "")

    def _gone(self, request, article: Article) -> HttpResponse:
        messages.warning(request, gettext("That section is no longer in the article (its heading may "
                                          "have been changed); edit it from the whole article's form."))
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _render(self, request, article: Article, anchor: str, form: SectionEditForm,
                **extra) -> TemplateResponse:
        admin = self.model_admin
        opts = admin.model._meta
        context = {
            **admin.admin_site.each_context(request),
            "title": gettext("Editing a section of %(article)s") % {"article": article},
            "subtitle": None,
            "opts": opts,
            "original": article,
            "form": form,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "preview_url": reverse("admin:articles_article_section_preview",
                                   args=[article.pk, anchor]),
            **extra,
        }
        return TemplateResponse(request, "admin/articles/article/section_form.html", context)

