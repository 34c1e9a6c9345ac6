"""The admins of the infobox's terms: one for each list of terms the
infobox declares (languages, religions). Tags are django-taggit's, with its
own admin."""

from django.contrib import admin

from ..infobox import TERM_STORAGE


@admin.register(*(s.target for s in TERM_STORAGE))
class InfoboxTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
