"""The change form's check of "Translated from": the admin shows why an
article cannot be a translation of the one chosen on that field, before
anything is saved (``articles.translations.translation_problem``; the save
then puts both into one group: ``translation_joined``).

``ArticleAdminForm.clean`` (change_form.py) calls ``check_translated_from``.
"""

from __future__ import annotations

from django import forms

from ..translations import translation_problem


def check_translated_from(form: forms.ModelForm) -> None:
    """A field error on ``translated_from`` when the article cannot be a
    translation of the article chosen there (itself, or one in the same
    language as the form's ``language``)."""
    if "translated_from" not in form.fields:
        return
    source = form.cleaned_data.get("translated_from")
    language = form.cleaned_data.get("language", form.instance.language)
    problem = translation_problem(article=form.instance, source=source, language=language or "")
    if problem:
        form.add_error("translated_from", problem)
