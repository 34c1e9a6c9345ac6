"""No lost edits: a three-way merge of an admin change form.

The change form carries, signed, the values it showed (the base). When it is
posted after someone else saved the article, each field and each inline row
is merged: a value only this editor changed is kept, a value only the other
editor changed is taken, and a value both changed differently is a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core import signing

SALT = "articles.edit-base"
BASE_FIELD = "base_state"
_ROW_KEY = re.compile(r"^(?P<prefix>.+)-(?P<index>\d+)-(?P<name>[^-]+)$")
_MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")

Value = str | list[str]


@dataclass
class FormState:
    """What a change form holds: main fields, and inline rows by primary key."""

    fields: dict[str, Value] = field(default_factory=dict)
    rows: dict[str, dict[str, dict[str, Value]]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"fields": self.fields, "rows": self.rows}

    @classmethod
    def from_json(cls, data: dict) -> FormState:
        return cls(fields=data["fields"], rows=data["rows"])


@dataclass
class MergeResult:
    data: dict[str, Value]
    conflicts: list[str]


def normalise(value) -> Value:
    if isinstance(value, (list, tuple)):
        return sorted(str(v) for v in value)
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def bound_value(form: forms.BaseForm, name: str) -> Value:
    """The field's value as the browser posts it back: a list only for a
    widget that posts several values (a select multiple); any other widget
    formats it as the text it shows (the tags field shows, and posts, the
    string ``"Russian diaspora", Afghanistan`` for a list of tags)."""
    bound = form[name]
    value = bound.value()
    widget = form.fields[name].widget
    while hasattr(widget, "widget") and not getattr(widget, "allow_multiple_selected", False):
        widget = widget.widget
    if getattr(widget, "allow_multiple_selected", False):
        if not isinstance(value, (list, tuple)):
            value = [] if value in (None, "") else [value]
        return normalise(value)
    if isinstance(widget, forms.CheckboxInput):
        return "on" if widget.check_test(value) else ""
    formatted = widget.format_value(value)
    if isinstance(formatted, (list, tuple)):
        formatted = formatted[0] if formatted else ""
    return normalise(formatted)


def state_of(form: forms.BaseForm, formsets) -> FormState:
    """The values an unchanged form and its inline formsets show."""
    state = FormState(
        fields={name: bound_value(form, name) for name in form.fields if name != BASE_FIELD}
    )
    for formset in formsets:
        rows: dict[str, dict[str, Value]] = {}
        pk_name = formset.model._meta.pk.name
        for row_form in formset.initial_forms:
            pk = str(row_form.instance.pk)
            rows[pk] = {
                name: bound_value(row_form, name)
                for name in row_form.fields
                if name not in (pk_name, "DELETE", formset.fk.name)
            }
        state.rows[formset.prefix] = rows
    return state


def sign(state: FormState) -> str:
    return signing.dumps(state.to_json(), salt=SALT, compress=True)


def unsign(token: str) -> FormState | None:
    try:
        return FormState.from_json(signing.loads(token, salt=SALT))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def merge(posted: dict[str, Value], base: FormState, current: FormState,
          labels: dict[str, str]) -> MergeResult:
    """Rebase this editor's posted form on the current state of the article.

    ``posted`` maps input names to values as the browser sent them; the
    result is the data to process instead, or the list of conflicts."""
    conflicts: list[str] = []
    merged: dict[str, Value] = {}
    rows: dict[str, list[tuple[str, dict[str, Value]]]] = {}
    for key, value in posted.items():
        match = _ROW_KEY.match(key)
        prefix = match.group("prefix") if match else key.rsplit("-", 1)[0]
        if match and prefix in current.rows:
            index, name = match.group("index"), match.group("name")
            row = _row(rows.setdefault(prefix, []), index)
            row[name] = value
        elif key.rsplit("-", 1)[-1] in _MANAGEMENT and prefix in current.rows:
            continue  # rebuilt below
        else:
            merged[key] = value

    for name in base.fields:
        if name not in merged and name not in current.fields:
            continue
        mine = normalise(merged.get(name, ""))
        was, now = base.fields.get(name, ""), current.fields.get(name, "")
        if mine == was:
            if name in current.fields:
                merged[name] = now
        elif now not in (was, mine):
            conflicts.append(labels.get(name, name))

    for prefix, current_rows in current.rows.items():
        kept: list[dict[str, Value]] = []
        added: list[dict[str, Value]] = []
        base_rows = base.rows.get(prefix, {})
        for _index, row in rows.get(prefix, []):
            pk = str(row.get("id", "") or "")
            if not pk:
                added.append(row)
                continue
            deleting = row.get("DELETE") == "on"
            was = base_rows.get(pk, {})
            changed = any(normalise(row.get(n, "")) != v for n, v in was.items())
            if pk not in current_rows:
                if changed and not deleting:
                    # Kept as a new row, so the editor's text is still there.
                    conflicts.append(f"{labels.get(prefix, prefix)}: a row you edited was deleted")
                    added.append({**row, "id": ""})
                continue
            now = current_rows[pk]
            if deleting:
                if now != was:
                    conflicts.append(f"{labels.get(prefix, prefix)}: a row you deleted was edited")
                kept.append(row)
                continue
            for name, before in was.items():
                mine = normalise(row.get(name, ""))
                theirs = now.get(name, "")
                if mine == before:
                    row[name] = theirs
                elif theirs not in (before, mine):
                    conflicts.append(f"{labels.get(prefix, prefix)} “{_describe(was)}”: {name}")
            kept.append(row)
        _write_rows(merged, prefix, kept, added)
    return MergeResult(data=merged, conflicts=conflicts)


def _row(rows: list[tuple[str, dict]], index: str) -> dict:
    for existing_index, row in rows:
        if existing_index == index:
            return row
    row: dict[str, Value] = {}
    rows.append((index, row))
    return row


def _write_rows(data: dict, prefix: str, kept: list[dict], added: list[dict]) -> None:
    for index, row in enumerate([*kept, *added]):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(len(kept) + len(added))
    data[f"{prefix}-INITIAL_FORMS"] = str(len(kept))
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"


def _describe(row: dict[str, Value]) -> str:
    for name in ("heading", "target_title", "key", "name", "year"):
        if row.get(name):
            return str(row[name])
    return "row"
