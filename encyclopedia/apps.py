"""App configurations: the project's own (site-wide infrastructure) and
third-party apps as the project names them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class EncyclopediaConfig(AppConfig):
    """The project package as an app: no models, only site-wide
    infrastructure that every app's writes go through."""

    name = "encyclopedia"
    verbose_name = "Diaspora Encyclopedia"

    def ready(self):
        # Writes to the content tables (articles, people, places, tags) make
        # the cached public pages stale: see encyclopedia.pagecache.
        from django.core import checks

        from . import locale, pagecache

        del locale  # imported for Pashto's and Dari's LANG_INFO

        pagecache.connect_receivers()
        checks.register(pagecache.check_page_cache, checks.Tags.caches)


class TagsConfig(TaggitAppConfig):
    """django-taggit under the name editors know it by: the admin index
    heads its section "Tags", not the package's name "Taggit"."""

    verbose_name = _("Tags")
