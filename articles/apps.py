from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        # Writes to articles, people, places and tags make the cached public
        # pages stale: see articles.cache.
        from django.core import checks

        from . import cache

        cache.connect_receivers()
        checks.register(cache.check_page_cache, checks.Tags.caches)
