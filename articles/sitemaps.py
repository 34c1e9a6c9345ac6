"""sitemap.xml: the published articles, people, places and the lists."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from people.models import Person, Place

from .models import Article


class StaticViewSitemap(Sitemap):
    """The home page, the A–Z index and the index pages."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "article-index", "person-index", "place-index", "languages-index",
                "religions-index", "tag-index"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("pk", "slug", "updated").order_by("pk")

    def lastmod(self, item: Article):
        return item.updated

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of reading every article.
        return Article.objects.published().aggregate(latest=Max("updated"))["latest"]


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Person.objects.only("pk", "slug").order_by("pk")


class PlaceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Place.objects.only("pk", "slug").order_by("pk")


SITEMAPS = {
    "pages": StaticViewSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
    "places": PlaceSitemap,
}
