"""Build the POST data a browser would send for a Django admin add/change form.

``change_form_data(response)`` takes the response of a GET on an admin add or
change page and returns the data the unchanged form would submit: the main
form's fields with their current values and, for every inline formset, its
management form and every form's fields (including the hidden ``id`` and
parent foreign key fields). Tests change a value or two and POST the result,
so the round trip goes through the admin's own forms, widgets and inlines.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

__all__ = [
    "add_inline_form",
    "change_form_data",
    "form_data",
    "inline_formset",
    "inline_forms",
]


def _widget(field: forms.Field) -> forms.Widget:
    widget = field.widget
    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    return widget


def _text(value) -> str:
    return "" if value is None else str(value)


def _browser_text(widget: forms.Widget, value: str) -> str:
    # Browsers submit a textarea's line breaks as CRLF (HTML form submission
    # normalises them), whatever the page held.
    if isinstance(widget, forms.Textarea):
        return value.replace("\r\n", "\n").replace("\n", "\r\n")
    return value


def field_data(form: forms.BaseForm, name: str, prefix: str | None = None) -> dict:
    """The (name, value) pairs one field of ``form`` submits; ``prefix``
    replaces the form's own (for turning the empty form into a new row)."""
    bound = form[name]
    field = form.fields[name]
    widget = _widget(field)
    html_name = form.add_prefix(name) if prefix is None else f"{prefix}-{name}"
    value = bound.value()

    if isinstance(widget, forms.FileInput):
        return {}  # A browser sends no file unless one is chosen.
    if isinstance(widget, forms.CheckboxInput):
        # An unticked checkbox is not submitted at all.
        return {html_name: "on"} if widget.check_test(value) else {}
    if isinstance(widget, forms.MultiWidget):
        if not isinstance(value, (list, tuple)):
            value = widget.decompress(value)
        return {
            html_name + suffix: _text(sub.format_value(sub_value))
            for suffix, sub, sub_value in zip(widget.widgets_names, widget.widgets, value)
        }
    if getattr(widget, "allow_multiple_selected", False):
        # Select multiple / autocomplete: one value per selected option.
        values = [] if value in (None, "") else value
        if isinstance(values, (str, int)):
            values = [values]
        return {html_name: [_text(v) for v in values]}
    formatted = widget.format_value(value)
    if isinstance(formatted, (list, tuple)):
        # Select.format_value() gives the list of selected options.
        formatted = formatted[0] if formatted else ""
    return {html_name: _browser_text(widget, _text(formatted))}


def form_data(form: forms.BaseForm, prefix: str | None = None) -> dict:
    """What ``form`` submits as displayed: every field with its current value."""
    data: dict = {}
    for name in form.fields:
        data.update(field_data(form, name, prefix))
    return data


def _context(response, key: str):
    context = response.context
    if context is None:
        raise AssertionError(
            f"the response (status {response.status_code}) has no template context"
        )
    return context[key]


def change_form_data(response) -> dict:
    """POST data of the admin add/change form in ``response``, unchanged.

    Values are strings; many-to-many (and autocomplete) fields give lists of
    primary keys; unticked checkboxes are left out; None becomes ''. The
    ``tags`` field holds the text its widget shows (``edit_string_for_tags``).
    """
    data = form_data(_context(response, "adminform").form)
    for inline in _context(response, "inline_admin_formsets"):
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def inline_formset(response, prefix: str):
    """The formset of the inline with ``prefix`` (e.g. "sections")."""
    for inline in _context(response, "inline_admin_formsets"):
        if inline.formset.prefix == prefix:
            return inline.formset
    prefixes = [i.formset.prefix for i in _context(response, "inline_admin_formsets")]
    raise KeyError(f"no inline with the prefix {prefix!r}; there are {prefixes}")


def inline_forms(data: dict, prefix: str) -> list[dict]:
    """The rows of an inline as they stand in ``data``: one dict per form,
    keyed by field name without the prefix."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    rows = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        rows.append({k[len(start):]: v for k, v in data.items() if k.startswith(start)})
    return rows


def add_inline_form(response, data: dict, prefix: str, **values) -> int:
    """Add a row to the inline ``prefix`` in ``data``, as the admin's "Add
    another" button does: a copy of the formset's empty form at the next
    index, TOTAL_FORMS incremented. ``values`` fill its fields by name.
    Returns the new row's index."""
    formset = inline_formset(response, prefix)
    total_key = f"{prefix}-TOTAL_FORMS"
    index = int(data[total_key])
    empty = formset.empty_form
    row = form_data(empty, prefix=f"{prefix}-{index}")
    unknown = set(values) - set(empty.fields)
    if unknown:
        raise KeyError(f"the {prefix} inline has no field {sorted(unknown)}")
    for name, value in values.items():
        row[f"{prefix}-{index}-{name}"] = value if isinstance(value, list) else _text(value)
    data.update(row)
    data[total_key] = str(index + 1)
    return index
