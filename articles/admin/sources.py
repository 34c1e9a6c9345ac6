"""The sources admin: the shared Source rows that articles' references cite.

A source is one row however many articles cite it, found by its identity
(``articles.sources.source_identity``: DOI, else ISBN, else normalised URL,
else title, work or publisher and date). The form refuses a second source
with the identity of one already stored and links to that one, so that
editors cite it instead of copying it. The list counts the articles citing
each source; search and the autocomplete of the article's references find
a source by title, author, work, publisher, DOI, ISBN or URL. Each save of
a source is a revision of its own (django-reversion); it also brings the
search documents of the articles citing it up to date (they hold its title).
"""

from __future__ import annotations

import json

import reversion
from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext

from encyclopedia.text import unique_slug

from .. import wikitext
from ..models import Article, ArticleReference, Source
from ..services import search_document_update
from ..sources import identity_rule, source_identity
from .keyed import KeyedWrites

# What source_identity reads, as Source fields.
IDENTITY_FIELDS = ("doi", "isbn", "url", "title", "work", "publisher", "date")
# Fields the wiki-text writes as one row of a References entry each: a
# marker there would not read back (the parser refuses one).
ONE_LINE_FIELDS = (
    "title", "work", "publisher", "url", "isbn", "doi", "archive_url", "language",
)
_IDENTIFIED_BY = {"doi": "DOI", "isbn": "ISBN", "url": "URL", "title": _("title, work and date")}


def marker_problem(value: str) -> str | None:
    """Why a one-line value of the wiki-text may not hold ``value``, or None."""
    if wikitext.references.MARKER_START in value:
        return gettext(
            "A citation marker ('[^') cannot stand here; markers go in the lead and "
            "section text, and the infobox's citations below it."
        )
    return None


class AuthorsField(forms.CharField):
    """Source.authors (a JSON list of names) as a textarea, one name a line,
    in order."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One name a line, in the order the source gives them."))
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(name) for name in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, (list, tuple)):
            return [str(name) for name in value]
        text = wikitext.blocks.normalize_newlines(super().to_python(value) or "")
        return [line.strip() for line in text.split("\n") if line.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for name in value:
            problem = marker_problem(name)
            try:
                wikitext.check_line(name)
            except wikitext.WikitextError as exc:
                problem = problem or exc.message
            if problem:
                raise forms.ValidationError("%(name)s: %(problem)s",
                                            params={"name": name, "problem": problem})
            if len(name) > wikitext.document.MAX_LINE_LENGTH:
                raise forms.ValidationError(
                    _("An author's name is at most %(max)d characters long."),
                    params={"max": wikitext.document.MAX_LINE_LENGTH},
                )


class SourceAdminForm(forms.ModelForm):
    authors = AuthorsField()

    class Meta:
        model = Source
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled from the title when left empty; made unique in clean().
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Its address: /sources/<slug>/. Empty: made from the title.")

    def clean(self):
        cleaned = super().clean()
        for name in ONE_LINE_FIELDS:
            problem = marker_problem(cleaned.get(name) or "")
            if problem:
                self.add_error(name, problem)
        if not any(name in self.errors for name in IDENTITY_FIELDS):
            self._refuse_duplicate(cleaned)
        title = cleaned.get("title") or ""
        slug = cleaned.get("slug") or ""
        if title or slug:
            taken = Source.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
            if not slug or taken:
                cleaned["slug"] = unique_slug(Source, slug or title, exclude_pk=self.instance.pk)
        return cleaned

    def _refuse_duplicate(self, cleaned) -> None:
        values = {name: cleaned.get(name) or "" for name in IDENTITY_FIELDS}
        identity = source_identity(**values)
        other = Source.objects.filter(identity=identity).exclude(pk=self.instance.pk).first()
        if other is None:
            return
        rule = identity_rule(**values).split(":", 1)[0]
        url = reverse("admin:articles_source_change", args=[other.pk])
        # A SafeString message stays safe through the form's error list.
        self.add_error(None, forms.ValidationError(format_html(
            gettext('This source is already stored: <a href="{}">{}</a> has the same {}. '
                    "Cite that one, or correct the fields that identify this one."),
            url, other.title, _IDENTIFIED_BY[rule],
        ), code="duplicate_source"))


@admin.register(Source)
class SourceAdmin(KeyedWrites, admin.ModelAdmin):
    form = SourceAdminForm
    list_display = ["title", "type", "date", "work_or_publisher", "articles_citing"]
    list_filter = ["type"]
    search_fields = ["title", "authors", "work", "publisher", "doi", "isbn", "url"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["type", "title", "authors", ("work", "publisher"), "date", "language"]}),
        (_("Where to find it"), {"fields": ["url", ("isbn", "doi"), ("archive_url", "archive_date")]}),
        (_("Address"), {"fields": ["slug"]}),
    ]

    def watch(self, change, pks):
        change.sources(pks)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Each save is a revision of the source (django-reversion records
        # the registered model's save), by the editor, with the log's message.
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Added.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Saved.")
        return entry

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.has_changed():
            # The search finds articles by the titles of the sources they cite.
            for article in Article.objects.filter(references__source=obj).distinct():
                search_document_update(article=article)

    def get_queryset(self, request):
        # A subquery, not a join: the search's joins leave the count alone.
        citing = (
            ArticleReference.objects.filter(source=OuterRef("pk"))
            .order_by().values("source").annotate(n=Count("article", distinct=True)).values("n")
        )
        return super().get_queryset(request).annotate(citing=Coalesce(Subquery(citing), 0))

    @admin.display(description=_("Work or publisher"), ordering="work")
    def work_or_publisher(self, source: Source) -> str:
        return source.work or source.publisher

    @admin.display(description=_("Articles citing it"), ordering="citing")
    def articles_citing(self, source: Source) -> int:
        return source.citing

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = [word for word in _search_words(search_term) if not word.isascii()]
        if words:
            # Authors are stored as JSON, which SQLite keeps with "Müller"
            # written "M\u00fcller": match that spelling too.
            spelled = Q()
            for word in words:
                spelled &= Q(authors__icontains=json.dumps(word)[1:-1])
            results = results | queryset.filter(spelled)
        return results, may_have_duplicates


def _search_words(search_term: str) -> list[str]:
    """The words of a search as the admin's search splits them."""
    words = []
    for bit in smart_split(search_term):
        if len(bit) > 1 and bit[0] in "\"'" and bit[-1] == bit[0]:
            bit = unescape_string_literal(bit)
        words.append(bit)
    return words
