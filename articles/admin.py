from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from .models import (
    Article,
    ArticleLanguage,
    ArticleReligion,
    InfoboxRow,
    Language,
    PopulationPlace,
    Religion,
    SeeAlso,
    Section,
)
from .admin_create import CreateRelatedMixin
from .admin_import import ImportMixin
from .models import PersonMention, PlaceMention, PopulationFigure
from .admin_editing import WIKITEXT_FIELDS, EditingMixin
from .services import article_delete


class OrderedFormSet(BaseInlineFormSet):
    """Rows of an ordered inline. A row whose position is left empty (the
    default of each row added with "Add another") goes after the others, in
    the order the rows were entered, so rows added together keep that order
    instead of all taking position 0."""

    def save(self, commit=True):
        kept = [form for form in self.forms if form.has_changed() or form in self.initial_forms]
        kept = [form for form in kept if not (self.can_delete and self._should_delete_form(form))]
        taken = [form.cleaned_data.get("position") for form in kept]
        following = max((p for p in taken if p is not None), default=-1) + 1
        for form, position in zip(kept, taken):
            if position is None:
                form.instance.position = following
                following += 1
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
            formfield.help_text = "Empty: after the others."
        return formfield


class OrderedInline(OrderedMixin, admin.TabularInline):
    pass


class PopulationPlaceInline(OrderedInline):
    model = PopulationPlace
    autocomplete_fields = ["place"]
    fields = ["place", "position"]


class LanguageInline(OrderedInline):
    model = ArticleLanguage
    autocomplete_fields = ["language"]
    fields = ["language", "position"]


class ReligionInline(OrderedInline):
    model = ArticleReligion
    autocomplete_fields = ["religion"]
    fields = ["religion", "position"]


class InfoboxRowInline(OrderedInline):
    model = InfoboxRow
    fields = ["key", "value", "position"]


class SectionInline(OrderedMixin, admin.StackedInline):
    model = Section
    formfield_overrides = WIKITEXT_FIELDS
    fields = [("heading", "level", "position"), "body"]


class SeeAlsoInline(OrderedInline):
    model = SeeAlso
    fk_name = "article"
    fields = ["target_title", "target_link", "position"]
    readonly_fields = ["target_link"]

    @admin.display(description="Article")
    def target_link(self, obj: SeeAlso) -> str:
        return "exists" if obj.target_id else "not written yet"


class PersonMentionInline(admin.TabularInline):
    model = PersonMention
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "state"]
    ordering = ["person__name"]


class PlaceMentionInline(PersonMentionInline):
    model = PlaceMention
    autocomplete_fields = ["place"]
    fields = ["place", "state"]
    ordering = ["place__name"]


class PopulationFigureInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0
    fields = ["year", "period", "count", "note"]


@admin.register(Article)
class ArticleAdmin(ImportMixin, CreateRelatedMixin, EditingMixin, admin.ModelAdmin):
    list_display = ["title", "status", "group_name", "population", "updated"]
    list_filter = ["status", "languages", "religions", "tags", "updated"]
    search_fields = ["title", "lead", "group_name", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["origin_country", "host_country"]
    date_hierarchy = "updated"
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "tags", "lead"]}),
        ("Infobox", {"fields": ["group_name", ("population", "population_note")]}),
        ("Community", {"fields": ["origin_group", ("origin_country", "host_country")]}),
    ]
    inlines = [
        PopulationPlaceInline,
        LanguageInline,
        ReligionInline,
        InfoboxRowInline,
        PopulationFigureInline,
        SectionInline,
        SeeAlsoInline,
        PersonMentionInline,
        PlaceMentionInline,
    ]

    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)


@admin.register(Language, Religion)
class InfoboxTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
