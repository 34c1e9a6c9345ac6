from django.contrib import admin

from articles.services import person_refresh, place_refresh

from .models import Alias, Person, Place


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "aliases__name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["places"]
    inlines = [AliasInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person_refresh(person=form.instance)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "demonym"]
    list_filter = ["kind"]
    search_fields = ["name", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        place_refresh(place=form.instance)
