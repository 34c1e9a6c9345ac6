from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        # Writes to articles, people, places and tags make the cached public
        # pages stale: see articles.cache.
        from . import cache

        cache.connect_receivers()
