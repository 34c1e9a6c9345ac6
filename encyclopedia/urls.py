from django.contrib import admin
from django.urls import include, path, register_converter

from encyclopedia.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

admin.site.site_header = "Diaspora Encyclopedia"
admin.site.site_title = "Diaspora Encyclopedia admin"
admin.site.index_title = "Editing"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("people.urls")),
]
