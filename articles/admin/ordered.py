"""Inlines of ordered rows (``models.Ordered``: a ``position`` per row)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _


def kept_forms(formset) -> list[forms.Form]:
    """The forms of a bound formset whose rows stay: not deleted, and not
    an added row left empty. Forms not validated yet are left out."""
    kept = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if form not in formset.initial_forms and not form.has_changed():
            continue
        kept.append(form)
    return kept


def planned_positions(formset) -> list[tuple[forms.Form, int]]:
    """The kept forms of an ordered formset, each with the position it is
    saved at: its own, or for a row whose position is left empty, after the
    others in the order the rows were entered."""
    kept = kept_forms(formset)
    taken = [form.cleaned_data.get("position") for form in kept]
    following = max((p for p in taken if p is not None), default=-1) + 1
    planned = []
    for form, position in zip(kept, taken):
        if position is None:
            position, following = following, following + 1
        planned.append((form, position))
    return planned


class OrderedFormSet(BaseInlineFormSet):
    """Rows of an ordered inline. A row whose position is left empty (the
    default of each row added with "Add another") goes after the others, in
    the order the rows were entered, so rows added together keep that order
    instead of all taking position 0."""

    def save(self, commit=True):
        for form, position in planned_positions(self):
            if form.cleaned_data.get("position") is None:
                form.instance.position = position
        return super().save(commit)


class OrderedMixin:
    formset = OrderedFormSet
    extra = 0
    ordering = ["position", "id"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "position":
            formfield.required = False
            formfield.initial = None
            formfield.help_text = _("Empty: after the others.")
        return formfield


class OrderedInline(OrderedMixin, admin.TabularInline):
    pass
