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
from .admin_create import CreateRelatedMixin
from .admin_import import ImportMixin
from .models import PersonMention, PlaceMention, PopulationFigure
from .admin_editing import EditingMixin
from .services import article_delete


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
