"""The admins of the infobox's terms: languages and religions (only
declarations). Tags are django-taggit's, with its own admin."""

from django.contrib import admin

from ..models import Language, Religion


@admin.register(Language, Religion)
class InfoboxTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
