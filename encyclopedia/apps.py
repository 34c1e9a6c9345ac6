"""App configurations for third-party apps, as the project names them."""

from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    """django-taggit under the name editors know it by: the admin index
    heads its section "Tags", not the package's name "Taggit"."""

    verbose_name = "Tags"
