from django.contrib import admin

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
from .services import see_also_link


class OrderedInline(admin.TabularInline):
    extra = 0
    ordering = ["position", "id"]


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


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    ordering = ["position", "id"]
    fields = [("heading", "level", "position"), "body"]


class SeeAlsoInline(OrderedInline):
    model = SeeAlso
    fk_name = "article"
    fields = ["target_title", "target_link", "position"]
    readonly_fields = ["target_link"]

    @admin.display(description="Article")
    def target_link(self, obj: SeeAlso) -> str:
        return "exists" if obj.target_id else "not written yet"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "group_name", "population", "updated"]
    list_filter = ["status", "languages", "religions", "tags", "updated"]
    search_fields = ["title", "lead", "group_name", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people", "mentioned_places"]
    date_hierarchy = "updated"
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "tags", "lead"]}),
        ("Infobox", {"fields": ["group_name", ("population", "population_note")]}),
        ("Mentions", {"fields": ["people", "mentioned_places"]}),
    ]
    inlines = [
        PopulationPlaceInline,
        LanguageInline,
        ReligionInline,
        InfoboxRowInline,
        SectionInline,
        SeeAlsoInline,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        see_also_link(article=form.instance)


@admin.register(Language, Religion)
class InfoboxTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
