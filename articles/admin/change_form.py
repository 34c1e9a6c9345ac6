"""The article change form: its form class, wiki-text fields read as the
format stores them, a revision for every save that changes something, and no
lost edits when two editors save at once.

``ArticleAdmin`` (article.py) calls these from its ``changeform_view``,
``render_change_form``, ``get_form``, ``get_fieldsets`` and save hooks; the
merge itself is ``articles.merge``.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.admin.models import LogEntry
from django.db import models
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .. import merge, revision_diff, wikitext
from ..infobox import STORAGE
from ..models import Article, InfoboxRow, Section, SeeAlso
from ..services import article_saved as saved
from .citations import text_marker_problem
from .sources import marker_problem
from .translations import check_translated_from

# Request attributes: the conflicts of a merged POST (read by the form's
# clean) and the title of an article saved with nothing changed.
_CONFLICTS_ATTRIBUTE = "_edit_conflicts"
_NOTHING_CHANGED_ATTRIBUTE = "_nothing_changed"
# Set on a request by articles/admin/preview.py: show the posted form again
# with its preview, and save nothing.
PREVIEW_ATTRIBUTE = "_edit_preview"
# The editor's edit summary, kept as the revision's comment (MediaWiki's
# "Summary" box). Not a column of the article: a note on this one save.
SUMMARY_FIELD = "edit_summary"
SUMMARY_MAX_LENGTH = 500


class WikiTextFormField(forms.CharField):
    """A textarea of wiki-text (the lead, a section's body), read as the
    format stores it: LF line breaks, no trailing spaces, single blank lines.
    Browsers post a textarea's line breaks as CRLF, so without this an
    unchanged text would count as changed, and stored text would carry CRs."""

    def to_python(self, value):
        return wikitext.normalize_text(super().to_python(value))


# formfield_overrides for the article admin and the inlines with such text.
WIKITEXT_FIELDS = {models.TextField: {"form_class": WikiTextFormField}}


def refuse_markers(form: forms.BaseForm, names) -> None:
    """A field error on each of ``names`` (one-line values of the wiki-text:
    titles, headings, infobox values) holding a citation marker, which
    would not read back: markers stand in the text and after infobox rows."""
    for name in names:
        value = form.cleaned_data.get(name)
        problem = isinstance(value, str) and marker_problem(value)
        if problem:
            form.add_error(name, problem)


def check_text_markers(form: forms.BaseForm, name: str) -> None:
    """A field error on the text ``name`` (a lead or section body) for its
    first malformed citation marker."""
    problem = text_marker_problem(form.cleaned_data.get(name) or "")
    if problem:
        form.add_error(name, problem)


def summary_field() -> forms.CharField:
    """The edit summary box, the same on the change form and the section form."""
    return forms.CharField(
        label=_("Edit summary"), required=False, max_length=SUMMARY_MAX_LENGTH, strip=True,
        help_text=_("Briefly describe your changes; the history shows it beside the revision."),
        widget=forms.TextInput(attrs={"size": 80, "maxlength": SUMMARY_MAX_LENGTH}),
    )


# The form's own bookkeeping and notes: never an edit of the article.
NOT_EDITS = (merge.BASE_FIELD, SUMMARY_FIELD)


class ArticleAdminForm(forms.ModelForm):
    base_state = forms.CharField(widget=forms.HiddenInput, required=False)
    edit_summary = summary_field()
    edit_conflicts: list[str] = []
    # The article's one-line values in the wiki-text: the title and the
    # infobox fields kept in columns.
    ONE_LINE_FIELDS = ("title", *(c for s in STORAGE for c in s.columns))

    class Meta:
        model = Article
        fields = "__all__"

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # A tag needs a page of its own, so a slug to address it by.
        bad = [tag for tag in tags if not slugify(tag, allow_unicode=True)]
        if bad:
            raise forms.ValidationError(
                _("A tag needs at least one letter or digit: %(tags)s"),
                params={"tags": ", ".join(repr(tag) for tag in bad)},
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        refuse_markers(self, [name for name in self.ONE_LINE_FIELDS if name in self.fields])
        if "lead" in self.fields:
            check_text_markers(self, "lead")
        if self.edit_conflicts:
            raise forms.ValidationError(
                _("Another editor saved this article while you were editing it, and changed "
                  "the same parts: %(parts)s. Your text is kept below; their change is shown "
                  "above. Merge the two and save again."),
                code="edit_conflict",
                params={"parts": "; ".join(self.edit_conflicts)},
            )
        # Here, not only in the save: a refused "Translated from" is a form
        # error, not an error page.
        check_translated_from(self)
        return cleaned

    @property
    def changed_data(self):
        # The hidden base is bookkeeping and the summary a note on the save:
        # neither is an edit (a summary alone saves nothing).
        return [name for name in super().changed_data if name not in NOT_EDITS]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        refuse_markers(self, ["heading"])
        check_text_markers(self, "body")
        return cleaned


class SeeAlsoForm(forms.ModelForm):
    class Meta:
        model = SeeAlso
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        refuse_markers(self, ["target_title"])
        return cleaned


class InfoboxRowForm(forms.ModelForm):
    class Meta:
        model = InfoboxRow
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        refuse_markers(self, ["key", "value"])
        return cleaned


# --- no lost edits ---


def fieldsets_with_base(fieldsets):
    """The change form's fieldsets with the hidden signed base in the first."""
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], merge.BASE_FIELD]}), *rest]


def form_with_conflicts(form_class, request):
    """The form class, made invalid by the conflicts of a merged POST, or
    never valid for a preview (so that the admin shows it again, bound,
    instead of saving it)."""
    conflicts = getattr(request, _CONFLICTS_ATTRIBUTE, None)
    if conflicts:
        return type(form_class.__name__, (form_class,), {"edit_conflicts": conflicts})
    if getattr(request, PREVIEW_ATTRIBUTE, False):
        return type(form_class.__name__, (form_class,), {"is_valid": _previewed})
    return form_class


def _previewed(form) -> bool:
    # Validated, so that the preview shows the form's real errors, if any;
    # never valid, so that nothing is saved.
    form.errors
    return False


def sign_base(context) -> None:
    """Put, signed, what the unbound change form shows into its hidden base."""
    form = context["adminform"].form
    if not form.is_bound:
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
        form.initial[merge.BASE_FIELD] = merge.sign(merge.state_of(form, formsets))


def rebase_post(model_admin, request, article: Article, extra_context):
    """Merge the POST onto the article as it is now, when another editor saved
    since the form was shown; called under the article's row lock.

    Replaces ``request.POST`` with the merged data; conflicts are kept on the
    request for ``form_with_conflicts`` and the other editor's change is added
    to the returned extra context, for the form to show."""
    current = _state(model_admin, request, article)
    base = merge.unsign(request.POST.get(merge.BASE_FIELD, ""))
    if base is None:
        base = current  # an old form without a base: nothing to merge against
    if base == current:
        return extra_context
    result = merge.merge(_posted(request), base, current, _labels(model_admin, request, article))
    data = QueryDict(mutable=True)
    for key, value in result.data.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    # Signed with the state just merged onto: saving the form
    # again after a conflict means "I have seen their change".
    data[merge.BASE_FIELD] = merge.sign(current)
    if result.conflicts:
        setattr(request, _CONFLICTS_ATTRIBUTE, result.conflicts)
        extra_context = {**(extra_context or {}), "edit_conflict": _their_change(article)}
    request.POST = data
    return extra_context


def current_state(model_admin, request, article: Article) -> merge.FormState:
    """What an unchanged change form for the article shows now (the base a
    section form carries: articles/admin/section_edit.py)."""
    return _state(model_admin, request, article)


def _state(model_admin, request, article: Article) -> merge.FormState:
    """What an unchanged change form for the article shows now."""
    form = model_admin.get_form(request, article, change=True)(instance=article)
    formsets = [
        # The inline's rows, as the form shows them (the infobox citations'
        # inline shows only some of the article's Citation rows).
        FormSet(instance=article, prefix=FormSet.get_default_prefix(),
                queryset=inline.get_queryset(request))
        for FormSet, inline in model_admin.get_formsets_with_inlines(request, article)
    ]
    return merge.state_of(form, formsets)


def _posted(request) -> dict:
    return {
        key: values if len(values) != 1 else values[0]
        for key, values in request.POST.lists()
    }


def _labels(model_admin, request, article) -> dict[str, str]:
    form = model_admin.get_form(request, article, change=True)
    labels = {name: str(field.label or name) for name, field in form.base_fields.items()}
    for FormSet, inline in model_admin.get_formsets_with_inlines(request, article):
        labels[FormSet.get_default_prefix()] = str(inline.verbose_name_plural).capitalize()
    return labels


def _their_change(article: Article) -> list[revision_diff.Change]:
    versions = list(Version.objects.get_for_object(article).select_related("revision")[:2])
    if len(versions) < 2:
        return []
    return revision_diff.diff(
        revision_diff.state_of(versions[1].revision), revision_diff.state_of(versions[0].revision)
    )


# --- a revision for every save that changes something ---


def article_saved(*, request, form, changes: list, change: bool) -> None:
    """After the article and its rows were saved: refresh what derives from
    them and record a revision, unless nothing changed (then nothing is
    written, and ``nothing_changed`` says so for the log and the message)."""
    if change and not changes:
        # "Save" with nothing changed: no revision, no log entry, no write.
        setattr(request, _NOTHING_CHANGED_ATTRIBUTE, str(form.instance))
        return
    if change and not form.has_changed():
        form.instance.save(update_fields=["updated"])  # one of its rows changed
    former = (form.initial["title"], form.initial["slug"]) if change else None
    # The links to it elsewhere only change with its title, slug or status.
    relink = not change or any(
        form.initial.get(name) != getattr(form.instance, name) for name in ("title", "slug", "status")
    )
    message = LogEntry(change_message=json.dumps(changes)).get_change_message()
    summary = form.cleaned_data.get(SUMMARY_FIELD) or ""
    saved(article=form.instance, user=request.user, comment=summary or message or "Saved.",
          former=former, relink=relink)


def nothing_changed(request) -> str | None:
    """The title of the article this request saved with nothing changed, or None."""
    return getattr(request, _NOTHING_CHANGED_ATTRIBUTE, None)
