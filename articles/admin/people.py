"""The admins of people and places (models of the ``people`` app).

They live here, not in ``people/admin.py``, because a save refreshes the
articles that mention the person or place (``person_refresh``,
``place_refresh``), and ``people`` imports nothing from ``articles``. Their
URLs stay ``/admin/people/person/...``: they come from the model's app label.
"""

from django.contrib import admin

from people.models import Alias, Person, Place

from ..services import person_refresh, place_refresh
from .keyed import KeyedWrites


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


@admin.register(Person)
class PersonAdmin(KeyedWrites, admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "aliases__name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["places"]
    inlines = [AliasInline]

    def watch(self, change, pks):
        change.people(pks)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person_refresh(person=form.instance)


@admin.register(Place)
class PlaceAdmin(KeyedWrites, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "demonym"]
    list_filter = ["kind"]
    search_fields = ["name", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def watch(self, change, pks):
        change.places(pks)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        place_refresh(place=form.instance)
