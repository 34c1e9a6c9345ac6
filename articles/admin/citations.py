"""Sources and citations on the article change form.

Two inlines: the article's references (its ``==References==`` entries: a
key, a shared Source chosen by autocomplete, the accessed date and a quote)
and the infobox's citations (the markers after an infobox row's value,
which exist only as Citation rows; the text's markers stay in the text and
``article_refresh`` rebuilds their rows).

The form checks every marker against the references as this POST submits
them, references added or deleted in it included: a marker in the lead or a
section, or an infobox citation, whose key no reference has is an error
that names the key and where it stands, and nothing is saved. The check
needs the other inlines' forms, so ``ArticleAdmin`` hands the formsets to
the references' formset (``link_formsets``) once the admin has made them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_permission_codename
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext

from .. import wikitext
from ..infobox import (
    INFOBOX_EXTRA_PLACE,
    INFOBOX_PLACE,
    STORAGE,
    article_infobox,
    infobox_citations,
)
from ..models import Article, ArticleReference, Citation, InfoboxRow, Section
from .ordered import OrderedFormSet, OrderedInline, kept_forms, planned_positions
from .sources import marker_problem

CITATION_NEEDED = wikitext.CITATION_NEEDED
_EXTRA_PLACE_RE = re.compile(re.escape(INFOBOX_EXTRA_PLACE) + r"(\d+)")
# What both kinds of infobox place start with ("infobox:", "infobox-extra:").
_INFOBOX = "infobox"
assert INFOBOX_PLACE.startswith(_INFOBOX) and INFOBOX_EXTRA_PLACE.startswith(_INFOBOX)


# --- markers in text ---


def text_marker_problem(text: str) -> str | None:
    """The first malformed marker of a lead or section body, as "Line N:
    problem", or None. Markers do not span lines."""
    for number, line in enumerate(wikitext.normalize_text(text).split("\n"), start=1):
        if wikitext.references.MARKER_START not in line:
            continue
        try:
            wikitext.find_markers(line)
        except wikitext.WikitextError as exc:
            # The wiki-text package's own words (English): the line is ours.
            return gettext("Line %(number)s: %(problem)s") % {
                "number": number, "problem": exc.message}
    return None


def markers_by_line(text: str) -> list[tuple[int, wikitext.Marker]]:
    """The markers of a lead or section body with their line numbers; a
    line with a malformed marker is skipped (its field reports it)."""
    found = []
    for number, line in enumerate(wikitext.normalize_text(text).split("\n"), start=1):
        if wikitext.references.MARKER_START not in line:
            continue
        try:
            found += [(number, marker) for marker in wikitext.markers_in(line)]
        except wikitext.WikitextError:
            continue
    return found


# --- the references inline ---


class ReferenceForm(forms.ModelForm):
    class Meta:
        model = ArticleReference
        fields = ["key", "source", "accessed", "quote", "position"]
        widgets = {"quote": forms.TextInput(attrs={"size": 40})}

    def clean_quote(self) -> str:
        quote = self.cleaned_data["quote"]
        # One row of the entry in the wiki-text: "  - Quote: ...".
        try:
            wikitext.check_line(quote)
        except wikitext.WikitextError as exc:
            raise forms.ValidationError(exc.message[0].upper() + exc.message[1:] + ".") from None
        problem = marker_problem(quote)
        if problem:
            raise forms.ValidationError(problem)
        return quote


class ReferenceFormSet(OrderedFormSet):
    """The article's references; its ``clean`` checks the markers of the
    whole form against them (see the module's docstring)."""

    # Every formset of the change form, this one included (link_formsets).
    siblings: list = []

    def clean(self):
        keys = [f.cleaned_data["key"] for f in kept_forms(self) if f.cleaned_data.get("key")]
        doubled = [key for key, count in Counter(keys).items() if count > 1]
        if doubled:
            raise forms.ValidationError([
                gettext("Two references have the key “%(key)s”: each reference needs its own key.")
                % {"key": key}
                for key in doubled
            ])
        super().clean()
        if self.is_bound and self.siblings:
            problems = marker_problems(self, set(keys))
            if problems:
                raise forms.ValidationError(problems)

    def save(self, commit=True):
        if commit:
            self._release_keys()
        return super().save(commit)

    def _release_keys(self) -> None:
        # The rows are written one by one, and (article, key) is unique:
        # two references swapping keys, or one taking the key of a row
        # deleted after it, would collide with a row still holding the key.
        # The rows changing key or deleted let go of theirs first (the
        # form's keys are unique, so nothing else holds one).
        moving = [form for form in self.initial_forms
                  if form not in self.deleted_forms and "key" in form.changed_data]
        if not moving:
            return
        held = [form.instance.pk for form in [*moving, *self.deleted_forms]
                if form.instance.pk is not None]
        ArticleReference.objects.filter(pk__in=held).update(
            key=Concat(Value("~"), Cast("pk", output_field=CharField()))
        )


def link_formsets(formsets: list) -> None:
    """Give the references' formset the change form's other formsets, for
    the marker check. Called by ``ArticleAdmin`` once the admin made them."""
    for formset in formsets:
        if isinstance(formset, ReferenceFormSet):
            formset.siblings = formsets


def in_saving_order(formsets: list) -> list:
    """The formsets with the references' first: an infobox citation added
    with its reference finds it saved."""
    return sorted(formsets, key=lambda formset: not isinstance(formset, ReferenceFormSet))


# --- the infobox citations inline ---


def typed_place_choices() -> list[tuple[str, str]]:
    """The typed rows, by their wiki-text key (with the page's label when
    it says more: "Rels (Religions)")."""
    return [
        (INFOBOX_PLACE + f.key, f.key if f.label == f.key else f"{f.key} ({f.label})")
        for f in wikitext.FIELDS
    ]


def extra_place(position: int) -> str:
    return f"{INFOBOX_EXTRA_PLACE}{position}"


class PlaceField(forms.ChoiceField):
    """Which infobox row a citation follows: a typed field, or an extra row
    by its position. Any extra row's place is accepted, so that a row added
    in the same form can be cited; the marker check says whether the
    infobox has it."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or bool(_EXTRA_PLACE_RE.fullmatch(str(value)))


class InfoboxCitationForm(forms.ModelForm):
    place = PlaceField(label=_("Infobox row"), choices=typed_place_choices)
    key = forms.CharField(
        label=_("Reference key"), max_length=wikitext.references.MAX_KEY_LENGTH,
        help_text=_("The key of one of the references, or ? for “citation needed”."),
    )
    # Extra rows of the article, (place, label): set by the inline per article.
    extra_places: list[tuple[str, str]] = []

    class Meta:
        model = Citation
        fields = ["place", "key", "locator", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "---------"), *typed_place_choices(),
                                        *self.extra_places]
        if self.instance.pk is not None and "key" not in self.initial:
            reference = self.instance.reference
            self.initial["key"] = reference.key if reference is not None else CITATION_NEEDED

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if key != CITATION_NEEDED:
            problem = wikitext.reference_key_problem(key)
            if problem:
                raise forms.ValidationError(problem[0].upper() + problem[1:] + ".")
        return key

    def clean(self):
        cleaned = super().clean()
        key, locator = cleaned.get("key"), (cleaned.get("locator") or "").strip()
        if key:
            # The marker as the wiki-text will write it must read back as itself.
            marker = wikitext.Marker(key, locator)
            try:
                parsed = wikitext.markers_in(str(marker))
            except wikitext.WikitextError as exc:
                self.add_error("locator", exc.message[0].upper() + exc.message[1:] + ".")
            else:
                if parsed != [marker]:
                    self.add_error("locator", gettext("A locator may not hold ']'."))
            cleaned["locator"] = locator
        return cleaned

    def save(self, commit=True):
        self.instance.reference = reference_with_key(
            self.instance.article_id, self.cleaned_data["key"]
        )
        return super().save(commit)


def reference_with_key(article_id: int, key: str) -> ArticleReference | None:
    """The article's reference with ``key``; None for [^?]."""
    if key == CITATION_NEEDED:
        return None
    return ArticleReference.objects.get(article_id=article_id, key=key)


class InfoboxCitationFormSet(OrderedFormSet):
    def save(self, commit=True):
        saved = super().save(commit)
        if commit:
            self._follow_keys()
            if self.has_changed():
                self._in_row_order()
        return saved

    def _in_row_order(self) -> None:
        # Citation.position orders the uses in the article: the infobox's in
        # the order of its rows, as the page numbers them (an editor may add
        # the Langs citation before the Population one). The rows are saved:
        # their inlines come before this one.
        article = Article.objects.with_document().get(pk=self.instance.pk)
        rows = [place for place, _ in infobox_citations(article_infobox(article))]
        cited = [c for c in article.citations.all() if c.place.startswith(_INFOBOX)]
        cited.sort(key=lambda c: rows.index(c.place) if c.place in rows else len(rows))
        moved = []
        for position, citation in enumerate(cited):
            if citation.position != position:
                citation.position = position
                moved.append(citation)
        Citation.objects.bulk_update(moved, ["position"])

    def _follow_keys(self) -> None:
        # A citation cites a key, as a marker in the text does: when the
        # references changed under unchanged citations (two swapped keys,
        # or one deleted and added again under its key, which took its
        # citations with it), each is written again pointing at the
        # reference holding its key now.
        unchanged = [
            form for form in self.initial_forms
            if form not in self.deleted_forms and not form.has_changed()
        ]
        if not unchanged:
            return
        references = dict(
            ArticleReference.objects.filter(article=self.instance).values_list("key", "pk")
        )
        stored = dict(
            Citation.objects.filter(pk__in=[form.instance.pk for form in unchanged])
            .values_list("pk", "reference_id")
        )
        for form in unchanged:
            key = form.cleaned_data["key"]
            wanted = None if key == CITATION_NEEDED else references[key]
            if form.instance.pk not in stored or stored[form.instance.pk] != wanted:
                form.instance.reference_id = wanted
                form.instance.save()


# --- the check ---


@dataclass(frozen=True)
class _Text:
    where: str  # "the lead", "the section “History”"
    text: str


def marker_problems(references, keys: set[str]) -> list[str]:
    """What is wrong with the form's markers, given the reference ``keys``
    it submits: every marker of the lead and the sections, and every infobox
    citation, whose key is not among them, and infobox citations after a
    row the infobox does not have. Empty when all is well."""
    siblings = references.siblings
    article: Article = references.instance
    data = references.data
    problems = []
    for text in _texts(siblings, data, article):
        for number, marker in markers_by_line(text.text):
            if not marker.needed and marker.key not in keys:
                problems.append(
                    f"{text.where[0].upper()}{text.where[1:]} cites [^{marker.key}] "
                    f"(line {number}), but no reference has the key “{marker.key}”: add a "
                    "reference with that key, or correct the marker."
                )
    rows = _infobox_rows(siblings, data, article)
    for formset in _of(siblings, Citation):
        for form in kept_forms(formset):
            place, key = form.cleaned_data.get("place"), form.cleaned_data.get("key")
            if not place:
                continue
            row = rows.get(place)
            label = row or _place_label(place)
            if key and key != CITATION_NEEDED and key not in keys:
                problems.append(
                    gettext("The infobox citation after %(row)s cites “%(key)s”, but no reference "
                            "has that key: add a reference with that key, or correct the citation.")
                    % {"row": label, "key": key}
                )
            if row is None:
                problems.append(
                    gettext("The infobox citation after %(row)s follows a row the infobox does not "
                            "have: fill in that row, or delete the citation.") % {"row": label}
                )
    return problems


def _of(formsets: list, model) -> list:
    """The formsets of ``model``'s rows, validated (the admin validates
    them in the inlines' order, this one's perhaps first)."""
    found = [formset for formset in formsets if formset.model is model]
    for formset in found:
        formset.is_valid()
    return found


def _texts(formsets: list, data, article: Article) -> list[_Text]:
    """The lead and section bodies as submitted."""
    lead = data["lead"] if "lead" in data else article.lead
    texts = [_Text("the lead", lead or "")]
    for formset in _of(formsets, Section):
        for form in kept_forms(formset):
            body = form.cleaned_data.get("body")
            if body:
                heading = form.cleaned_data.get("heading") or form["heading"].value() or "?"
                texts.append(_Text(f"the section “{heading}”", body))
    return texts


def _infobox_rows(formsets: list, data, article: Article) -> dict[str, str]:
    """The infobox's rows as submitted, {place: label}: each typed field
    that is set, each extra row by its position."""
    rows = {}
    for storage in STORAGE:
        place = INFOBOX_PLACE + storage.field.key
        if storage.columns:
            values = [data[c] if c in data else getattr(article, c) for c in storage.columns]
            is_set = any(str(value or "").strip() for value in values)
        else:
            is_set = any(
                form.cleaned_data.get(storage.value)
                for formset in _of(formsets, storage.model) for form in kept_forms(formset)
            )
        if is_set:
            rows[place] = storage.field.key
    for formset in _of(formsets, InfoboxRow):
        for form, position in planned_positions(formset):
            if form.cleaned_data.get("key"):
                rows[extra_place(position)] = f"the row “{form.cleaned_data['key']}”"
    return rows


def _place_label(place: str) -> str:
    match = _EXTRA_PLACE_RE.fullmatch(place)
    if match:
        return f"the other row at position {match.group(1)}"
    return place.removeprefix(INFOBOX_PLACE)


def extra_places_of(article: Article | None) -> list[tuple[str, str]]:
    """The choices of an article's extra infobox rows, by their stored position."""
    if article is None or article.pk is None:
        return []
    return [
        (extra_place(position), f"{key} (other row {position})")
        for key, position in article.extra_rows.values_list("key", "position")
    ]


# --- the inlines ---


class PartOfTheArticle:
    """An inline of rows that are part of the article's text, as its
    markers are: whoever may change the article may change them, and
    whoever may view it may view them. The marker check needs the
    references' formset on every form that can change the lead."""

    def _may(self, request, action: str) -> bool:
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may(request, "change") or (obj is None and self._may(request, "add"))

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request, "view") or self.has_change_permission(request, obj)


class ReferenceInline(PartOfTheArticle, OrderedInline):
    model = ArticleReference
    form = ReferenceForm
    formset = ReferenceFormSet
    fields = ["key", "source", "accessed", "quote", "position"]
    autocomplete_fields = ["source"]
    verbose_name = _("reference")
    verbose_name_plural = _("references (the sources the markers [^key] cite)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class InfoboxCitationInline(PartOfTheArticle, OrderedInline):
    """The markers after the infobox's rows; the text's markers are in the text."""

    model = Citation
    form = InfoboxCitationForm
    formset = InfoboxCitationFormSet
    fields = ["place", "key", "locator", "position"]
    verbose_name = _("infobox citation")
    verbose_name_plural = _("infobox citations")

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .filter(place__startswith=_INFOBOX)
            .select_related("reference")
        )

    def get_formset(self, request, obj=None, **kwargs):
        # The article's extra rows are choices of its citations' rows.
        form = type(self.form.__name__, (self.form,), {
            "__module__": __name__, "extra_places": extra_places_of(obj),
        })
        return super().get_formset(request, obj, form=form, **kwargs)


__all__ = [
    "InfoboxCitationForm", "InfoboxCitationFormSet", "InfoboxCitationInline", "ReferenceForm",
    "ReferenceFormSet", "ReferenceInline", "in_saving_order", "link_formsets", "marker_problems",
    "markers_by_line", "text_marker_problem",
]
