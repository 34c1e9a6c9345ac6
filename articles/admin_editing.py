"""The article admin's editorial workflow: a revision for every save, history
with diffs and revert, and no lost edits when two editors save at once."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from reversion.models import Revision, Version

from . import editing, history, wikitext
from .models import Article
from .services import RevertRefused, article_refresh, article_revert, article_revision_save


class WikiTextFormField(forms.CharField):
    """A textarea of wiki-text (the lead, a section's body), read as the
    format stores it: LF line breaks, no trailing spaces, single blank lines.
    Browsers post a textarea's line breaks as CRLF, so without this an
    unchanged text would count as changed, and stored text would carry CRs."""

    def to_python(self, value):
        return wikitext.normalize_text(super().to_python(value))


# formfield_overrides for the article admin and the inlines with such text.
WIKITEXT_FIELDS = {models.TextField: {"form_class": WikiTextFormField}}


class ArticleAdminForm(forms.ModelForm):
    base_state = forms.CharField(widget=forms.HiddenInput, required=False)
    edit_conflicts: list[str] = []

    class Meta:
        model = Article
        fields = "__all__"

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # A tag needs a page of its own, so a slug to address it by.
        bad = [tag for tag in tags if not slugify(tag, allow_unicode=True)]
        if bad:
            raise forms.ValidationError(
                "A tag needs at least one letter or digit: %(tags)s",
                params={"tags": ", ".join(repr(tag) for tag in bad)},
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        if self.edit_conflicts:
            raise forms.ValidationError(
                "Another editor saved this article while you were editing it, and changed "
                "the same parts: %(parts)s. Your text is kept below; their change is shown "
                "above. Merge the two and save again.",
                code="edit_conflict",
                params={"parts": "; ".join(self.edit_conflicts)},
            )
        return cleaned

    @property
    def changed_data(self):
        # The hidden base is bookkeeping, not an edit.
        return [name for name in super().changed_data if name != editing.BASE_FIELD]


class EditingMixin:
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    formfield_overrides = WIKITEXT_FIELDS

    # --- a revision for every save that changes something ---

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            # None of the article's own fields changed: no write, so its
            # "updated" time stays unless one of its rows changed (save_related).
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = self.construct_change_message(request, form, formsets, not change)
        if change and not changes:
            # "Save" with nothing changed: no revision, no log entry, no write.
            request._nothing_changed = str(form.instance)
            return
        if change and not form.has_changed():
            form.instance.save(update_fields=["updated"])  # one of its rows changed
        former = (form.initial["title"], form.initial["slug"]) if change else None
        article_refresh(article=form.instance, former=former)
        message = LogEntry(change_message=json.dumps(changes)).get_change_message()
        article_revision_save(article=form.instance, user=request.user, comment=message or "Saved.")

    def log_change(self, request, obj, message):
        if getattr(request, "_nothing_changed", None) is not None:
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        title = getattr(request, "_nothing_changed", None)
        if title is not None and level == messages.SUCCESS:
            message = f"Nothing was changed in “{title}”: nothing was saved and no revision was made."
            level = messages.INFO
        return super().message_user(request, message, level, *args, **kwargs)

    # --- no lost edits ---

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        conflicts = getattr(request, "_edit_conflicts", None)
        if conflicts:
            form = type(form.__name__, (form,), {"edit_conflicts": conflicts})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if change and not form.is_bound:
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            form.initial[editing.BASE_FIELD] = editing.sign(editing.state_of(form, formsets))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], editing.BASE_FIELD]}), *rest]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is None:
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except IntegrityError:
                # Adds of one title at once (PostgreSQL): each form found the
                # title free, and this INSERT failed once another committed.
                # Validated again, the form says the title is taken.
                return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            # The row lock makes concurrent saves of one article take turns,
            # so each compares against what the previous one wrote.
            article = (
                self.get_queryset(request).select_for_update().filter(pk=unquote(object_id)).first()
            )
            if article is None or not self.has_change_permission(request, article):
                return super().changeform_view(request, object_id, form_url, extra_context)
            current = self._state(request, article)
            base = editing.unsign(request.POST.get(editing.BASE_FIELD, ""))
            if base is None:
                base = current  # an old form without a base: nothing to merge against
            if base != current:
                result = editing.merge(self._posted(request), base, current, self._labels(request, article))
                data = QueryDict(mutable=True)
                for key, value in result.data.items():
                    data.setlist(key, value if isinstance(value, list) else [value])
                # Signed with the state just merged onto: saving the form
                # again after a conflict means "I have seen their change".
                data[editing.BASE_FIELD] = editing.sign(current)
                if result.conflicts:
                    request._edit_conflicts = result.conflicts
                    extra_context = {**(extra_context or {}), "edit_conflict": self._their_change(article)}
                request.POST = data
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _state(self, request, article: Article) -> editing.FormState:
        """What an unchanged change form for the article shows now."""
        form = self.get_form(request, article, change=True)(instance=article)
        formsets = [
            FormSet(instance=article, prefix=FormSet.get_default_prefix())
            for FormSet, _inline in self.get_formsets_with_inlines(request, article)
        ]
        return editing.state_of(form, formsets)

    @staticmethod
    def _posted(request) -> dict:
        return {
            key: values if len(values) != 1 else values[0]
            for key, values in request.POST.lists()
        }

    def _labels(self, request, article) -> dict[str, str]:
        form = self.get_form(request, article, change=True)
        labels = {name: str(field.label or name) for name, field in form.base_fields.items()}
        for FormSet, inline in self.get_formsets_with_inlines(request, article):
            labels[FormSet.get_default_prefix()] = str(inline.verbose_name_plural).capitalize()
        return labels

    def _their_change(self, article: Article) -> list[history.Change]:
        versions = list(Version.objects.get_for_object(article).select_related("revision")[:2])
        if len(versions) < 2:
            return []
        return history.diff(history.state_of(versions[1].revision), history.state_of(versions[0].revision))

    # --- history, diffs and revert ---

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("<path:object_id>/history/compare/", self.admin_site.admin_view(self.compare_view),
                 name=f"{name}_compare"),
            path("<path:object_id>/history/<int:revision_id>/revert/",
                 self.admin_site.admin_view(self.revert_view), name=f"{name}_revert"),
            *super().get_urls(),
        ]

    def _revisions(self, article: Article) -> list[Revision]:
        return [
            version.revision
            for version in Version.objects.get_for_object(article).select_related("revision__user")
        ]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        revisions = self._revisions(article) if article else []
        return super().history_view(request, object_id, {**(extra_context or {}), "revisions": revisions})

    def _article_or_404(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _revision_of(self, article: Article, revision_id) -> Revision:
        version = Version.objects.get_for_object(article).filter(revision_id=revision_id).first()
        if version is None:
            raise Http404("That is not a revision of this article.")
        return version.revision

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
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Changes to {article}",
            "old": old,
            "new": new,
            "changes": history.diff(history.state_of(old), history.state_of(new)),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revert_view(self, request, object_id, revision_id):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
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
                self.log_change(request, article, new.get_comment())
                messages.success(request, f"{article} was restored: {new.get_comment()}.")
                return HttpResponseRedirect(
                    reverse(f"admin:{article._meta.app_label}_{article._meta.model_name}_history",
                            args=[article.pk])
                )
        latest = self._revisions(article)[0]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Revert {article}",
            "revision": revision,
            "changes": history.diff(history.state_of(latest), history.state_of(revision)),
            "error": error,
        }
        return TemplateResponse(request, "admin/articles/article/revision_revert.html", context)
